import { execFileSync } from 'node:child_process'
import { Client } from 'pg'
import { portOpen } from '../../support/port-open'

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Which of the scale-out services this machine runs; the reason when one is missing. */
export async function scaleOutServices(): Promise<{ available: boolean, reason: string }> {
  const missing = []
  if (!(await portOpen(REDIS_URL, 6379))) missing.push(`Redis at ${REDIS_URL}`)
  if (!(await portOpen(DATABASE_URL, 5432))) missing.push(`PostgreSQL at ${new URL(DATABASE_URL).host}`)
  return { available: missing.length === 0, reason: missing.length ? `not reachable: ${missing.join(', ')}` : '' }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  }
  finally {
    await client.end()
  }
}

/** Stops the machine's Redis without saving (as a crash would) and starts it again (STACK.md's command). */
export async function restartRedis(whileDown: () => Promise<void>): Promise<void> {
  try {
    execFileSync('redis-cli', ['-u', REDIS_URL, 'shutdown', 'nosave'], { stdio: 'ignore' })
  }
  catch {
    // redis-cli reports the closed connection of a successful shutdown as an error
  }
  try {
    await whileDown()
  }
  finally {
    execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'])
    for (let attempt = 0; attempt < 50 && !(await portOpen(REDIS_URL, 6379)); attempt++) await new Promise(resolve => setTimeout(resolve, 100))
  }
}
