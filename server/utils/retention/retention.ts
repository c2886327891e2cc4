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

/** One retention run: deletes every message older than `days`, a batch at a time, and answers how many went. */
export function removeExpiredMessages(storage: ChatStorage, days: number, batchSize: number, now = Date.now()): Promise<number> {
  return storage.deleteMessagesBefore(now - days * DAY_MS, batchSize)
}

/**
 * Runs retention at start and then every `intervalMs`, one run at a time; a failed run (storage down) is
 * logged and the next one tries again. Answers a stop function. Every instance may run it: the deletes are
 * idempotent, and PostgreSQL lets one instance at a time work.
 */
export function startRetention(storage: ChatStorage, options: RetentionOptions, log: Pick<Console, 'info' | 'warn'>): () => void {
  let running: Promise<void> | null = null
  const run = () => {
    running ??= removeExpiredMessages(storage, options.days, options.batchSize)
      .then((removed) => {
        if (removed > 0) log.info(`retention: removed ${removed} messages older than ${options.days} days`)
      })
      .catch((error: unknown) => {
        log.warn(`retention run failed, next try in ${Math.round(options.intervalMs / 1000)} s: ${error instanceof Error ? error.message : String(error)}`)
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
