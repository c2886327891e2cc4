import { request } from 'node:http'
import type { ClientRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { signIn, uniqueName } from './support/client'

const TOKEN = 'e2e-uploads-metrics-token-0123456789'
/** Four uploads read at once on the instance, so one per user. */
const IN_FLIGHT = 4

/**
 * Uploads held at once: each is kept in memory until stored, so past a user's share (429) or the instance's cap
 * (503, with Retry-After) the next one is refused before its body is read, other users' uploads go on, and a slot
 * comes back when its upload ends, finished or abandoned. The metric `banter_uploads_in_flight` shows the count.
 */
describe('uploads in flight', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_UPLOADS_IN_FLIGHT: String(IN_FLIGHT), NUXT_METRICS_TOKEN: TOKEN })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const inFlight = async () => {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()
    return Number(/^banter_uploads_in_flight\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? Number.NaN)
  }
  const room = async (cookie: string) => {
    const name = uniqueName('uploads')
    const response = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { origin: server.url, cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
    expect(response.status).toBe(201)
    return name
  }
  /** An upload whose body is still coming: its first bytes are sent, the rest when `finish` is called. */
  const slowUpload = (cookie: string, roomName: string) => {
    let req!: ClientRequest
    const answer = new Promise<number>((resolve, reject) => {
      req = request(`${server.url}/api/rooms/${roomName}/uploads?name=notes.txt`, {
        method: 'POST',
        agent: false,
        headers: { origin: server.url, cookie, 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      }, (res) => {
        res.resume()
        resolve(res.statusCode!)
      })
      req.on('error', reject)
      req.write('the first lines of a long file\n')
    })
    answer.catch(() => {})
    return { answer, finish: () => req.end('and its end\n'), abandon: () => req.destroy() }
  }
  const quickUpload = async (cookie: string, roomName: string) => {
    const response = await fetch(`${server.url}/api/rooms/${roomName}/uploads?name=quick.txt`, {
      method: 'POST',
      headers: { origin: server.url, cookie, 'content-type': 'text/plain' },
      body: 'short',
    })
    return { status: response.status, retryAfter: response.headers.get('retry-after'), code: (await response.json()).data?.code }
  }
  const waitForInFlight = (count: number) => expect.poll(inFlight, { timeout: 10_000 }).toBe(count)

  it('refuses a user past their share and the instance past its cap, and gives slots back as uploads end', async () => {
    const users = await Promise.all(Array.from({ length: IN_FLIGHT + 1 }, (_, index) => signIn(server.url, uniqueName(`uploader${index}`))))
    const rooms = await Promise.all(users.map(user => room(user.cookie)))
    const [alice, ...others] = users

    const first = slowUpload(alice!.cookie, rooms[0]!)
    await waitForInFlight(1)
    // Alice's share is one upload at a time: her next one waits for it, and nobody else's is held up.
    expect(await quickUpload(alice!.cookie, rooms[0]!)).toEqual({ status: 429, retryAfter: '2', code: 'rate_limited' })
    expect((await quickUpload(others[0]!.cookie, rooms[1]!)).status).toBe(201)

    // Three more people's slow uploads fill the instance: the fifth person is turned away until one ends.
    const held = others.slice(0, IN_FLIGHT - 1).map((user, index) => slowUpload(user.cookie, rooms[index + 1]!))
    await waitForInFlight(IN_FLIGHT)
    const last = users.at(-1)!
    expect(await quickUpload(last.cookie, rooms.at(-1)!)).toEqual({ status: 503, retryAfter: '2', code: 'unavailable' })

    first.finish()
    expect(await first.answer).toBe(201)
    held[0]!.abandon()
    await waitForInFlight(IN_FLIGHT - 2)
    expect((await quickUpload(last.cookie, rooms.at(-1)!)).status).toBe(201)
    expect((await quickUpload(alice!.cookie, rooms[0]!)).status).toBe(201)
    for (const upload of held.slice(1)) upload.finish()
    expect(await Promise.all(held.slice(1).map(upload => upload.answer))).toEqual([201, 201])
    await waitForInFlight(0)
  })
})
