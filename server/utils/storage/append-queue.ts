import type { AppendResult, NewMessage } from './types'

/** Writes a batch; answers per message its result or the error that message alone failed with. */
export type BatchWriter = (messages: NewMessage[]) => Promise<(AppendResult | Error)[]>

interface Waiting {
  message: NewMessage
  resolve: (result: AppendResult) => void
  reject: (error: unknown) => void
}

/**
 * Gathers the appends of one event-loop turn into one write, and while a write is in flight, everything that
 * arrives meanwhile into the next one. One write at a time: two in flight could take one room's seqs in the
 * opposite order of arrival, reordering a sender's own messages. A failed write rejects every append in it.
 */
export function createAppendQueue(write: BatchWriter) {
  let pending: Waiting[] = []
  let inFlight: Promise<void> | null = null
  let scheduled = false

  const flush = () => {
    scheduled = false
    if (inFlight || pending.length === 0) return
    const current = pending
    pending = []
    inFlight = write(current.map(item => item.message)).then(
      results => current.forEach((item, index) => {
        const result = results[index]!
        if (result instanceof Error) item.reject(result)
        else item.resolve(result)
      }),
      error => current.forEach(item => item.reject(error)),
    ).finally(() => {
      inFlight = null
      flush()
    })
  }

  return {
    append(message: NewMessage): Promise<AppendResult> {
      return new Promise((resolve, reject) => {
        pending.push({ message, resolve, reject })
        if (!scheduled && !inFlight) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    /** Settles once nothing is waiting or being written. */
    async drain(): Promise<void> {
      while (inFlight || pending.length > 0) {
        flush()
        await inFlight
      }
    },
  }
}
