import { expect, it } from 'vitest'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import { flushAfterThisTask, flushLater } from '#server/utils/socket/flush-queue'

const alice = { id: 'a', name: 'alice', username: 'alice' }

// Issue 15: the batch is written from a setImmediate, and a flush scheduled from there with setImmediate
// waited for the next loop iteration. What the stored message's continuations queue goes out in the same one.
it('writes what a stored batch\'s continuations queue before the loop moves on to its next immediate', async () => {
  // As the server wires it (boot/backends.ts).
  const storage = createSqliteStorage(':memory:', { onBatchWritten: flushAfterThisTask })
  await storage.createRoom('general', null)
  const order: string[] = []
  const delivered = storage.appendMessage({ room: 'general', user: alice, text: 'hi', clientId: 'c1' }).then(() => {
    // What the fan-out does for each member: queue a line, flushed by the flush queue.
    flushLater({ id: 'member', flush: () => order.push('flushed') })
  })
  // Scheduled after the batch's own setImmediate, so it runs right after it, in the same loop iteration.
  const next = new Promise<void>(resolve => setImmediate(() => {
    order.push('next immediate')
    resolve()
  }))
  await Promise.all([delivered, next])
  await new Promise(resolve => setImmediate(resolve))
  expect(order).toEqual(['flushed', 'next immediate'])
  await storage.close()
})
