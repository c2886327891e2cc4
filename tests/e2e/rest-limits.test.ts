import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

/**
 * The limits hold over REST as over the socket (issue 13, class 4): one user's chat rate is shared by REST and
 * every socket of theirs, REST requests have the rate of a socket's frames, sign-ins are limited per address,
 * and an instance takes a bounded number of sockets. A server of its own, with the default rates.
 */
describe('limits over REST and the socket together', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_SIGN_INS_PER_MINUTE: '6', NUXT_LIMITS_MAX_CONNECTIONS: '4' })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const postMessage = (cookie: string, room: string, clientId: string) => fetch(`${server.url}/api/rooms/${room}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ text: 'burst', clientId }),
  })

  it('gives one user a single chat rate over REST and the socket: a burst of 20, then refusals with retryAfter', async () => {
    const { cookie } = await signIn(server.url, uniqueName('burster'))
    const room = await createRoom(server.url, cookie)
    const socket = await ChatClient.connect(server.url, cookie)
    await socket.join(room)
    // 12 over the socket, then 12 over REST: the REST ones find the socket's tokens gone.
    for (let index = 0; index < 12; index++) socket.send({ type: 'chat', room, text: 'burst', clientId: `ws-${index}` })
    const socketAnswers = await Promise.all(Array.from({ length: 12 }, (_, index) => socket.next(event =>
      (event.type === 'ack' && event.clientId === `ws-${index}`) || (event.type === 'error' && event.ref === `ws-${index}`))))
    const rest = await Promise.all(Array.from({ length: 12 }, (_, index) => postMessage(cookie, room, `rest-${index}`)))
    const restAccepted = rest.filter(response => response.status === 201).length
    const socketAccepted = socketAnswers.filter(event => event.type === 'ack').length
    expect(socketAccepted).toBe(12)
    // 20 tokens, plus at most a few refilled at 5 a second while the 24 were handled.
    expect(restAccepted + socketAccepted).toBeGreaterThanOrEqual(20)
    expect(restAccepted + socketAccepted).toBeLessThanOrEqual(23)
    const refused = rest.find(response => response.status === 429)!
    expect(await refused.json()).toMatchObject({ data: { code: 'rate_limited', retryAfter: expect.any(Number) } })
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    // And the other way round: the socket is refused once REST took the rest.
    socket.send({ type: 'chat', room, text: 'one more', clientId: 'ws-late' })
    expect(await socket.next(event => (event.type === 'error' && event.ref === 'ws-late') || (event.type === 'ack' && event.clientId === 'ws-late')))
      .toMatchObject({ type: 'error', code: 'rate_limited', retryAfter: expect.any(Number) })
  })
  it('limits REST requests of any kind to the rate of a socket\'s frames', async () => {
    const { cookie } = await signIn(server.url, uniqueName('poller'))
    // 1,000 at once: refilled at 50 a second, a refusal is certain unless they took 16 seconds, however loaded the machine.
    const answers = await Promise.all(Array.from({ length: 1000 }, () => fetch(`${server.url}/api/session`, { headers: { cookie } })))
    const statuses = answers.map(response => response.status)
    expect(statuses.filter(status => status === 200).length).toBeGreaterThanOrEqual(200)
    expect(statuses.filter(status => status === 429).length).toBeGreaterThan(0)
  })

  it('takes no more sockets than NUXT_LIMITS_MAX_CONNECTIONS on one instance, refusing with 503', async () => {
    const { cookie } = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: uniqueName('many'), password: 'a long password' }),
    }).then(response => ({ cookie: response.headers.getSetCookie().map(header => header.split(';')[0]).join('; ') }))
    for (let index = 0; index < 4; index++) await ChatClient.connect(server.url, cookie)
    await expect(ChatClient.connect(server.url, cookie)).rejects.toThrow(/503/)
  })
  it('limits sign-ins per client address, with Retry-After', async () => {
    const answers = []
    for (let index = 0; index < 7; index++) {
      answers.push(await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: uniqueName('flood') }),
      }))
    }
    // Three sign-ins came before (the tests above), then the burst of 6 runs out.
    const refused = answers.filter(response => response.status === 429)
    expect(refused.length).toBeGreaterThan(0)
    expect(answers.slice(0, 3).every(response => response.status === 200)).toBe(true)
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0)
    // Passkey ceremonies draw on the same rate.
    const passkey = await fetch(`${server.url}/api/auth/webauthn/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verify: false }),
    })
    expect(passkey.status).toBe(429)
  })

})
