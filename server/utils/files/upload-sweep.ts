import type { Storage } from 'unstorage'
import { attachmentIds, loadAttachment, removeAttachment } from './attachments'

const MINUTE_MS = 60_000

/** Between two sweeps. */
export const SWEEP_INTERVAL_MS = 10 * MINUTE_MS

/** One sweep: deletes every upload attached to no message and older than `minutes`; answers how many went. */
export async function sweepUnattached(store: Storage, minutes: number, now = Date.now()): Promise<number> {
  const cutoff = now - minutes * MINUTE_MS
  let removed = 0
  for (const id of await attachmentIds(store)) {
    const record = await loadAttachment(store, id)
    if (!record || record.messageId !== undefined || record.createdAt >= cutoff) continue
    await removeAttachment(store, record)
    removed++
  }
  return removed
}

/**
 * Sweeps at start and then every SWEEP_INTERVAL_MS, one sweep at a time; a failed sweep (store down) is logged and
 * the next one tries again. Answers a stop function. Every instance may sweep: removing twice is harmless.
 */
export function startUploadSweep(store: Storage, minutes: number, log: Pick<Console, 'info' | 'warn'>): () => void {
  let running: Promise<void> | null = null
  const run = () => {
    running ??= sweepUnattached(store, minutes)
      .then((removed) => {
        if (removed > 0) log.info(`upload sweep: removed ${removed} unattached uploads older than ${minutes} minutes`)
      })
      .catch((error: unknown) => log.warn(`upload sweep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (running = null))
  }
  const first = setTimeout(run, 0)
  const timer = setInterval(run, SWEEP_INTERVAL_MS)
  timer.unref()
  return () => {
    clearTimeout(first)
    clearInterval(timer)
  }
}
