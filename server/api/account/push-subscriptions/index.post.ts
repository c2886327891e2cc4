import { errorMessage } from '#shared/error-codes'
import { PushSubscriptionBodySchema } from '#shared/push'
import type { PushDevice } from '#shared/push'
import { timeOrderedId } from '#shared/time-ordered-id'
import { useConfig } from '#server/utils/config/startup'
import { resolvesToPrivateAddress } from '#server/utils/push/endpoint-address'
import { arePushKeys, isAllowedPushEndpoint, isLoopbackHttpEndpoint } from '#server/utils/push/endpoint-rules'
import { describeDevice } from '#server/utils/session/device'

/**
 * Subscribes this browser to Web Push for the signed-in account (201), or renews its subscription (same id).
 * Refused: push off (503 `push_off`), an endpoint the server may not call or keys that are not a browser's
 * (400 `invalid_push_subscription`), a host name resolving to a private address now (400 `push_endpoint_private`:
 * the user learns it at once; the guard is the send-time check of the address dialled), a device past
 * NUXT_LIMITS_MAX_PUSH_SUBSCRIPTIONS_PER_USER (409).
 */
export default defineChatHandler(async (event): Promise<{ subscription: PushDevice }> => {
  const { account } = await requireChatSession(event)
  const { storage, push } = useBanter()
  if (!push.publicKey) throw httpError(503, 'push_off', errorMessage('push_off'))
  const body = await readBodyAs(event, PushSubscriptionBodySchema)
  const config = useConfig()
  if (!isAllowedPushEndpoint(body.endpoint, config.pushAllowInsecureEndpoints) || !arePushKeys(body.keys.p256dh, body.keys.auth)) {
    throw httpError(400, 'invalid_push_subscription', errorMessage('invalid_push_subscription'))
  }
  // The test/dev push service on loopback is allowed by the setting; every other name must resolve publicly.
  const loopback = config.pushAllowInsecureEndpoints && isLoopbackHttpEndpoint(body.endpoint)
  if (!loopback && (await resolvesToPrivateAddress(body.endpoint))) {
    throw httpError(400, 'push_endpoint_private', errorMessage('push_endpoint_private'))
  }
  const now = Date.now()
  const added = await storage.addPushSubscription({
    id: timeOrderedId(now),
    userId: account.id,
    endpoint: body.endpoint,
    p256dh: body.keys.p256dh,
    auth: body.keys.auth,
    device: describeDevice(getRequestHeader(event, 'user-agent')),
    createdAt: now,
  }, config.limits.maxPushSubscriptionsPerUser)
  if (!added.ok) throw httpError(409, 'push_subscription_limit', errorMessage('push_subscription_limit'))
  const { id, device, createdAt, lastUsedAt } = added.subscription
  setResponseStatus(event, 201)
  return { subscription: { id, device, createdAt, lastUsedAt } }
})
