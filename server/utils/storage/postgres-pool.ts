import { Pool } from 'pg'
import type { PoolClient } from 'pg'
import { log } from '../log/logger'

/** A pool sized for one banter instance, failing fast when the database is unreachable. */
export function createPool(connectionString: string): Pool {
  const pool = new Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'banter',
  })
  // Without a listener, an idle client losing its connection (a database restart) would crash the process.
  pool.on('error', (error) => {
    log.warn('postgres-idle-dropped', `PostgreSQL dropped an idle connection: ${error.message}`)
  })
  return pool
}

const ignoreClientError = () => {}

/**
 * Checks a client out with an error listener of its own: pg-pool takes its listener off a checked-out client,
 * so a connection lost mid-work would otherwise be an uncaught 'error' event that kills the process.
 * The pending query rejects anyway; that is where the caller sees the failure.
 */
async function checkOut(pool: Pool) {
  const client = await pool.connect()
  client.on('error', ignoreClientError)
  /** Returns the client to the pool, or destroys it when given the error that broke it. */
  const release = (broken?: Error) => {
    client.release(broken)
    client.off('error', ignoreClientError)
  }
  return { client, release }
}

const asError = (error: unknown) => error instanceof Error ? error : new Error(String(error))

/** Runs `work` on one client; a client whose work failed is destroyed, which also ends its session state. */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkOut(pool)
  try {
    const result = await work(client)
    release()
    return result
  }
  catch (error) {
    release(asError(error))
    throw error
  }
}

/** Runs `work` in one transaction; any error rolls it back and is rethrown. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkOut(pool)
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    release()
    return result
  }
  catch (error) {
    // When even ROLLBACK fails the connection is broken: destroy it rather than return it to the pool.
    release(await client.query('ROLLBACK').then(() => undefined, asError))
    throw error
  }
}
