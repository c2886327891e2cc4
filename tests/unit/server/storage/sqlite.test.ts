import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { expect, it, vi } from 'vitest'
import Database from 'better-sqlite3'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import { SQLITE_MIGRATIONS } from '#server/utils/storage/sqlite-migrations'
import { WORKER_NICE } from '#server/utils/storage/sqlite-checkpointer'
import type { ChatStorage } from '#server/utils/storage/types'
import { describeStorageContract } from './contract'

/** A real SQLite file in a fresh temporary directory; a nested path checks that missing folders get created. */
function sqliteUnderTest() {
  const dir = mkdtempSync(join(tmpdir(), 'banter-unit-'))
  const path = join(dir, 'nested', 'banter.sqlite')
  const opened: ChatStorage[] = []
  const open = () => {
    const storage = createSqliteStorage(path)
    opened.push(storage)
    return storage
  }
  return {
    path,
    storage: open(),
    openAnother: async () => open(),
    cleanup: async () => {
      for (const storage of opened) await storage.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

describeStorageContract('SQLite', async () => sqliteUnderTest())

it('SQLite storage creates the folders of its file', async () => {
  const underTest = sqliteUnderTest()
  expect(existsSync(underTest.path)).toBe(true)
  await underTest.cleanup()
})

it('SQLite storage checkpoints the WAL into the database file without a commit doing it', async () => {
  const underTest = sqliteUnderTest()
  await underTest.storage.createRoom('general', null)
  const sizeAtStart = statSync(underTest.path).size
  const alice = { id: 'a', name: 'alice', username: 'alice' }
  await Promise.all(Array.from({ length: 2000 }, (_, index) =>
    underTest.storage.appendMessage({ room: 'general', user: alice, text: `message ${index} `.repeat(10), clientId: `c${index}` })))
  // The main connection no longer checkpoints on commit: only the worker can grow the database file.
  await vi.waitFor(() => expect(statSync(underTest.path).size).toBeGreaterThan(sizeAtStart + 200_000), { timeout: 5000, interval: 20 })
  // It does so at the lowest priority: a thread of this process runs at nice 19 (field 19 of its stat).
  const nices = () => readdirSync('/proc/self/task').map(tid => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]))
  expect(nices()).toContain(WORKER_NICE)
  await underTest.cleanup()
})

it('SQLite storage keeps messages, and their deduplication, across the migration that reorders the dedupe index', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banter-unit-'))
  const path = join(dir, 'old.sqlite')
  // A database as the release before this migration left it, with one message in it.
  const old = new Database(path)
  SQLITE_MIGRATIONS.slice(0, 4).forEach(migration => old.exec(migration))
  old.pragma('user_version = 4')
  old.exec(`INSERT INTO rooms (name, created_at, last_seq) VALUES ('general', 1, 2);
    INSERT INTO messages (id, room, seq, user_id, user_name, text, ts, client_id, edited_at) VALUES ('m1', 'general', 1, 'a', 'alice', 'before', 5, 'c1', 7);
    INSERT INTO messages (id, room, seq, user_id, user_name, text, ts, client_id, deleted_at) VALUES ('m2', 'general', 2, 'a', 'alice', '', 6, 'c2', 8);
    INSERT INTO reactions (room, message_id, user_id, emoji, created_at) VALUES ('general', 'm1', 'b', '👍', 9)`)
  old.close()
  const storage = createSqliteStorage(path)
  // The accounts migration made the author of old messages a guest account with the same id.
  const alice = { id: 'a', name: 'alice', username: 'alice', guest: true as const }
  expect(await storage.messagesAfter('general', 0, 10)).toEqual([
    { room: 'general', id: 'm1', seq: 1, user: alice, text: 'before', ts: 5, clientId: 'c1', editedAt: 7, reactions: [{ emoji: '👍', userIds: ['b'] }] },
    { room: 'general', id: 'm2', seq: 2, user: alice, text: '', ts: 6, clientId: 'c2', deletedAt: 8 },
  ])
  expect(await storage.appendMessage({ room: 'general', user: alice, text: 'again', clientId: 'c1' })).toMatchObject({ duplicate: true, message: { id: 'm1' } })
  expect((await storage.appendMessage({ room: 'general', user: { id: 'b', name: 'bob', username: 'bob' }, text: 'mine', clientId: 'c1' })).message.seq).toBe(3)
  await storage.close()
  // The dedupe constraint's index now leads with client_id.
  const migrated = new Database(path, { readonly: true })
  const uniqueIndexes = (migrated.pragma('index_list(messages)') as { name: string, unique: number }[]).filter(index => index.unique)
  const columns = uniqueIndexes.map(index => (migrated.pragma(`index_info(${index.name})`) as { name: string }[]).map(column => column.name).join(','))
  expect(columns.sort()).toEqual(['client_id,user_id', 'id', 'room,seq'])
  migrated.close()
  rmSync(dir, { recursive: true, force: true })
})

