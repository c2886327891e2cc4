import type { ChatStorage } from '../storage/types'

const DAY_MS = 24 * 60 * 60 * 1000

/** How retention runs; `days` 0 turns it off. */
export interface RetentionOptions {
  /** Messages older than this many days are removed. */
  days: number
  /** Messages per delete: one write transaction each, so a batch is what a sender may wait behind. */
  batchSize: number
  /** Between two runs. */
  intervalMs: number
}

/** Rows per retention step: one write transaction each, so a step is the longest a sender waits behind it. */
export const RETENTION_BATCH_SIZE = 1000

/** Time between runs by default: an hour; every run reads the whole messages table once (SQLite, in steps). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000

/** One retention run: deletes every message older than `days`, a batch at a time, and answers how many went. */
export function removeExpiredMessages(storage: ChatStorage, days: number, batchSize: number, now = Date.now()): Promise<number> {
  return storage.deleteMessagesBefore(now - days * DAY_MS, batchSize)
}

/**
 * Runs retention at start and then every `intervalMs`, one run at a time; a failed run (storage down) is
 * logged and the next one tries again. Answers a stop function. Every instance may run it: the deletes are
 * idempotent, and PostgreSQL lets one instance at a time work.
 */
export function startRetention(storage: ChatStorage, options: RetentionOptions, log: Pick<Console, 'info' | 'warn'> = console): () => void {
  let running: Promise<void> | null = null
  const run = () => {
    running ??= removeExpiredMessages(storage, options.days, options.batchSize)
      .then((removed) => {
        if (removed > 0) log.info(`[banter] retention: removed ${removed} messages older than ${options.days} days`)
      })
      .catch((error: unknown) => {
        log.warn(`[banter] retention run failed, next try in ${Math.round(options.intervalMs / 1000)} s: ${error instanceof Error ? error.message : String(error)}`)
      })
      .finally(() => (running = null))
  }
  const first = setTimeout(run, 0)
  const timer = setInterval(run, options.intervalMs)
  timer.unref()
  return () => {
    clearTimeout(first)
    clearInterval(timer)
  }
}

/** Reads NUXT_RETENTION_DAYS: a whole number of days, 0 (the default) for off. Anything else is refused. */
export function parseRetentionDays(value: unknown): number {
  if (value === undefined || value === '' || value === null) return 0
  const days = Number(value)
  if (!Number.isInteger(days) || days < 0 || days > 36_500) {
    throw new RangeError(`NUXT_RETENTION_DAYS must be a whole number of days from 0 (off) to 36500, got ${JSON.stringify(value)}`)
  }
  return days
}
