import { createECDH, randomBytes } from 'node:crypto'
import type { ECDH } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decrypt } from 'http_ece'
import { importJWK, jwtVerify } from 'jose'

/** A browser's side of one subscription: what it would POST to the server, and the private key that decrypts. */
export interface FakeSubscription {
  id: string
  endpoint: string
  keys: { p256dh: string, auth: string }
  ecdh: ECDH
}

/** A push the service accepted: every check passed and the payload decrypted. */
export interface ReceivedPush {
  subscriptionId: string
  /** The decrypted payload. */
  text: string
  ttl: number
}

/** RFC 8292: a VAPID token must not be valid for more than 24 hours. */
const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60

/**
 * A push service on loopback that checks each request as a real one would: `Authorization: vapid t=JWT, k=KEY`
 * with the JWT's ES256 signature verified against that key, `aud` the service's origin, `exp` in the future (and
 * at most 24 h away), `Content-Encoding: aes128gcm`, a `TTL`; and decrypts the payload with the subscription's
 * private key (RFC 8291). A request failing a check is answered 400 and listed in `rejected`.
 * `answer(id, status)` makes the service answer that status for a subscription (410: unsubscribed).
 */
export async function startFakePushService(expectedPublicKey: string) {
  const subscriptions = new Map<string, FakeSubscription>()
  const statuses = new Map<string, number>()
  const received: ReceivedPush[] = []
  const rejected: string[] = []
  /** Every request, accepted or not, by subscription id: a 410 answer still counts as an attempt. */
  const attempts: string[] = []
  const waiters = new Set<() => void>()
  const changed = () => waiters.forEach(wake => wake())

  const check = async (request: IncomingMessage, body: Buffer, origin: string, subscription: FakeSubscription): Promise<ReceivedPush> => {
    const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(request.headers.authorization ?? '')
    if (!match) throw new Error(`Authorization is not "vapid t=..., k=...": ${request.headers.authorization}`)
    const [, token, key] = match as unknown as [string, string, string]
    if (key !== expectedPublicKey) throw new Error('k is not the server\'s VAPID public key')
    const point = Buffer.from(key, 'base64url')
    const publicKey = await importJWK({ kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, 'ES256')
    const { payload: claims } = await jwtVerify(token, publicKey, { algorithms: ['ES256'], audience: origin, requiredClaims: ['exp', 'sub'] })
    if (claims.exp! > Date.now() / 1000 + MAX_TOKEN_LIFETIME_S) throw new Error('exp is more than 24 hours away')
    if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding is ${request.headers['content-encoding']}`)
    const ttl = Number(request.headers.ttl)
    if (!Number.isInteger(ttl) || ttl < 0) throw new Error(`TTL is ${request.headers.ttl}`)
    const plain = decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.keys.auth })
    return { subscriptionId: subscription.id, text: plain.toString('utf8'), ttl }
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', chunk => chunks.push(chunk))
    request.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(request.url ?? '')?.[1]
      const subscription = id ? subscriptions.get(id) : undefined
      if (request.method !== 'POST' || !subscription) {
        response.writeHead(404).end()
        return
      }
      attempts.push(subscription.id)
      const status = statuses.get(subscription.id)
      if (status) {
        response.writeHead(status).end()
        changed()
        return
      }
      void check(request, Buffer.concat(chunks), origin, subscription).then(
        (push) => {
          received.push(push)
          response.writeHead(201).end()
        },
        (error: Error) => {
          rejected.push(error.message)
          response.writeHead(400).end(error.message)
        },
      ).finally(changed)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  /** Resolves once `ready()` holds, checked after every request; rejects after `timeoutMs`. */
  const until = (ready: () => boolean, what: string, timeoutMs = 10_000) => new Promise<void>((resolve, reject) => {
    if (ready()) return resolve()
    const timer = setTimeout(() => {
      waiters.delete(wake)
      reject(new Error(`fake push service: timed out waiting for ${what} (received ${received.length}, rejected ${JSON.stringify(rejected)})`))
    }, timeoutMs)
    const wake = () => {
      if (!ready()) return
      clearTimeout(timer)
      waiters.delete(wake)
      resolve()
    }
    waiters.add(wake)
  })

  return {
    origin,
    received,
    rejected,
    attempts,
    /** A new subscription, as a browser's PushManager.subscribe() would make one. */
    subscribe(): FakeSubscription {
      const id = randomBytes(8).toString('hex')
      const ecdh = createECDH('prime256v1')
      ecdh.generateKeys()
      const subscription = {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
        ecdh,
      }
      subscriptions.set(id, subscription)
      return subscription
    },
    /** From now on, answer this status (404, 410...) for the subscription instead of accepting its pushes. */
    answer(subscription: FakeSubscription, status: number) {
      statuses.set(subscription.id, status)
    },
    pushesTo: (subscription: FakeSubscription) => received.filter(push => push.subscriptionId === subscription.id),
    /** The JSON payloads of the pushes to a subscription, in order (banter's pushes are JSON). */
    payloadsTo: (subscription: FakeSubscription): unknown[] => received.filter(push => push.subscriptionId === subscription.id).map(push => JSON.parse(push.text)),
    /** Resolves once `count` pushes reached the subscription. */
    untilPushes(subscription: FakeSubscription, count: number) {
      return until(() => received.filter(push => push.subscriptionId === subscription.id).length >= count, `${count} pushes to ${subscription.id}`)
    },
    /** Resolves once the service was called for the subscription `count` times (whatever it answered). */
    untilAttempts(subscription: FakeSubscription, count: number) {
      return until(() => attempts.filter(id => id === subscription.id).length >= count, `${count} attempts on ${subscription.id}`)
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}

export type FakePushService = Awaited<ReturnType<typeof startFakePushService>>
