import { createMemoryBus } from '../bus/memory'
import { createRedisBus } from '../bus/redis'
import type { ChatBus } from '../bus/types'
import { createRedisConnectionCounter } from '../bus/redis-connection-counter'
import { createLocalConnectionCounter } from '../chat/connection-counter'
import type { ConnectionCounter } from '../chat/connection-counter'
import type { Hub } from '../chat/hub'
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

/** In-process unless NUXT_REDIS_URL names a Redis to share live events with other instances. */
export function createBus(config: BackendConfig): ChatBus {
  return config.redisUrl ? createRedisBus(config.redisUrl, config.redisPrefix) : createMemoryBus()
}

/** Per-user socket counts: this process's hub, or shared through Redis when instances share a bus. */
export function createConnectionCounter(config: BackendConfig, hub: Hub, heartbeatMs: number): ConnectionCounter {
  return config.redisUrl ? createRedisConnectionCounter(config.redisUrl, config.redisPrefix, heartbeatMs) : createLocalConnectionCounter(hub)
}
