import { TokenBucket } from './token-bucket'

/**
 * Token buckets per key (a user, a client address), so one rate holds however the requests arrive: over
 * REST, over any of the user's sockets, or both. Buckets that are full again are forgotten now and then.
 */
export class KeyedRates {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(private readonly burst: number, private readonly perSecond: number) {}

  /** 0 when the key may act now, else the milliseconds until it may. */
  take(key: string, now = Date.now()): number {
    if (this.perSecond <= 0) return 0
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= 100_000) this.forgetIdle(now)
      this.buckets.set(key, (bucket = new TokenBucket(this.burst, this.perSecond, now)))
    }
    return bucket.take(now)
  }

  /** Drops buckets idle long enough to be full again: they would start full anyway. */
  private forgetIdle(now: number): void {
    const refillMs = (this.burst / this.perSecond) * 1000
    for (const [key, bucket] of this.buckets) if (now - bucket.lastTakenAt >= refillMs) this.buckets.delete(key)
  }
}
