import { afterEach, describe, expect, it, vi } from 'vitest'
import { removeExpiredMessages, startRetention } from '#server/utils/retention/retention'
import type { ChatStorage } from '#server/utils/storage/types'

/** A storage holding `backlog` expired messages; the cutoffs it was asked for are recorded. */
function backlogStorage(backlog: number, failFirst = false) {
  const cutoffs: number[] = []
  let calls = 0
  const storage = {
    async deleteMessagesBefore(cutoff: number) {
      cutoffs.push(cutoff)
      if (failFirst && calls++ === 0) throw new Error('connect ECONNREFUSED')
      const removed = backlog
      backlog = 0
      return removed
    },
  } as Pick<ChatStorage, 'deleteMessagesBefore'> as ChatStorage
  return { storage, cutoffs }
}

describe('removeExpiredMessages', () => {
  it('asks the storage for everything older than N days', async () => {
    const { storage, cutoffs } = backlogStorage(25)
    const now = Date.UTC(2026, 11, 2)
    expect(await removeExpiredMessages(storage, 7, 10, now)).toBe(25)
    expect(cutoffs).toEqual([now - 7 * 86_400_000])
  })
})

describe('startRetention', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs at start and every interval, logs what it removed, and survives a failed run', async () => {
    vi.useFakeTimers()
    const { storage, cutoffs } = backlogStorage(3, true)
    const log = { info: vi.fn(), warn: vi.fn() }
    const stop = startRetention(storage, { days: 30, batchSize: 100, intervalMs: 60_000 }, log)
    await vi.advanceTimersByTimeAsync(0)
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('retention run failed, next try in 60 s: connect ECONNREFUSED'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(log.info).toHaveBeenCalledWith('retention: removed 3 messages older than 30 days')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(cutoffs).toHaveLength(3)
    expect(log.info).toHaveBeenCalledTimes(1)
    stop()
    await vi.advanceTimersByTimeAsync(180_000)
    expect(cutoffs).toHaveLength(3)
  })
})
