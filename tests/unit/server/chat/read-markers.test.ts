import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatService } from '#server/utils/chat/chat-service'
import { ReadMarkerBatch } from '#server/utils/chat/read-markers'
import { handleFrame } from '#server/utils/socket/frame-handler'
import type { ChatStorage } from '#server/utils/storage/types'
import { flushed, freshLocalChat, recordingConnection } from '../support/chat'

const author = { id: 'w', name: 'writer', username: 'writer' }
const readers = Array.from({ length: 5 }, (_, index) => ({ id: `r${index}`, name: `reader${index}`, username: `reader${index}` }))

describe('read markers on the server', () => {
  let storage: ChatStorage
  let chat: ChatService

  beforeEach(async () => {
    ({ storage, chat } = await freshLocalChat())
    for (let index = 1; index <= 3; index++) await chat.postMessage(author, 'general', `m${index}`, `c${index}`)
  })
  afterEach(() => storage.close())

  it('writes the markers of one turn, from every reader of a message, in one storage call', async () => {
    const writes = vi.spyOn(storage, 'setReadSeqs')
    const stored = await Promise.all(readers.map(reader => chat.markRead(reader, 'general', 3)))
    expect(stored).toEqual([3, 3, 3, 3, 3])
    expect(writes).toHaveBeenCalledTimes(1)
    expect(writes.mock.calls[0]![0]).toHaveLength(readers.length)
    for (const reader of readers) expect(await storage.readSeqs(reader.id)).toEqual({ general: 3 })
  })

  it('tells each user once per room and turn, however many of their tabs moved the marker, and never backwards', async () => {
    const reader = readers[0]!
    const tabs = [recordingConnection('t1', reader), recordingConnection('t2', reader)]
    const other = recordingConnection('o', readers[1]!)
    for (const tab of [...tabs, other]) chat.connect(tab.connection)
    await Promise.all([
      handleFrame(chat, tabs[0]!.connection, JSON.stringify({ type: 'read', room: 'general', seq: 2 })),
      handleFrame(chat, tabs[1]!.connection, JSON.stringify({ type: 'read', room: 'general', seq: 3 })),
      handleFrame(chat, tabs[1]!.connection, JSON.stringify({ type: 'read', room: 'general', seq: 1 })),
    ])
    await flushed()
    for (const tab of tabs) expect(tab.events()).toEqual([{ type: 'read', room: 'general', seq: 3 }])
    expect(other.events()).toEqual([])

    await handleFrame(chat, tabs[0]!.connection, JSON.stringify({ type: 'read', room: 'general', seq: 1 }))
    await flushed()
    expect(tabs[0]!.events().at(-1)).toEqual({ type: 'read', room: 'general', seq: 3 })
  })

  it('fails only the marker whose room is gone, and stores the rest of its turn', async () => {
    const announced: unknown[] = []
    const batch = new ReadMarkerBatch(storage, markers => announced.push(...markers))
    const [kept, refused] = await Promise.allSettled([batch.raise('r0', 'general', 2), batch.raise('r0', 'ghost', 1)])
    expect(kept).toEqual({ status: 'fulfilled', value: 2 })
    expect(refused).toMatchObject({ status: 'rejected', reason: new Error('Unknown room: ghost') })
    expect(announced).toEqual([{ userId: 'r0', room: 'general', seq: 2 }])
  })
})
