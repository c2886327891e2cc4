/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`. Each event takes one token;
 * `take` answers 0 when it may go now, or the milliseconds until a token is back.
 * A rate of 0 turns the limit off (the benchmark runs without one).
 */
export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(private readonly burst: number, private readonly perSecond: number, now: number) {
    this.tokens = burst
    this.updatedAt = now
  }

  /** When a token was last asked for. */
  get lastTakenAt(): number {
    return this.updatedAt
  }

  take(now: number): number {
    if (this.perSecond <= 0) return 0
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond)
    this.updatedAt = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      return 0
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)
  }
}
