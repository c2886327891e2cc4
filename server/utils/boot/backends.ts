import { createMemoryBus } from '../bus/memory'
import { createRedisBus } from '../bus/redis'
import type { ChatBus } from '../bus/types'
import { createRedisConnectionCounter } from '../bus/redis-connection-counter'
import { createLocalConnectionCounter } from '../chat/connection-counter'
import type { ConnectionCounter } from '../chat/connection-counter'
import type { Hub } from '../chat/hub'
import type { ChatLimits } from '../chat/limits'
import { LocalFanOut } from '../fan-out/local'
import { ScaleOutFanOut } from '../fan-out/scale-out'
import type { FanOut } from '../fan-out/types'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { log } from '../log/logger'
import { createRedisRates } from '../rates/redis-rates'
import { localRates } from '../rates/shared-rates'
import type { SharedRatesFactory } from '../rates/shared-rates'
import { retryingStorage } from '../storage/retrying'
import { createPostgresStorage } from '../storage/postgres'
import { createSqliteStorage } from '../storage/sqlite'
import { flushAfterThisTask } from '../socket/flush-queue'
import type { ChatStorage } from '../storage/types'

interface BackendConfig {
  databasePath: string
  databaseUrl: string
  databaseSchema: string
  redisUrl: string
  redisPrefix: string
}

/** Storage once chosen; `ready` settles when it is open (at once for SQLite). */
export interface OpenedStorage {
  storage: ChatStorage
  kind: 'sqlite' | 'postgres'
  ready: Promise<void>
}

/**
 * SQLite unless NUXT_DATABASE_URL names a PostgreSQL database. A SQLite file that cannot be opened stops the
 * process (nothing would work); PostgreSQL is retried with backoff until it answers, health saying so meanwhile.
 */
export function createStorage(config: BackendConfig): OpenedStorage {
  if (!config.databaseUrl) {
    try {
      const storage = createSqliteStorage(config.databasePath, { onBatchWritten: flushAfterThisTask })
      log.info('storage-open', 'SQLite storage open', { path: config.databasePath })
      return { storage, kind: 'sqlite', ready: Promise.resolve() }
    }
    catch (error) {
      process.stderr.write(`banter will not start: NUXT_DATABASE_PATH=${JSON.stringify(config.databasePath)} cannot be opened: ${(error as Error).message}\n`)
      process.exit(1)
    }
  }
  const target = describePostgres(config.databaseUrl, config.databaseSchema)
  const { storage, ready } = retryingStorage(
    () => createPostgresStorage({ connectionString: config.databaseUrl, schema: config.databaseSchema }),
    (error, attempt) => {
      const message = `PostgreSQL storage could not open (${target}), retrying: ${(error as Error).message}`
      if (attempt === 0) log.error('storage-unavailable', message)
      else warnAtMostEveryMinute('storage-unavailable', message)
    },
  )
  void ready.then(() => log.info('storage-open', 'PostgreSQL storage open', { database: target }))
  return { storage, kind: 'postgres', ready }
}

/** host:port/database and schema, without the password. */
function describePostgres(url: string, schema: string): string {
  const parsed = new URL(url)
  return `${parsed.host}${parsed.pathname} schema ${schema}`
}

/**
 * How events reach connections (`busSecret`, the session secret every instance shares, signs what goes on the bus): straight to this process's hub (the in-process bus then carries nothing and
 * only answers health checks), or, when NUXT_REDIS_URL names a Redis shared with other instances, through it.
 */
export function createFanOut(config: BackendConfig, hub: Hub, storage: ChatStorage, limits: ChatLimits, busSecret: string): { fanOut: FanOut, bus: ChatBus } {
  if (!config.redisUrl) return { fanOut: new LocalFanOut(hub, storage), bus: createMemoryBus() }
  const bus = createRedisBus(config.redisUrl, config.redisPrefix, busSecret)
  return { fanOut: new ScaleOutFanOut(hub, bus, storage, limits), bus }
}

/** Per-user socket counts: this process's hub, or shared through Redis when instances share a bus. */
export function createConnectionCounter(config: BackendConfig, hub: Hub, heartbeatMs: number): ConnectionCounter {
  return config.redisUrl ? createRedisConnectionCounter(config.redisUrl, config.redisPrefix, heartbeatMs) : createLocalConnectionCounter(hub)
}

/** Rates that hold for the deployment (sign-ins, uploads, rooms created): this process's, or shared through Redis. */
export function createSharedRates(config: BackendConfig): { rates: SharedRatesFactory, close: () => Promise<void> } {
  return config.redisUrl ? createRedisRates(config.redisUrl, config.redisPrefix) : { rates: localRates, close: async () => {} }
}
