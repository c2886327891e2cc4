import { afterAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { createRoom, signIn, uniqueName } from './support/client'
import { ResumingClient } from './support/resuming-client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

/** `npm run test:soak` runs this longer (CHAOS_SECONDS=60); `npm test` runs a short version. */
const SECONDS = Number(process.env.CHAOS_SECONDS ?? 4)
const LIMITS_OFF = { NUXT_LIMITS_MESSAGES_PER_SECOND: '0', NUXT_LIMITS_FRAMES_PER_SECOND: '0' }

/** The workload's pace (a writer sends every few ms for SECONDS): not a wait for anything to happen. */
const pace = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('chaos: drops, reconnects and a server restart while people talk', () => {
  const servers: RunningServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.stop()
  })

  it('leaves every client holding exactly the room\'s stored sequence', async () => {
    let server = await startServer(LIMITS_OFF)
    servers.push(server)
    const room = await createRoom(server.url, (await signIn(server.url, uniqueName('owner'))).cookie)
    const clients: ResumingClient[] = []
    for (let index = 0; index < 6; index++) {
      const name = uniqueName(index < 2 ? 'writer' : 'flaky')
      const { cookie } = await signIn(server.url, name)
      clients.push(new ResumingClient(() => server.url, cookie, room, name))
    }
    const writers = clients.slice(0, 2)
    const flaky = clients.slice(2)
    clients.forEach(client => client.start())

    // The workload: writers send steadily, flaky readers drop at random, the server restarts halfway.
    const endAt = Date.now() + SECONDS * 1000
    const restartAt = Date.now() + (SECONDS * 1000) / 2
    let restarted = false
    while (Date.now() < endAt) {
      for (const writer of writers) writer.send()
      if (Math.random() < 0.15) flaky[Math.floor(Math.random() * flaky.length)]!.drop()
      if (Math.random() < 0.03) writers[Math.floor(Math.random() * writers.length)]!.drop()
      if (!restarted && Date.now() >= restartAt) {
        restarted = true
        expect(await server.terminate()).toBe(0)
        server = await startServer(LIMITS_OFF, { databasePath: server.databasePath, port: server.port })
        servers.push(server)
      }
      await pace(10)
    }

    // Every message a writer sent gets stored and acked; then every client catches up to the room's last seq.
    await Promise.all(writers.map(writer => writer.until(() => writer.outbox.size === 0)))
    const history = await storedHistory(server.url, writers[0]!.cookie, room)
    const lastSeq = history.length
    await Promise.all(clients.map(client => client.until(() => client.lastSeq >= lastSeq)))
    clients.forEach(client => client.stop())

    expect(restarted).toBe(true)
    expect(history.map(message => message.seq)).toEqual(Array.from({ length: lastSeq }, (_, index) => index + 1))
    const sent = writers.reduce((total, writer) => total + writer.sentCount, 0)
    expect(new Set(history.map(message => message.clientId)).size).toBe(sent)
    expect(lastSeq).toBe(sent)
    for (const client of clients) {
      expect(client.violations, client.name).toEqual([])
      expect(client.seqs).toEqual(history.map(message => message.seq))
      expect([...client.clientIdBySeq.values()]).toEqual(history.map(message => message.clientId))
    }
    expect(flaky.reduce((total, client) => total + client.reconnects, 0)).toBeGreaterThan(flaky.length)
  }, (SECONDS + 40) * 1000)
})

/** The room's whole stored history, page by page. */
async function storedHistory(baseURL: string, cookie: string, room: string) {
  const messages: { seq: number, clientId: string }[] = []
  for (;;) {
    const after = messages.at(-1)?.seq ?? 0
    const response = await fetch(`${baseURL}/api/rooms/${room}/messages?after=${after}&limit=100`, { headers: { cookie } })
    const page = (await response.json()).messages as { seq: number, clientId: string }[]
    if (page.length === 0) return messages
    messages.push(...page)
  }
}
