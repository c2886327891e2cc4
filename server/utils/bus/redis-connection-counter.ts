import { randomUUID } from 'node:crypto'
import Redis from 'ioredis'
import type { ConnectionCounter } from '../chat/connection-counter'
import { warnAtMostEveryMinute } from '../http/throttled-log'

/**
 * Per-user socket counts shared through Redis. Each instance keeps its own hash (user → sockets) that
 * expires unless renewed, and registers itself in a sorted set scored by that expiry; a user's count is
 * the sum over live instances. Each instance renews its entry every heartbeat; one that dies stops
 * renewing, and its sockets stop counting.
 */
export function createRedisConnectionCounter(url: string, prefix: string, heartbeatMs: number): ConnectionCounter {
  // No offline queue: with Redis away a count falls back to this instance's at once instead of holding the upgrade.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times: number) => Math.min(times * 100, 2000) })
  redis.on('error', error => warnAtMostEveryMinute('redis-unreachable', `Redis is unreachable (connection counts): ${error.message}`))
  const instance = randomUUID()
  const instancesKey = `${prefix}:instances`
  const countsKey = (id: string) => `${prefix}:connections:${id}`
  const ttlMs = heartbeatMs * 3
  const local = new Map<string, number>()

  const write = (userId: string, change: number) => {
    const next = (local.get(userId) ?? 0) + change
    if (next > 0) local.set(userId, next)
    else local.delete(userId)
    void redis.multi()
      .hincrby(countsKey(instance), userId, change)
      .pexpire(countsKey(instance), ttlMs)
      .zadd(instancesKey, Date.now() + ttlMs, instance)
      .exec()
      .catch(error => warnAtMostEveryMinute('connection-count-failed', `could not share a connection count: ${error.message}`))
  }

  const renew = async () => {
    // Rewrites the whole hash: a Redis restart (nothing kept on disk) must not forget live sockets.
    const key = countsKey(instance)
    const pipeline = redis.multi().del(key)
    if (local.size > 0) pipeline.hset(key, Object.fromEntries(local))
    await pipeline.pexpire(key, ttlMs).zadd(instancesKey, Date.now() + ttlMs, instance).exec()
      .catch(error => warnAtMostEveryMinute('connection-count-failed', `could not renew connection counts: ${error.message}`))
  }
  const timer = setInterval(() => void renew(), heartbeatMs)
  timer.unref()

  return {
    async count(userId) {
      try {
        const now = Date.now()
        await redis.zremrangebyscore(instancesKey, '-inf', now)
        const others = (await redis.zrangebyscore(instancesKey, now, '+inf')).filter(id => id !== instance)
        const counts = await Promise.all(others.map(id => redis.hget(countsKey(id), userId)))
        return counts.reduce((total, value) => total + Number(value ?? 0), local.get(userId) ?? 0)
      }
      catch {
        // Redis away: fall back to this instance's own count rather than refusing everyone.
        return local.get(userId) ?? 0
      }
    },
    opened: userId => write(userId, +1),
    closed: userId => write(userId, -1),
    async close() {
      clearInterval(timer)
      await redis.multi().del(countsKey(instance)).zrem(instancesKey, instance).exec().catch(() => undefined)
      redis.disconnect()
    },
  }
}
