import * as v from 'valibot'

/** The body of POST /api/account/push-subscriptions: what the browser's PushSubscription.toJSON() gives. */
export const PushSubscriptionBodySchema = v.object({
  endpoint: v.pipe(v.string(), v.maxLength(1024)),
  /** Ignored: the server keeps no expiry (a 404 or 410 from the push service removes the subscription). */
  expirationTime: v.optional(v.nullable(v.number())),
  keys: v.object({
    p256dh: v.pipe(v.string(), v.maxLength(128)),
    auth: v.pipe(v.string(), v.maxLength(64)),
  }),
})
export type PushSubscriptionBody = v.InferOutput<typeof PushSubscriptionBodySchema>

/** One device as the account page lists it: never its endpoint or keys. */
export const PushDeviceSchema = v.object({
  id: v.string(),
  device: v.string(),
  createdAt: v.number(),
  lastUsedAt: v.nullable(v.number()),
})
export type PushDevice = v.InferOutput<typeof PushDeviceSchema>

/** GET /api/account/push-subscriptions: whether push is on (and the key to subscribe with), and the user's devices. */
export const PushDevicesSchema = v.object({
  publicKey: v.nullable(v.string()),
  subscriptions: v.array(PushDeviceSchema),
})
export type PushDevices = v.InferOutput<typeof PushDevicesSchema>
