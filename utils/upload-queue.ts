/** Uploads one tab sends at once: the server holds each user to a share of its uploads in flight (4 by default). */
export const UPLOADS_AT_ONCE = 3

/**
 * Uploads waiting for their turn, tab-wide (every draft's together). `run` starts one and calls `done` exactly
 * once when it ends, however it ends; `cancel` drops one still waiting.
 */
export function createUploadQueue(limit = UPLOADS_AT_ONCE) {
  let running = 0
  const waiting: { key: string, run: (done: () => void) => void }[] = []

  function next(): void {
    while (running < limit && waiting.length > 0) {
      const { run } = waiting.shift()!
      running++
      let ended = false
      run(() => {
        if (ended) return
        ended = true
        running--
        next()
      })
    }
  }

  function enqueue(key: string, run: (done: () => void) => void): void {
    waiting.push({ key, run })
    next()
  }

  function cancel(key: string): void {
    const index = waiting.findIndex(entry => entry.key === key)
    if (index >= 0) waiting.splice(index, 1)
  }

  return { enqueue, cancel, get running() { return running }, get waiting() { return waiting.length } }
}