it('SQLite storage numbers a burst in the order its messages arrived', async () => {
  const underTest = sqliteUnderTest()
  await underTest.storage.createRoom('general', null)
  const alice = { id: 'a', name: 'alice', username: 'alice' }
  // One event-loop turn, one transaction: seqs follow call order (PostgreSQL gives no such promise).
  const results = await Promise.all(Array.from({ length: 20 }, (_, index) =>
    underTest.storage.appendMessage({ room: 'general', user: alice, text: `m${index}`, clientId: `o${index}` })))
  expect(results.map(result => result.message.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1))
  await underTest.cleanup()
})

it('SQLite storage keeps appending while another connection restarts the WAL under it', async () => {
  const underTest = sqliteUnderTest()
  await underTest.storage.createRoom('general', null)
  // Another thread (a second instance, or a checkpoint) restarting the WAL as fast as it can.
  const restarter = new Worker(`
    const { workerData, parentPort } = require('node:worker_threads')
    const db = new (require(workerData.driver))(workerData.path)
    db.pragma('busy_timeout = 1000')
    let stop = false
    parentPort.on('message', () => { stop = true })
    const loop = () => { if (stop) { db.close(); parentPort.close(); return } db.pragma('wal_checkpoint(RESTART)'); setImmediate(loop) }
    loop()
  `, { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path: underTest.path } })
  const alice = { id: 'a', name: 'alice', username: 'alice' }
  const outcomes = []
  for (let turn = 0; turn < 100; turn++) {
    outcomes.push(...await Promise.allSettled(Array.from({ length: 20 }, (_, index) =>
      underTest.storage.appendMessage({ room: 'general', user: alice, text: 'x', clientId: `r${turn}-${index}` }))))
  }
  restarter.postMessage('stop')
  await new Promise(resolve => restarter.once('exit', resolve))
  expect(outcomes.filter(outcome => outcome.status === 'rejected')).toEqual([])
  expect(await underTest.storage.lastSeq('general')).toBe(2000)
  await underTest.cleanup()
})

it('SQLite storage turns the guests and authors of a database from before accounts into guest accounts, once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banter-unit-'))
  const path = join(dir, 'before-accounts.sqlite')
  const accountsStep = 5
  const old = new Database(path)
  SQLITE_MIGRATIONS.slice(0, accountsStep).forEach(migration => old.exec(migration))
  old.pragma(`user_version = ${accountsStep}`)
  // Ada holds her name; "Old Timer" lost his claim but wrote a message; a Cyrillic look-alike of "ada" came later.
  old.exec(`INSERT INTO rooms (name, created_at, last_seq) VALUES ('general', 1, 3);
    INSERT INTO name_claims (name_key, name, user_id, last_seen) VALUES ('ada', 'Ada', 'u-ada', 50), ('аda', 'аda', 'u-fake', 60);
    INSERT INTO messages (id, room, seq, user_id, user_name, text, ts, client_id) VALUES
      ('m1', 'general', 1, 'u-old', 'Old Timer', 'hello', 5, 'c1'),
      ('m2', 'general', 2, 'u-ada', 'Ada', 'hi', 10, 'c2'),
      ('m3', 'general', 3, 'u-fake', 'аda', 'me too', 70, 'c3');
    INSERT INTO room_members (room, user_id) VALUES ('general', 'u-ada')`)
  old.close()
  const storage = createSqliteStorage(path)
  const users = await storage.usersByIds(['u-ada', 'u-old', 'u-fake'])
  expect(users.find(user => user.id === 'u-ada')).toEqual({ id: 'u-ada', name: 'Ada', username: 'ada', guest: true })
  expect(users.find(user => user.id === 'u-old')).toEqual({ id: 'u-old', name: 'Old Timer', username: 'old-timer', guest: true })
  // The look-alike keeps its display name but not a username that looks like Ada's.
  const fake = users.find(user => user.id === 'u-fake')!
  expect(fake.name).toBe('аda')
  expect(fake.username).toMatch(/^guest-/)
  expect((await storage.messagesAfter('general', 0, 10)).map(message => message.user.username)).toEqual(['old-timer', 'ada', fake.username])
  await storage.close()
  // Opening it again converts nothing twice.
  const reopened = createSqliteStorage(path)
  expect(await reopened.listAccounts()).toHaveLength(3)
  await reopened.close()
})

it('retention takes the reactions of the messages it removes out of the file too', async () => {
  const { path, storage, cleanup } = sqliteUnderTest()
  try {
    await storage.createRoom('general', null)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 40 * 86_400_000 })
    const { message } = await storage.appendMessage({ room: 'general', user: { id: 'a', name: 'alice', username: 'alice' }, text: 'old', clientId: 'old-1' })
    vi.useRealTimers()
    await storage.toggleReaction('general', message.id, 'b', '👍', { perUser: 0, perMessage: 0 })
    expect(await storage.deleteMessagesBefore(Date.now() - 30 * 86_400_000, 10)).toBe(1)
    const db = new Database(path, { readonly: true })
    expect(db.prepare('SELECT count(*) AS n FROM reactions').get()).toEqual({ n: 0 })
    db.close()
  }
  finally {
    vi.useRealTimers()
    await cleanup()
  }
})

