import Database from 'better-sqlite3'
import { afterEach, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const DAY = 24 * 60 * 60 * 1000
const servers: RunningServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0).reverse()) await server.stop()
})

/** A server's SQLite file holding a room with six messages, the first four back-dated `daysAgo` days. */
async function roomWithOldMessages(daysAgo: number) {
  const first = await startServer()
  servers.push(first)
  const { cookie } = await signIn(first.url, uniqueName('old-timer'))
  const room = await createRoom(first.url, cookie, 'aged')
  const client = await ChatClient.connect(first.url, cookie)
  await client.join(room)
  for (let index = 1; index <= 6; index++) {
    client.send({ type: 'chat', room, text: `message ${index}`, clientId: `aged-${index}` })
    await client.nextOfType('ack', event => event.clientId === `aged-${index}`)
  }
  client.close()
  expect(await first.terminate()).toBe(0)
  const db = new Database(first.databasePath)
  db.prepare('UPDATE messages SET ts = ts - ? WHERE room = ? AND seq <= 4').run(daysAgo * DAY, room)
  db.close()
  return { databasePath: first.databasePath, cookie, room }
}

async function texts(baseURL: string, cookie: string, room: string): Promise<string[]> {
  const page = await (await fetch(`${baseURL}/api/rooms/${room}/messages?after=0&limit=100`, { headers: { cookie } })).json()
  return page.messages.map((message: { text: string }) => message.text)
}

/** Resolves once the server has printed `text` (retention runs on its own after start-up). */
async function printed(server: RunningServer, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!server.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`the server did not print "${text}" within ${timeoutMs} ms:\n${server.output()}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

it('NUXT_RETENTION_DAYS removes the messages older than that at start-up, and keeps the rest and the seqs', async () => {
  const { databasePath, cookie, room } = await roomWithOldMessages(40)
  const server = await startServer({ NUXT_RETENTION_DAYS: '30' }, { databasePath })
  servers.push(server)
  await printed(server, 'retention: removed 4 messages older than 30 days')
  expect(await texts(server.url, cookie, room)).toEqual(['message 5', 'message 6'])
  const client = await ChatClient.connect(server.url, cookie)
  expect(await client.join(room)).toBe(6)
}, 45_000)

// A value it cannot read stops the start (tests/e2e/startup-config.test.ts): nothing is removed by a typo.
it('keeps everything by default', async () => {
  const { databasePath, cookie, room } = await roomWithOldMessages(400)
  const off = await startServer({}, { databasePath })
  servers.push(off)
  expect(await texts(off.url, cookie, room)).toHaveLength(6)
  expect(off.output()).not.toContain('retention')
}, 60_000)
