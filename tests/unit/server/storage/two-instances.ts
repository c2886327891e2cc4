import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'pg'
import { createPostgresStorage } from '#server/utils/storage/postgres'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'

/** Storages opened twice on the same data, for tests of what two instances do at once. */
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface Opened {
  /** Two instances on the same data, as two server processes would hold it. */
  storages: [ChatStorage, ChatStorage]
  cleanup: () => Promise<void>
}

export async function openSqlite(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'banter-two-'))
  const path = join(dir, 'banter.sqlite')
  const storages: [ChatStorage, ChatStorage] = [createSqliteStorage(path), createSqliteStorage(path)]
  return {
    storages,
    cleanup: async () => {
      for (const storage of storages) await storage.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function openPostgres(): Promise<Opened> {
  const schema = `banter_test_${randomBytes(6).toString('hex')}`
  const first = await createPostgresStorage({ connectionString: DATABASE_URL, schema })
  const storages: [ChatStorage, ChatStorage] = [first, await createPostgresStorage({ connectionString: DATABASE_URL, schema })]
  return {
    storages,
    cleanup: async () => {
      for (const storage of storages) await storage.close()
      const admin = new Client({ connectionString: DATABASE_URL })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await admin.end()
    },
  }
}

export async function postgresReachable(): Promise<boolean> {
  const client = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    return true
  }
  catch {
    return false
  }
  finally {
    await client.end().catch(() => {})
  }
}
