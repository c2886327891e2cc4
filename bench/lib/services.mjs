// PostgreSQL and Redis for the scale-out rows: each banter run gets a database and a Redis prefix of its own,
// created here and dropped when the server stops. Absent services leave their rows out, and the run says so.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import Redis from 'ioredis'

/** The server's maintenance database, where the bench creates and drops its own (BENCH_DATABASE_URL). */
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Why a service cannot be used, or null when it answers. */
export async function serviceProblem(service) {
  try {
    if (service === 'postgres') {
      const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 })
      client.on('error', () => {})
      try {
        await client.connect()
        await client.query('SELECT 1')
      }
      finally {
        await client.end().catch(() => {})
      }
    }
    else {
      const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 })
      redis.on('error', () => {})
      try {
        await redis.connect()
        await redis.ping()
      }
      finally {
        redis.disconnect()
      }
    }
    return null
  }
  catch (error) {
    return `${service === 'postgres' ? `PostgreSQL at ${POSTGRES_URL}` : `Redis at ${REDIS_URL}`} not reachable (${error.message || error.code || error})`
  }
}

/** A fresh database; `drop()` removes it, connections and all. */
export async function createDatabase() {
  const name = `banter_bench_${randomBytes(4).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

/** A fresh Redis key prefix; `drop()` deletes whatever keys were made under it. */
export function createRedisPrefix() {
  const prefix = `banter-bench-${randomBytes(4).toString('hex')}`
  return {
    prefix,
    async drop() {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
      redis.on('error', () => {})
      try {
        const keys = await redis.keys(`${prefix}*`)
        if (keys.length > 0) await redis.del(...keys)
      }
      finally {
        redis.disconnect()
      }
    },
  }
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 })
  await client.connect()
  try {
    await client.query(sql)
  }
  finally {
    await client.end()
  }
}
