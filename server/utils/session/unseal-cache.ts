/**
 * Results of an expensive computation determined by its key (unsealing a session cookie), kept for `ttlMs` at most.
 * Callers asking for the same key at once share one computation; a null result or a failure is not kept.
 * Beyond `maxEntries` the oldest entry goes.
 */
export class UnsealCache<T> {
  private readonly entries = new Map<string, { value: Promise<T | null>, until: number }>()

  constructor(private readonly ttlMs: number, private readonly maxEntries: number) {}

  get(key: string, now: number, compute: () => Promise<T | null>): Promise<T | null> {
    const entry = this.entries.get(key)
    if (entry && entry.until > now) return entry.value
    if (entry) this.entries.delete(key)
    const value = compute()
    this.entries.set(key, { value, until: now + this.ttlMs })
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    value.then(
      (result) => {
        if (result === null) this.forget(key, value)
      },
      () => this.forget(key, value),
    )
    return value
  }

  private forget(key: string, value: Promise<T | null>): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key)
  }
}
