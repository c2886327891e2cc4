import { randomBytes } from 'node:crypto'
import { startServer } from '../../support/server'
import type { RunningServer } from '../../support/server'
import { DATABASE_URL, dropSchema, REDIS_URL } from './services'

/**
 * Two production servers as one deployment's instances: a Redis channel prefix and a PostgreSQL schema of
 * their own (`name` and a random run id), dropped by `stop`. `settings` go to both, after the shared ones.
 */
export function twoInstances(name: string, settings: Record<string, string> = {}) {
  const run = randomBytes(4).toString('hex')
  const schema = `banter_e2e_${name}_${run}`
  const env: Record<string, string> = {
    NUXT_REDIS_URL: REDIS_URL,
    NUXT_REDIS_PREFIX: `banter-test-${name}-${run}`,
    NUXT_DATABASE_URL: DATABASE_URL,
    NUXT_DATABASE_SCHEMA: schema,
    ...settings,
  }
  const started: RunningServer[] = []
  return {
    /** What both run with, for a test that starts one more instance of the deployment. */
    env,
    schema,
    async start(): Promise<[RunningServer, RunningServer]> {
      started.push(await startServer(env))
      started.push(await startServer(env))
      return [started[0]!, started[1]!]
    },
    /** Stops what `start` started, even when it failed half way, and drops the schema. */
    async stop(): Promise<void> {
      await Promise.all(started.map(server => server.stop()))
      await dropSchema(schema)
    },
  }
}
