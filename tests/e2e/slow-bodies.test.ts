import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { signIn, uniqueName } from './support/client'
import { MAX_BODY_BYTES, MAX_BODY_BYTES_PER_ADDRESS } from '#server/utils/http/request-guard'

/**
 * A client that declares bodies and sends them a byte at a time: it may hold its address's share of the bodies'
 * budget, not the whole of it, and not for longer than NUXT_LIMITS_REQUEST_BODY_SECONDS.
 */
describe('slow request bodies', () => {
  let server: RunningServer

  beforeAll(async () => {
    // X-Forwarded-For stands for the client addresses, all on 127.0.0.1 here.
    server = await startServer({ NUXT_TRUST_PROXY: 'true', NUXT_LIMITS_REQUEST_BODY_SECONDS: '2' })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  /** Opens a POST declaring the largest body and sends one byte of it; `answer` is what the server writes back. */
  const trickle = (cookie: string, address: string) => {
    const { hostname, port } = new URL(server.url)
    const socket = connect(Number(port), hostname)
    let answer = ''
    socket.on('data', chunk => (answer += chunk))
    socket.on('error', () => {})
    socket.write([
      'POST /api/rooms/general/messages HTTP/1.1', `Host: ${hostname}:${port}`, `Origin: ${server.url}`, `Cookie: ${cookie}`,
      'Content-Type: application/json', `Content-Length: ${MAX_BODY_BYTES}`, `X-Forwarded-For: ${address}`, '', '{',
    ].join('\r\n'))
    const closed = new Promise<void>(resolve => socket.once('close', () => resolve()))
    return { socket, closed, answer: () => answer }
  }
  const answered = async (request: { socket: Socket, answer: () => string }) => {
    while (!request.answer().includes('\r\n\r\n')) await new Promise(resolve => request.socket.once('data', resolve))
    return Number(request.answer().split(' ')[1])
  }
  const post = (cookie: string, address: string) => fetch(`${server.url}/api/rooms/general/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie, 'x-forwarded-for': address },
    body: JSON.stringify({ text: 'still here', clientId: uniqueName('c') }),
  })

  it('holds one address to its share, serves the others meanwhile, and cuts bodies that do not arrive in time', async () => {
    const attacker = await signIn(server.url, uniqueName('trickler'))
    const victim = await signIn(server.url, uniqueName('victim'))
    const share = MAX_BODY_BYTES_PER_ADDRESS / MAX_BODY_BYTES
    const held = Array.from({ length: share }, () => trickle(attacker.cookie, '10.0.0.1'))
    // Each is in flight once its headers are read: a request behind them all on the same address is refused.
    const refused = trickle(attacker.cookie, '10.0.0.1')
    expect(await answered(refused)).toBe(429)
    expect(refused.answer().toLowerCase()).toContain('retry-after: 1')
    expect((await post(victim.cookie, '10.0.0.2')).status).toBe(201)

    // The held bodies never arrive: the server cuts them, which gives the share back.
    await Promise.all(held.map(request => request.closed))
    expect(held.map(request => request.answer())).toEqual(held.map(() => ''))
    expect((await post(attacker.cookie, '10.0.0.1')).status).toBe(201)
    expect(server.output().match(/did not arrive within 2 s/g)).toHaveLength(1)
  })
})
