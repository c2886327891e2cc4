import { describe, expect, it } from 'vitest'
import { currentTurn, flushAfterThisTask, flushLater } from '#server/utils/socket/flush-queue'

/** Runs `task` the way the SQLite storage writes a batch: inside a setImmediate callback. */
const inImmediate = (task: (log: string[]) => void) => new Promise<string[]>((resolve) => {
  const log: string[] = []
  setImmediate(() => {
    task(log)
    // Scheduled from an immediate, this one runs on the next loop iteration: what a plain flushLater waits for.
    setImmediate(() => setImmediate(() => resolve(log)))
    setImmediate(() => log.push('next iteration'))
  })
})

const recorder = (id: string, log: string[]) => ({ id, flush: () => log.push(`flush ${id} turn ${currentTurn()}`) })

describe('the flush queue', () => {
  it('writes lines queued by a resolved batch\'s continuations before the next loop iteration, in one flush', async () => {
    const before = currentTurn()
    const log = await inImmediate((log) => {
      let resolveBatch!: () => void
      const batch = new Promise<void>(resolve => (resolveBatch = resolve))
      void batch.then(() => {
        flushLater(recorder('a', log))
        flushAfterThisTask()
      })
      // A continuation a few awaits deeper, as the ack after `await chat.postFrom(...)` is.
      void batch.then(() => undefined).then(() => undefined).then(() => {
        flushLater(recorder('b', log))
        flushAfterThisTask()
      })
      resolveBatch()
    })
    expect(log).toEqual([`flush a turn ${before + 1}`, `flush b turn ${before + 1}`, 'next iteration'])
  })

  it('without flushAfterThisTask flushes on its setImmediate, once for everything queued before it', async () => {
    const before = currentTurn()
    const log = await inImmediate((log) => {
      flushLater(recorder('a', log))
      void Promise.resolve().then(() => log.push('continuations done'))
      flushLater(recorder('b', log))
    })
    expect(log).toEqual(['continuations done', `flush a turn ${before + 1}`, `flush b turn ${before + 1}`, 'next iteration'])
  })
})
