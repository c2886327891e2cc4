import { randomBytes } from 'node:crypto'
import { Client, Pool } from 'pg'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createPostgresStorage } from '#server/utils/storage/postgres'
import { POSTGRES_MIGRATIONS } from '#server/utils/storage/postgres-migrations'
import type { ChatStorage } from '#server/utils/storage/types'
import { describeStorageContract } from './contract'
import { startTcpProxy } from '../../../support/tcp-proxy'
import { log } from '#server/utils/log/logger'

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** The URL without its password, for messages. */
const DATABASE_SHOWN = Object.assign(new URL(DATABASE_URL), { password: '' }).toString()

async function isReachable(connectionString: string): Promise<boolean> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  }
  catch {
    return false
  }
  finally {
    await client.end().catch(() => {})
  }
}

const available = await isReachable(DATABASE_URL)

/** Every case gets its own schema, dropped afterwards, so runs and cases never see each other's rows. */
const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index)

const freshSchema = () => `banter_test_${randomBytes(6).toString('hex')}`

if (available) {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 2 })
  afterAll(() => admin.end())

  const dropSchema = (schema: string) => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)

  /** Opens instances on one schema, each with its own pool, the way separate server processes would. */
  const postgresUnderTest = async (schema = freshSchema()) => {
    const opened: ChatStorage[] = []
    const open = async () => {
      const storage = await createPostgresStorage({ connectionString: DATABASE_URL, schema })
      opened.push(storage)
      return storage
    }
    return {
      schema,
      storage: await open(),
      openAnother: open,
      cleanup: async () => {
        await Promise.all(opened.map(storage => storage.close()))
        await dropSchema(schema)
      },
    }
  }

  describeStorageContract('PostgreSQL', () => postgresUnderTest())

  describe('PostgreSQL storage specifics', () => {
    it('migrates once when several instances start on a new schema at the same moment', async () => {
      const schema = freshSchema()
      const instances = await Promise.all([1, 2, 3, 4].map(() => createPostgresStorage({ connectionString: DATABASE_URL, schema })))
      try {
        const { rows } = await admin.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`)
        expect(rows.map(row => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, index) => index + 1))
        expect(await instances[3]!.createRoom('general', null)).not.toBeNull()
      }
      finally {
        await Promise.all(instances.map(storage => storage.close()))
        await dropSchema(schema)
      }
    })

    it('turns the guests and authors of a schema from before accounts into guest accounts, once, with instances starting together', async () => {
      const schema = freshSchema()
      const { migratePostgres } = await import('#server/utils/storage/postgres-migrations')
      await migratePostgres(admin, schema, POSTGRES_MIGRATIONS.slice(0, 4))
      await admin.query(`INSERT INTO "${schema}".rooms (name, created_at, last_seq) VALUES ('general', 1, 2);
        INSERT INTO "${schema}".name_claims (name_key, name, user_id, last_seen) VALUES ('ada', 'Ada', 'u-ada', 50);
        INSERT INTO "${schema}".messages (id, room, seq, user_id, user_name, text, ts, client_id) VALUES
          ('m1', 'general', 1, 'u-old', 'Old Timer', 'hello', 5, 'c1'), ('m2', 'general', 2, 'u-ada', 'Ada', 'hi', 10, 'c2')`)
      const instances = await Promise.all([1, 2, 3].map(() => createPostgresStorage({ connectionString: DATABASE_URL, schema })))
      try {
        expect((await instances[0]!.listAccounts()).map(account => [account.id, account.username, account.role])).toEqual([
          ['u-old', 'old-timer', 'guest'], ['u-ada', 'ada', 'guest'],
        ])
        expect((await instances[1]!.messagesAfter('general', 0, 10)).map(message => message.user)).toEqual([
          { id: 'u-old', name: 'Old Timer', username: 'old-timer', guest: true },
          { id: 'u-ada', name: 'Ada', username: 'ada', guest: true },
        ])
      }
      finally {
        await Promise.all(instances.map(storage => storage.close()))
        await dropSchema(schema)
      }
    })

    it('builds the search index for the messages stored before it', async () => {
      const schema = freshSchema()
      const { migratePostgres } = await import('#server/utils/storage/postgres-migrations')
      await migratePostgres(admin, schema, POSTGRES_MIGRATIONS.slice(0, 5))
      await admin.query(`INSERT INTO "${schema}".rooms (name, created_at, last_seq) VALUES ('general', 1, 3);
        INSERT INTO "${schema}".messages (id, room, seq, user_id, user_name, text, ts, client_id) VALUES
          ('m1', 'general', 1, 'u-ada', 'Ada', 'the old roadmap', 5, 'c1'), ('m2', 'general', 2, 'u-ada', 'Ada', 'roadmap, second draft', 6, 'c2');
        INSERT INTO "${schema}".messages (id, room, seq, user_id, user_name, text, ts, client_id, deleted_at) VALUES ('m3', 'general', 3, 'u-ada', 'Ada', '', 7, 'c3', 8)`)
      const storage = await createPostgresStorage({ connectionString: DATABASE_URL, schema })
      try {
        const { rows } = await admin.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'messages_search'`, [schema])
        expect(rows[0]?.indexdef).toMatch(/USING gin/)
        const found = await storage.searchMessages({ userId: 'u-bob', text: 'roadmap', limit: 10 })
        expect(found.messages.map(message => message.id)).toEqual(['m2', 'm1'])
      }
      finally {
        await storage.close()
        await dropSchema(schema)
      }
    })

    it('keys the rooms of an older schema, keeping the look-alikes it already holds', async () => {
      const schema = freshSchema()
      const { migratePostgres } = await import('#server/utils/storage/postgres-migrations')
      await migratePostgres(admin, schema, POSTGRES_MIGRATIONS.slice(0, -1))
      await admin.query(`INSERT INTO "${schema}".rooms (name, created_at) VALUES ('genera1', 2), ('general', 1), ('generai', 3);
        INSERT INTO "${schema}".rooms (name, created_at, kind) VALUES ('dm-0011', 4, 'dm'), ('dm-ool1', 5, 'dm')`)
      const storages = await Promise.all([1, 2].map(() => createPostgresStorage({ connectionString: DATABASE_URL, schema })))
      try {
        const [storage] = storages
        expect((await storage!.listRooms()).map(room => room.name)).toEqual(['dm-0011', 'dm-ool1', 'genera1', 'generai', 'general'])
        expect((await storage!.appendMessage({ room: 'genera1', user: alice, text: 'still here', clientId: 'c1' })).message.seq).toBe(1)
        expect(await storage!.createRoom('qeneral', 'a')).toBeNull()
        const { rows } = await admin.query(`SELECT name FROM "${schema}".rooms WHERE name_key IS NOT NULL`)
        expect(rows).toEqual([{ name: 'general' }])
      }
      finally {
        await Promise.all(storages.map(storage => storage.close()))
        await dropSchema(schema)
      }
    })

    it('refuses a schema name that would need quoting', async () => {
      await expect(createPostgresStorage({ connectionString: DATABASE_URL, schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/Invalid PostgreSQL schema/)
    })

    it('fails cleanly when the database becomes unreachable: ping answers false, other calls throw, nothing crashes', async () => {
      const target = new URL(DATABASE_URL)
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
      const proxied = Object.assign(new URL(DATABASE_URL), { hostname: '127.0.0.1', port: String(proxy.port) })
      const schema = freshSchema()
      const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
      const storage = await createPostgresStorage({ connectionString: proxied.toString(), schema })
      const blocker = await admin.connect()
      try {
        await storage.createRoom('general', null)
        await Promise.all([storage.ping(), storage.ping(), storage.ping()]) // leaves idle connections in the pool
        // Hold the room's row so an append waits inside its transaction, on a checked-out connection.
        await blocker.query('BEGIN')
        await blocker.query(`UPDATE "${schema}".rooms SET last_seq = last_seq WHERE name = 'general'`)
        const stuck = storage.appendMessage({ room: 'general', user: { id: 'a', name: 'alice', username: 'alice' }, text: 'x', clientId: 'stuck' })
        await vi.waitFor(async () => {
          const { rows } = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%last_seq + c.n%'`)
          expect(rows).toHaveLength(1)
        })
        await proxy.cut()
        await expect(stuck).rejects.toThrow(/Connection terminated/)
        // Idle connections dropped by the cut reach the pool's error listener instead of crashing the process.
        await vi.waitFor(() => expect(warn).toHaveBeenCalledWith('postgres-idle-dropped', expect.stringMatching(/PostgreSQL dropped an idle connection/)))
        expect(await storage.ping()).toBe(false)
        await expect(storage.appendMessage({ room: 'general', user: { id: 'a', name: 'alice', username: 'alice' }, text: 'x', clientId: 'x' }))
          .rejects.toMatchObject({ code: 'ECONNREFUSED' })
      }
      finally {
        await blocker.query('ROLLBACK')
        blocker.release()
        warn.mockRestore()
        await storage.close()
        await dropSchema(schema)
      }
    })

    it('fails every send of a batch whose write fails, and leaves no gap', async () => {
      const underTest = await postgresUnderTest()
      const { storage, schema } = underTest
      const blocker = await admin.connect()
      try {
        await storage.createRoom('general', null)
        await storage.appendMessage({ room: 'general', user: alice, text: 'before', clientId: 'before' })
        await blocker.query('BEGIN')
        await blocker.query(`UPDATE "${schema}".rooms SET last_seq = last_seq WHERE name = 'general'`)
        const stuck = ['s1', 's2', 's3'].map(clientId => storage.appendMessage({ room: 'general', user: alice, text: clientId, clientId }))
        // Sent while the first batch waits: the next batch, written once the first one settles.
        const waitingBehind = await vi.waitFor(async () => {
          const { rows } = await admin.query(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%last_seq + c.n%'`)
          expect(rows).toHaveLength(1)
          return rows[0].pid as number
        })
        const behind = storage.appendMessage({ room: 'general', user: bob, text: 'behind', clientId: 'behind' })
        await admin.query('SELECT pg_terminate_backend($1)', [waitingBehind])
        const settled = await Promise.allSettled(stuck)
        expect(settled.map(result => result.status)).toEqual(['rejected', 'rejected', 'rejected'])
        await blocker.query('ROLLBACK')
        expect((await behind).message.seq).toBe(2)
        // A client retries what was not acked: each gets the next seq, none taken twice.
        const retried = await Promise.all(['s1', 's2', 's3'].map(clientId => storage.appendMessage({ room: 'general', user: alice, text: clientId, clientId })))
        expect(retried.map(result => [result.message.seq, result.duplicate])).toEqual([[3, false], [4, false], [5, false]])
        expect((await storage.messagesAfter('general', 0, 10)).map(message => message.seq)).toEqual([1, 2, 3, 4, 5])
      }
      finally {
        await blocker.query('ROLLBACK').catch(() => undefined)
        blocker.release()
        await underTest.cleanup()
      }
    })

    it('numbers one batch with stored repeats, repeats within it and two rooms without a gap', async () => {
      const underTest = await postgresUnderTest()
      const { storage } = underTest
      try {
        await storage.createRoom('general', null)
        await storage.createRoom('other', null)
        const stored = await storage.appendMessage({ room: 'general', user: alice, text: 'first', clientId: 'c1' })
        const results = await Promise.all([
          storage.appendMessage({ room: 'general', user: alice, text: 'first again', clientId: 'c1' }),
          storage.appendMessage({ room: 'other', user: alice, text: 'o1', clientId: 'c2' }),
          storage.appendMessage({ room: 'general', user: bob, text: 'g2', clientId: 'c1' }),
          storage.appendMessage({ room: 'other', user: alice, text: 'o1 again', clientId: 'c2' }),
          storage.appendMessage({ room: 'general', user: alice, text: 'g3', clientId: 'c3' }),
          storage.appendMessage({ room: 'other', user: bob, text: 'o2', clientId: 'c4' }),
        ])
        expect(results.map(result => [result.message.room, result.message.seq, result.duplicate])).toEqual([
          ['general', 1, true], ['other', 1, false], ['general', 2, false], ['other', 1, true], ['general', 3, false], ['other', 2, false],
        ])
        expect(results[0]!.message).toEqual(stored.message)
        expect(results[3]!.message).toEqual(results[1]!.message)
        expect((await storage.messagesAfter('other', 0, 10)).map(message => message.text)).toEqual(['o1', 'o2'])
      }
      finally {
        await underTest.cleanup()
      }
    })

    it('leaves no gap and no duplicate when two instances write batches with the same clientIds into one room at once', async () => {
      const underTest = await postgresUnderTest()
      try {
        await underTest.storage.createRoom('general', null)
        const writers = [underTest.storage, await underTest.openAnother()]
        // Each instance gets every clientId of 0..149 that is a multiple of 3 (a retry landing on the other instance) and half of the rest.
        const sends = range(0, 149).flatMap(index => index % 3 === 0 ? [0, 1].map(writer => ({ writer, index })) : [{ writer: index % 2, index }])
        const results = await Promise.all(sends.map(({ writer, index }) => writers[writer]!.appendMessage({
          room: 'general', user: index % 2 ? alice : bob, text: `m${index}`, clientId: `c${index}`,
        })))
        expect(results.filter(result => !result.duplicate)).toHaveLength(150)
        const messages = await underTest.storage.messagesAfter('general', 0, 500)
        expect(messages.map(message => message.seq)).toEqual(range(1, 150))
        expect(new Set(messages.map(message => message.clientId)).size).toBe(150)
        // Both sends of one clientId answer the same stored message.
        const byClientId = new Map(messages.map(message => [message.clientId, message.id]))
        expect(results.every(result => byClientId.get(result.message.clientId) === result.message.id)).toBe(true)
      }
      finally {
        await underTest.cleanup()
      }
    })

    it('closes idempotently, and ping then answers false', async () => {
      const underTest = await postgresUnderTest()
      await underTest.storage.close()
      await underTest.storage.close()
      expect(await underTest.storage.ping()).toBe(false)
      await underTest.cleanup()
    })
  })
}
else {
  // No `.skip` in this project: without PostgreSQL this one case stands in for the suite and says why it did
  // not run. A laptop passes with a warning; CI (env CI set) fails, because there the suite must run.
  it('PostgreSQL storage contract needs a reachable PostgreSQL', () => {
    console.warn(`PostgreSQL not reachable at ${DATABASE_SHOWN}: storage contract for PostgreSQL not run (set TEST_DATABASE_URL to point elsewhere)`)
    expect(process.env.CI, 'CI must run the PostgreSQL storage contract').toBeFalsy()
  })
}
