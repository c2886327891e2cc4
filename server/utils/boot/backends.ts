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
import { deferredStorage } from '../storage/deferred'
import { createPostgresStorage } from '../storage/postgres'
import { createSqliteStorage } from '../storage/sqlite'
import type { ChatStorage } from '../storage/types'

interface BackendConfig {
  databasePath: string
  databaseUrl: string
  databaseSchema: string
  redisUrl: string
  redisPrefix: string
}

/** SQLite unless NUXT_DATABASE_URL names a PostgreSQL database. */
export function createStorage(config: BackendConfig): { storage: ChatStorage, kind: 'sqlite' | 'postgres' } {
  if (!config.databaseUrl) return { storage: createSqliteStorage(config.databasePath), kind: 'sqlite' }
  const ready = createPostgresStorage({ connectionString: config.databaseUrl, schema: config.databaseSchema })
  ready.catch(error => console.error('[banter] PostgreSQL storage failed to start:', error))
  return { storage: deferredStorage(ready), kind: 'postgres' }
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
