import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import { describe, expect, it } from 'vitest'
import { appendStatement } from '#server/utils/storage/postgres-append'
import { createPostgresStorage } from '#server/utils/storage/postgres'
import type { ChatStorage } from '#server/utils/storage/types'
import { postgresReachable } from './two-instances'

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const APPEND_PARAMETERS = 11

/** Runs `look` against a fresh migrated schema, with a connection of its own; drops the schema after. */
async function inFreshSchema<T>(look: (schema: string, storage: ChatStorage, client: Client) => Promise<T>): Promise<T> {
  const schema = `banter_test_${randomBytes(6).toString('hex')}`
  const storage = await createPostgresStorage({ connectionString: DATABASE_URL, schema })
  const client = new Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    return await look(schema, storage, client)
  }
  finally {
    await client.end()
    await storage.close()
    const admin = new Client({ connectionString: DATABASE_URL })
    await admin.connect()
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.end()
  }
}

/**
 * The append is a named statement: each connection keeps the generic plan it made on its first runs, when a
 * new deployment's messages table is empty and has no statistics. That plan must still be right a million
 * rows later, so it may not read messages by a sequential scan.
 */
const genericAppendPlan = () => inFreshSchema(async (schema, _storage, client) => {
  await client.query(`PREPARE banter_append AS ${appendStatement(`"${schema}"`).text}`)
  await client.query('SET plan_cache_mode = force_generic_plan')
  const nulls = Array.from({ length: APPEND_PARAMETERS }, () => 'NULL').join(', ')
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE banter_append(${nulls})`)
  return rows.map(row => row['QUERY PLAN']).join('\n')
})

/** The triggers (foreign-key checks among them) that a real two-message append ran, from EXPLAIN ANALYZE. */
const appendTriggers = () => inFreshSchema(async (schema, storage, client) => {
  await storage.createRoom('bench', null)
  const values = [['m1', 'm2'], ['bench', 'bench'], ['u1', 'u2'], ['a', 'b'], ['hi', 'there'], ['c1', 'c2'], Date.now(), [null, null], [null, null], [false, false], [null, null]]
  expect(values).toHaveLength(APPEND_PARAMETERS)
  const { rows } = await client.query<{ 'QUERY PLAN': string }>({ text: `EXPLAIN (ANALYZE) ${appendStatement(`"${schema}"`).text}`, values })
  // EXPLAIN ANALYZE runs the statement: both rows went in, so their checks (if any) ran.
  expect((await client.query(`SELECT count(*)::int AS n FROM "${schema}".messages`)).rows).toEqual([{ n: 2 }])
  return rows.map(row => row['QUERY PLAN']).filter(line => /^Trigger/.test(line))
})

if (await postgresReachable()) {
  describe('PostgreSQL append plan', () => {
    it('looks up stored clientIds in their index even when planned on an empty table', async () => {
      const plan = await genericAppendPlan()
      expect(plan).toMatch(/Index (Only )?Scan using messages_user_id_client_id_key on messages/)
      expect(plan).not.toMatch(/Seq Scan on messages/)
    })

    it('finds the rooms it numbers by their key, not by reading every room', async () => {
      expect(await genericAppendPlan()).not.toMatch(/Seq Scan on rooms/)
    })

    it('runs no per-message trigger: the room it numbers from is locked once for the batch', async () => {
      expect(await appendTriggers()).toEqual([])
    })
  })
}
else {
  // As in postgres.test.ts: a laptop without PostgreSQL passes with a warning, CI must run the suite.
  it('PostgreSQL append plan needs a reachable PostgreSQL', () => {
    console.warn('PostgreSQL not reachable: the append plan test did not run (set TEST_DATABASE_URL)')
    expect(process.env.CI, 'CI must run the PostgreSQL append plan test').toBeFalsy()
  })
}
