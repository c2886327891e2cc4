import { describe, expect, it } from 'vitest'
import { createUploadQueue } from '~/utils/upload-queue'

describe('the upload queue', () => {
  it('runs a few at a time in the order queued, starts the next as one ends, and drops one cancelled while waiting', () => {
    const queue = createUploadQueue(2)
    const started: string[] = []
    const finish = new Map<string, () => void>()
    for (const key of ['a', 'b', 'c', 'd']) {
      queue.enqueue(key, (done) => {
        started.push(key)
        finish.set(key, done)
      })
    }
    expect(started).toEqual(['a', 'b'])
    queue.cancel('c')
    finish.get('a')!()
    finish.get('a')!()
    // Ending twice frees one place only: d starts, nothing more.
    expect(started).toEqual(['a', 'b', 'd'])
    expect([queue.running, queue.waiting]).toEqual([2, 0])
    finish.get('b')!()
    finish.get('d')!()
    expect(queue.running).toBe(0)
  })
})
