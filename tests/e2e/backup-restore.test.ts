import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterEach, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()
const run = promisify(execFile)

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A fresh temp folder, deleted after the test. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function started(...args: Parameters<typeof startServer>): Promise<RunningServer> {
  const server = await startServer(...args)
  cleanups.push(() => server.stop())
  return server
}

/** Every message of the room, read over REST a page at a time. */
async function history(baseURL: string, cookie: string, room: string) {
  const messages: { seq: number, text: string, clientId: string }[] = []
  for (;;) {
    const page = await (await fetch(`${baseURL}/api/rooms/${room}/messages?after=${messages.at(-1)?.seq ?? 0}&limit=100`, { headers: { cookie } })).json()
    if (page.messages.length === 0) return messages
    messages.push(...page.messages)
  }
}

it('backs up SQLite while banter runs and writes, and a restore into a fresh path brings the history back', async () => {
  const server = await started({ NUXT_LIMITS_MESSAGES_PER_SECOND: '0', NUXT_LIMITS_FRAMES_PER_SECOND: '0' })
  const { cookie } = await signIn(server.url, uniqueName('keeper'))
  const room = await createRoom(server.url, cookie, 'kept')
  const client = await ChatClient.connect(server.url, cookie)
  await client.join(room)

  let sent = 0
  const acked: string[] = []
  const send = async () => {
    const clientId = `kept-${++sent}`
    client.send({ type: 'chat', room, text: `message ${sent}`, clientId })
    await client.nextOfType('ack', event => event.clientId === clientId)
    acked.push(clientId)
  }
  for (let index = 0; index < 300; index++) await send()

  // A writer keeps going while the backups run: each must be one consistent moment of it, holding everything
  // acked before it began. Three in a row: a copy of the file alone misses the commits still in the WAL (the
  // last second's, until the next checkpoint), but not always, so one lucky try proves little.
  let writing = true
  const writer = (async () => {
    while (writing) await send()
  })()
  const backups = tempDir('banter-backups-')
  let last = { path: '', clientIds: [] as string[] }
  for (let attempt = 0; attempt < 3; attempt++) {
    const ackedBefore = acked.length
    const path = join(backups, `attempt-${attempt}.sqlite`)
    const { stdout } = await run(process.execPath, ['scripts/backup.mjs', path, '--database', server.databasePath])
    expect(stdout).toMatch(/backed up .* \(\d+ rooms, \d+ messages\)/)
    const copy = new Database(path, { readonly: true })
    const rows = copy.prepare<[string], { seq: number, client_id: string }>('SELECT seq, client_id FROM messages WHERE room = ? ORDER BY seq').all(room)
    copy.close()
    expect(rows.length, `attempt ${attempt}`).toBeGreaterThanOrEqual(ackedBefore)
    expect(rows.map(row => row.client_id)).toEqual(acked.slice(0, rows.length))
    expect(rows.map(row => row.seq)).toEqual(rows.map((_, index) => index + 1))
    last = { path, clientIds: rows.map(row => row.client_id) }
  }
  writing = false
  await writer
  expect(acked.length, 'the writer wrote during the backups').toBeGreaterThan(300)
  // Given a folder, the backup names its file by the time.
  await run(process.execPath, ['scripts/backup.mjs', backups, '--database', server.databasePath])
  expect(readdirSync(backups).filter(name => /^banter-\d{8}T\d{6}Z\.sqlite$/.test(name))).toHaveLength(1)
  expect(await server.terminate()).toBe(0)

  const fresh = join(tempDir('banter-restored-'), 'data', 'banter.sqlite')
  await run(process.execPath, ['scripts/restore.mjs', last.path, '--database', fresh])
  const restored = await started({}, { databasePath: fresh })
  // Sessions are in the database too: the same cookie still signs this user in.
  const messages = await history(restored.url, cookie, room)
  expect(messages.map(message => message.clientId)).toEqual(last.clientIds)
  expect(messages.at(-1)?.text).toBe(`message ${last.clientIds.length}`)

  // And the restored server takes new messages after them.
  const again = await ChatClient.connect(restored.url, cookie)
  expect(await again.join(room)).toBe(messages.length)
}, 60_000)

it('refuses a PostgreSQL deployment with the pg_dump recipe, and a missing database by name', async () => {
  const pg = run(process.execPath, ['scripts/backup.mjs', tmpdir()], { env: { ...process.env, NUXT_DATABASE_URL: 'postgres://db/banter' } })
  await expect(pg).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('pg_dump --format=custom') })
  const missing = run(process.execPath, ['scripts/backup.mjs', tmpdir(), '--database', join(tmpdir(), 'no-such-banter.sqlite')])
  await expect(missing).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no database at') })
})