it('SQLite storage builds the search index for the messages stored before it, and leaves deleted ones out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banter-unit-'))
  const path = join(dir, 'before-search.sqlite')
  const searchStep = 6
  const old = new Database(path)
  SQLITE_MIGRATIONS.slice(0, searchStep).forEach(migration => old.exec(migration))
  old.pragma(`user_version = ${searchStep}`)
  old.exec(`INSERT INTO rooms (name, created_at, last_seq) VALUES ('general', 1, 3);
    INSERT INTO messages (id, room, seq, user_id, user_name, text, ts, client_id) VALUES
      ('m1', 'general', 1, 'u-ada', 'Ada', 'the old roadmap', 5, 'c1'),
      ('m2', 'general', 2, 'u-ada', 'Ada', 'roadmap, second draft', 6, 'c2');
    INSERT INTO messages (id, room, seq, user_id, user_name, text, ts, client_id, deleted_at) VALUES ('m3', 'general', 3, 'u-ada', 'Ada', '', 7, 'c3', 8)`)
  old.close()
  const storage = createSqliteStorage(path)
  const found = await storage.searchMessages({ userId: 'u-bob', text: 'roadmap', limit: 10 })
  expect(found.messages.map(message => message.id)).toEqual(['m2', 'm1'])
  // The index keeps up with the messages after the migration too.
  await storage.editMessage('general', 'm1', 'u-ada', 'the new plan', 9)
  expect((await storage.searchMessages({ userId: 'u-bob', text: 'roadmap', limit: 10 })).messages.map(message => message.id)).toEqual(['m2'])
  await storage.close()
  rmSync(dir, { recursive: true, force: true })
})

it('SQLite storage keys the rooms of an older database, keeping the look-alikes it already holds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banter-unit-'))
  const path = join(dir, 'before-room-keys.sqlite')
  const old = new Database(path)
  SQLITE_MIGRATIONS.slice(0, -1).forEach(migration => old.exec(migration))
  old.pragma(`user_version = ${SQLITE_MIGRATIONS.length - 1}`)
  old.exec(`INSERT INTO rooms (name, created_at) VALUES ('genera1', 2), ('general', 1), ('generai', 3);
    INSERT INTO rooms (name, created_at, kind) VALUES ('dm-0011', 4, 'dm'), ('dm-ool1', 5, 'dm')`)
  old.close()
  const storage = createSqliteStorage(path)
  try {
    expect((await storage.listRooms()).map(room => room.name)).toEqual(['dm-0011', 'dm-ool1', 'genera1', 'generai', 'general'])
    const alice = { id: 'a', name: 'alice', username: 'alice' }
    expect((await storage.appendMessage({ room: 'genera1', user: alice, text: 'still here', clientId: 'c1' })).message.seq).toBe(1)
    expect(await storage.createRoom('qeneral', 'a')).toBeNull()
    const keys = new Database(path, { readonly: true })
    expect(keys.prepare('SELECT name FROM rooms WHERE name_key IS NOT NULL').all()).toEqual([{ name: 'general' }])
    keys.close()
  }
  finally {
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

it('SQLite storage indexes new messages for search after storing them, and an edit or delete before that is what gets indexed', async () => {
  const underTest = sqliteUnderTest()
  const { storage } = underTest
  await storage.createRoom('general', null)
  const alice = { id: 'a', name: 'alice', username: 'alice' }
  const say = async (text: string, clientId: string) => (await storage.appendMessage({ room: 'general', user: alice, text, clientId })).message
  const find = async (text: string) => (await storage.searchMessages({ userId: 'a', text, limit: 10 })).messages.map(message => message.text)
  const reader = new Database(underTest.path, { readonly: true })
  const queued = () => (reader.prepare('SELECT COUNT(*) AS n FROM messages_fts_pending').get() as { n: number }).n

  // Stored, then indexed by the index's own timer, with no search asking for it.
  await say('first words', 'c1')
  expect(queued()).toBe(1)
  await vi.waitFor(() => expect(queued()).toBe(0), { timeout: 5000, interval: 20 })
  expect(await find('first')).toEqual(['first words'])

  // Edited and deleted while still queued: the index gets the text as it is when indexed.
  const edited = await say('draft text', 'c2')
  const removed = await say('secret plan', 'c3')
  await storage.editMessage('general', edited.id, 'a', 'final text', 1000)
  await storage.deleteMessage('general', removed.id, 'a', 1000)
  expect(await find('draft')).toEqual([])
  expect(await find('final')).toEqual(['final text'])
  expect(await find('secret')).toEqual([])

  // Edited once indexed: the old words leave the index.
  await storage.editMessage('general', edited.id, 'a', 'later text', 2000)
  expect(await find('final')).toEqual([])
  expect(await find('later')).toEqual(['later text'])
  reader.close()
  const check = new Database(underTest.path)
  expect(() => check.exec('INSERT INTO messages_fts (messages_fts) VALUES (\'integrity-check\')')).not.toThrow()
  check.close()
  await underTest.cleanup()
})
