import type { Storage } from 'unstorage'
import type { ChatStorage } from '../storage/types'
import { attachmentIds, loadAttachment, removeAttachment } from './attachments'
import type { AttachmentRecord } from './attachments'

const MINUTE_MS = 60_000

/** Between two sweeps. */
export const SWEEP_INTERVAL_MS = 10 * MINUTE_MS

/**
 * One sweep: deletes every upload older than `minutes` that no message carries, whether it was never attached or
 * its message is gone (removed by retention, say, which deletes rows without looking at their files); answers
 * how many went.
 */
export async function sweepUnattached(store: Storage, messages: Pick<ChatStorage, 'messageIn'>, minutes: number, now = Date.now()): Promise<number> {
  const cutoff = now - minutes * MINUTE_MS
  let removed = 0
  for (const id of await attachmentIds(store)) {
    const record = await loadAttachment(store, id)
    if (!record || record.createdAt >= cutoff || await isCarried(record, messages)) continue
    await removeAttachment(store, record)
    removed++
  }
  return removed
}

async function isCarried(record: AttachmentRecord, messages: Pick<ChatStorage, 'messageIn'>): Promise<boolean> {
  if (record.messageId === undefined) return false
  const message = await messages.messageIn(record.room, record.messageId)
  return message !== null && message.deletedAt === undefined
}

/**
 * Sweeps at start and then every SWEEP_INTERVAL_MS, one sweep at a time; a failed sweep (store down) is logged and
 * the next one tries again. Answers a stop function. Every instance may sweep: removing twice is harmless.
 */
export function startUploadSweep(store: Storage, messages: Pick<ChatStorage, 'messageIn'>, minutes: number, log: Pick<Console, 'info' | 'warn'>): () => void {
  let running: Promise<void> | null = null
  const run = () => {
    running ??= sweepUnattached(store, messages, minutes)
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
