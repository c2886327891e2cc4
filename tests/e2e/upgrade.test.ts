import { describe, expect, inject, it } from 'vitest'
import WebSocket from 'ws'
import { ChatClient, signIn, uniqueName } from './support/client'
import { PROTOCOL_VERSION } from '#shared/protocol'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { closeSocketsAfterEach, trackWebSocket } from './support/open-sockets'

closeSocketsAfterEach()

const baseURL = inject('baseURL')
const wsURL = `${baseURL.replace(/^http/, 'ws')}/_ws`

/** The HTTP status the server answers a handshake with (never a hanging socket: the wait times out otherwise). */
function handshakeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = trackWebSocket(new WebSocket(wsURL, { headers, handshakeTimeout: 5000 }))
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.once('open', () => {
      resolve(101)
      socket.close()
    })
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error)
    })
  })
}

describe('the WebSocket upgrade', () => {
  it('answers 401 without a session cookie', async () => {
    expect(await handshakeStatus({ origin: baseURL })).toBe(401)
  })

  it('answers 401 for a forged session cookie', async () => {
    expect(await handshakeStatus({ origin: baseURL, cookie: 'nuxt-session=Fe26.2**forged' })).toBe(401)
  })

  it('reads the session from its cookie only: a valid seal in h3\'s session header, beside a decoy cookie, is refused', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('header'))
    const sealed = cookie.split('; ').find(part => part.startsWith('nuxt-session='))!.slice('nuxt-session='.length)
    expect(await handshakeStatus({ origin: baseURL, 'cookie': 'lang=en', 'x-nuxt-session-session': sealed })).toBe(401)
    expect(await handshakeStatus({ origin: baseURL, cookie: `lang=en; nuxt-session=${sealed}` })).toBe(101)
  })

  it('answers 403 for an Origin outside the allow-list, even with a valid session', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('origin'))
    expect(await handshakeStatus({ origin: 'https://evil.example', cookie })).toBe(403)
    expect(await handshakeStatus({ origin: baseURL, cookie })).toBe(101)
  })

  it('welcomes a signed-in user with their identity and the protocol version', async () => {
    const { cookie, user } = await signIn(baseURL, uniqueName('welcome'))
    const client = await ChatClient.connect(baseURL, cookie)
    expect(client.log[0]).toEqual({ type: 'welcome', user, version: PROTOCOL_VERSION, heartbeatMs: 25_000, limits: { maxRoomsPerConnection: DEFAULT_LIMITS.maxRoomsPerConnection } })
  })

  it('closes every socket of a user with 1008 on sign-out and refuses the old cookie afterwards', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('signout'))
    const first = await ChatClient.connect(baseURL, cookie)
    const second = await ChatClient.connect(baseURL, cookie)
    const response = await fetch(`${baseURL}/api/session`, { method: 'DELETE', headers: { cookie } })
    expect(response.status).toBe(204)
    expect((await first.closed).code).toBe(1008)
    expect((await second.closed).code).toBe(1008)
    // The sealed cookie is still cryptographically valid, but its name claim is gone.
    expect(await handshakeStatus({ origin: baseURL, cookie })).toBe(401)
  })
})
