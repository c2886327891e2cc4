import Redis from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import type { SharedRatesFactory } from './shared-rates'

/**
 * Rates counted in Redis (rate-limiter-flexible's atomic counters), so a client spread over N instances gets one
 * rate, not N. Each limit is a window of `burst / perSecond` seconds that holds `burst` actions. While Redis is
 * away each instance counts alone (the library's insurance limiter): an outage neither locks everyone out nor
 * lifts the limits.
 */
export function createRedisRates(url: string, prefix: string): { rates: SharedRatesFactory, ready: Promise<void>, close: () => Promise<void> } {
  // No offline queue: with Redis away a request is counted here at once instead of waiting for a reconnect.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (times: number) => Math.min(times * 100, 2000) })
  redis.on('error', error => warnAtMostEveryMinute('redis-unreachable', `Redis is unreachable (rate limits): ${error.message}`))
  // Until then (and whenever Redis is away) this instance counts alone.
  const ready = new Promise<void>(resolve => redis.once('ready', () => resolve()))
  const rates: SharedRatesFactory = (name, burst, perSecond) => {
    if (perSecond <= 0) return { take: async () => 0 }
    const window = { points: burst, duration: Math.max(1, Math.round(burst / perSecond)) }
    const limiter = new RateLimiterRedis({
      ...window,
      storeClient: redis,
      keyPrefix: `${prefix}:rate:${name}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(window),
    })
    return {
      async take(key) {
        try {
          await limiter.consume(key)
          return 0
        }
        catch (refusal) {
          // The library refuses with a RateLimiterRes; anything else is a fault of its own, not a refusal.
          if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext)
          throw refusal
        }
      },
    }
  }
  return { rates, ready, close: async () => redis.disconnect() }
}
