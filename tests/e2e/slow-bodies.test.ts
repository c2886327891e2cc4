import { connect } from 'node:net'
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
    server = await startServer({ NUXT_TRUST_PROXY: 'true', NUXT_LIMITS_REQUEST_BODY_SECONDS: '5' })
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
    let ended = false
    const closed = new Promise<void>(resolve => socket.once('close', () => resolve()))
    void closed.then(() => (ended = true))
    return { socket, closed, answer: () => answer, ended: () => ended }
  }
  const post = (cookie: string, address: string, body: unknown = { text: 'still here', clientId: uniqueName('c') }) => fetch(`${server.url}/api/rooms/general/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie, 'x-forwarded-for': address },
    body: JSON.stringify(body),
  })

  it('holds one address to its share, serves the others meanwhile, and cuts bodies that do not arrive in time', async () => {
    const attacker = await signIn(server.url, uniqueName('trickler'))
    const victim = await signIn(server.url, uniqueName('victim'))
    const share = MAX_BODY_BYTES_PER_ADDRESS / MAX_BODY_BYTES
    const held = Array.from({ length: share }, () => trickle(attacker.cookie, '10.0.0.1'))
    // Each is in flight once the server has read its headers. Until all are, a small body from the same address
    // is still read; then it is refused unread.
    // Without a cookie, so the probes count against no user's rate (each is read, then answered 401).
    // A held request whose headers reach the server while a probe is in flight is refused (429) in the probe's
    // place, and one the server already cut is gone: either is opened again, until the share is held.
    let probe: Response
    let probes = 0
    do {
      if (++probes > 500) expect.fail(`the share was never held: ${probes} probes answered ${probe!.status}`)
      probe = await post('', '10.0.0.1', {})
      if (probe.status === 401) await probe.body?.cancel()
      held.forEach((request, index) => {
        if (!request.answer() && !request.ended()) return
        request.socket.destroy()
        held[index] = trickle(attacker.cookie, '10.0.0.1')
      })
    }
    while (probe.status === 401)
    expect(probe.status).toBe(429)
    expect(probe.headers.get('retry-after')).toBe('1')
    expect(await probe.json()).toMatchObject({ data: { code: 'rate_limited' }, message: expect.stringContaining('still on their way') })
    expect((await post(victim.cookie, '10.0.0.2')).status).toBe(201)

    // The held bodies never arrive: the server cuts them, which gives the share back.
    await Promise.all(held.map(request => request.closed))
    expect(held.map(request => request.answer())).toEqual(held.map(() => ''))
    expect((await post(attacker.cookie, '10.0.0.1')).status).toBe(201)
    expect(server.output().match(/did not arrive within 5 s/g)).toHaveLength(1)
  })

  it('takes a body that arrives slowly but within the deadline', async () => {
    const { cookie } = await signIn(server.url, uniqueName('slow-but-fine'))
    const body = Buffer.from(JSON.stringify({ text: 'sent over a slow link', clientId: uniqueName('c') }))
    const { hostname, port } = new URL(server.url)
    const socket = connect(Number(port), hostname)
    let answer = ''
    socket.on('data', chunk => (answer += chunk))
    const answered = new Promise<void>(resolve => socket.on('data', () => answer.includes('\r\n\r\n') && resolve()))
    socket.write([
      'POST /api/rooms/general/messages HTTP/1.1', `Host: ${hostname}:${port}`, `Origin: ${server.url}`, `Cookie: ${cookie}`,
      'Content-Type: application/json', `Content-Length: ${body.length}`, 'X-Forwarded-For: 10.0.0.3', 'Connection: close', '', '',
    ].join('\r\n'))
    socket.write(body.subarray(0, 10))
    // The client's slow link: the rest comes a second later, well within the 5 s.
    await new Promise(resolve => setTimeout(resolve, 1000))
    socket.write(body.subarray(10))
    await answered
    expect(answer.split(' ')[1]).toBe('201')
  })
})
