import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatService } from '#server/utils/chat/chat-service'
import { RoomCursor } from '#server/utils/chat/room-cursor'
import { encodeEvent } from '#server/utils/socket/connection'
import { handleFrame } from '#server/utils/socket/frame-handler'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { LEAVE_GRACE_MS } from '#server/utils/chat/join-leave'
import { flushed, freshLocalChat, localChat, recordingConnection } from '../support/chat'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }

describe('ChatService', () => {
  let storage: ChatStorage
  let chat: ChatService

  beforeEach(async () => {
    ({ storage, chat } = await freshLocalChat())
  })
  afterEach(() => {
    vi.useRealTimers()
    return storage.close()
  })

  it('creates general once', async () => {
    await chat.ensureDefaultRoom()
    expect((await storage.listRooms()).map(room => room.name)).toEqual(['general'])
  })

  it('joins, broadcasts to members only and acks the sender after its own chat event', async () => {
    const a = recordingConnection('1', alice)
    const b = recordingConnection('2', bob)
    const outsider = recordingConnection('3', { id: 'c', name: 'carol', username: 'carol' })
    for (const peer of [a, b, outsider]) chat.connect(peer.connection)
    await handleFrame(chat, a.connection, JSON.stringify({ type: 'join', room: 'general' }))
    await handleFrame(chat, b.connection, JSON.stringify({ type: 'join', room: 'general' }))
    await handleFrame(chat, a.connection, JSON.stringify({ type: 'chat', room: 'general', text: 'hi', clientId: 'c1' }))
    await flushed()

    const types = a.events().map(event => event.type)
    expect(types[0]).toBe('joined')
    // The sender hears its own message, then the ack that it is stored.
    expect(types.filter(type => type === 'chat' || type === 'ack')).toEqual(['chat', 'ack'])
    expect(b.events().filter(event => event.type === 'chat')).toHaveLength(1)
    expect(outsider.events()).toEqual([])
  })

  it('batches one turn\'s events for a connection into a single NDJSON frame', async () => {
    const a = recordingConnection('1', alice)
    chat.connect(a.connection)
    await chat.join(a.connection, 'general')
    await flushed()
    a.frames.length = 0
    // Five messages from five people, written in one storage batch and delivered in one frame.
    await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map(id => chat.postMessage({ id, name: id, username: id }, 'general', `from ${id}`, 'same')))
    await flushed()
    expect(a.frames).toHaveLength(1)
    expect(a.events().map(event => event.type === 'chat' && event.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('announces a join only for a user\'s first connection and a leave only for their last', async () => {
    const watcher = recordingConnection('w', bob)
    const tab1 = recordingConnection('1', alice)
    const tab2 = recordingConnection('2', alice)
    for (const peer of [watcher, tab1, tab2]) chat.connect(peer.connection)
    await chat.join(watcher.connection, 'general')
    await chat.join(tab1.connection, 'general')
    await chat.join(tab2.connection, 'general')
    chat.disconnect(tab1.connection)
    await flushed()
    const systemKinds = () => watcher.events().filter(event => event.type === 'system' && event.user.id === 'a').map(event => event.type === 'system' && event.kind)
    expect(systemKinds()).toEqual(['join'])
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    chat.disconnect(tab2.connection)
    vi.advanceTimersByTime(LEAVE_GRACE_MS)
    await flushed()
    expect(systemKinds()).toEqual(['join', 'leave'])
  })

  it('tells the room nothing when a user reloads or reconnects within the grace, and a leave at once when they leave', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const watcher = recordingConnection('w', bob)
    const before = recordingConnection('1', alice)
    const after = recordingConnection('2', alice)
    for (const peer of [watcher, before, after]) chat.connect(peer.connection)
    await chat.join(watcher.connection, 'general')
    await chat.join(before.connection, 'general')
    chat.disconnect(before.connection)
    vi.advanceTimersByTime(LEAVE_GRACE_MS - 1)
    await chat.join(after.connection, 'general')
    vi.advanceTimersByTime(LEAVE_GRACE_MS)
    await flushed()
    const systemKinds = () => watcher.events().filter(event => event.type === 'system' && event.user.id === 'a').map(event => event.type === 'system' && event.kind)
    expect(systemKinds()).toEqual(['join'])
    chat.leave(after.connection, 'general')
    await flushed()
    expect(systemKinds()).toEqual(['join', 'leave'])
  })

  it('handles a duplicate clientId by acking the stored message without broadcasting it again', async () => {
    const a = recordingConnection('1', alice)
    const b = recordingConnection('2', bob)
    chat.connect(a.connection)
    chat.connect(b.connection)
    await chat.join(a.connection, 'general')
    await chat.join(b.connection, 'general')
    const frame = JSON.stringify({ type: 'chat', room: 'general', text: 'once', clientId: 'dup' })
    await handleFrame(chat, a.connection, frame)
    await handleFrame(chat, a.connection, frame)
    await flushed()
    const acks = a.events().filter(event => event.type === 'ack')
    expect(acks).toHaveLength(2)
    expect(acks[1]).toEqual(acks[0])
    expect(b.events().filter(event => event.type === 'chat')).toHaveLength(1)
  })

  it('tells every connection about a new room and refuses a duplicate', async () => {
    const a = recordingConnection('1', alice)
    chat.connect(a.connection)
    expect(await chat.createRoom('plans', alice)).toMatchObject({ name: 'plans' })
    expect(await chat.createRoom('plans', alice)).toBeNull()
    await flushed()
    expect(a.events()).toEqual([{ type: 'room', room: expect.objectContaining({ name: 'plans', createdBy: 'a' }) }])
  })

  it('answers a storage failure with an internal error and keeps serving', async () => {
    const a = recordingConnection('1', alice)
    chat.connect(a.connection)
    await chat.join(a.connection, 'general')
    const original = storage.appendMessage
    storage.appendMessage = async () => {
      throw new Error('disk full')
    }
    const consoleError = console.error
    console.error = () => {}
    await handleFrame(chat, a.connection, JSON.stringify({ type: 'chat', room: 'general', text: 'x', clientId: 'boom' }))
    console.error = consoleError
    storage.appendMessage = original
    await handleFrame(chat, a.connection, JSON.stringify({ type: 'chat', room: 'general', text: 'y', clientId: 'fine' }))
    await flushed()
    expect(a.events().filter(event => event.type === 'error' || event.type === 'ack').map(event => event.type === 'error' ? event.code : event.type)).toEqual(['internal', 'ack'])
  })

  it('closes every connection of a signed-out user with the given code', () => {
    const tab1 = recordingConnection('1', alice)
    const tab2 = recordingConnection('2', alice)
    const other = recordingConnection('3', bob)
    for (const peer of [tab1, tab2, other]) chat.connect(peer.connection)
    chat.hub.closeUser('a', 1008, 'signed out')
    expect([tab1.closes, tab2.closes, other.closes]).toEqual([[[1008, 'signed out']], [[1008, 'signed out']], []])
  })
})

describe('Connection', () => {
  it('handles queued frames one at a time, in order, even when an earlier one is slower', async () => {
    const { connection } = recordingConnection('1', alice)
    const order: string[] = []
    let releaseSlow!: () => void
    const gate = new Promise<void>(resolve => (releaseSlow = resolve))
    const slow = connection.enqueue(async () => {
      await gate
      order.push('slow')
    })
    const fast = connection.enqueue(async () => {
      order.push('fast')
    })
    // Give the fast task every chance to overtake before the slow one may finish.
    await flushed()
    releaseSlow()
    await Promise.all([slow, fast])
    expect(order).toEqual(['slow', 'fast'])
  })

  it('starts the next frame once a task releases its turn, and drains only when every task finished', async () => {
    const { connection } = recordingConnection('1', alice)
    const order: string[] = []
    let finishFirst!: () => void
    const gate = new Promise<void>(resolve => (finishFirst = resolve))
    const first = connection.enqueue(async (release) => {
      order.push('first queued')
      release()
      await gate
      order.push('first done')
    })
    const second = connection.enqueue(async () => {
      order.push('second')
    })
    await second
    expect(order).toEqual(['first queued', 'second'])
    let drained = false
    const draining = connection.drained().then(() => (drained = true))
    await flushed()
    expect(drained).toBe(false)
    finishFirst()
    await Promise.all([first, draining])
    expect(order).toEqual(['first queued', 'second', 'first done'])
  })

  it('stores a socket\'s pipelined messages in the order sent and acks each', async () => {
    const { storage, chat } = await freshLocalChat()
    try {
      const a = recordingConnection('1', alice)
      chat.connect(a.connection)
      await handleFrame(chat, a.connection, JSON.stringify({ type: 'join', room: 'general' }))
      const sends = Array.from({ length: 20 }, (_, index) => a.connection.enqueue(release =>
        handleFrame(chat, a.connection, JSON.stringify({ type: 'chat', room: 'general', text: `m${index}`, clientId: `c${index}` }), release)))
      await Promise.all(sends)
      await flushed()
      expect((await storage.messagesAfter('general', 0, 50)).map(message => message.text)).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`))
      expect(a.events().filter(event => event.type === 'ack').map(event => (event as { clientId: string }).clientId))
        .toEqual(Array.from({ length: 20 }, (_, index) => `c${index}`))
    }
    finally {
      await storage.close()
    }
  })

  it('keeps the queue going after a task fails', async () => {
    const { connection } = recordingConnection('1', alice)
    const failed = connection.enqueue(async () => {
      throw new Error('boom')
    })
    await expect(failed).rejects.toThrow('boom')
    let ran = false
    await connection.enqueue(async () => {
      ran = true
    })
    expect(ran).toBe(true)
  })

  it('sends nothing after it is closed', async () => {
    const { connection, frames } = recordingConnection('1', alice)
    connection.send({ type: 'left', room: 'general' })
    connection.close(1000, 'bye')
    connection.send({ type: 'left', room: 'other' })
    await flushed()
    expect(frames).toEqual([JSON.stringify({ type: 'left', room: 'general' })])
  })
})

describe('the resume seam', () => {
  it('delivers a live message that lands during the replay once, after the replay, in seq order', async () => {
    const storage = createSqliteStorage(':memory:')
    const chat = localChat(storage)
    await chat.ensureDefaultRoom()
    const author = { id: 'w', name: 'writer', username: 'writer' }
    for (let index = 1; index <= 3; index++) await chat.postMessage(author, 'general', `m${index}`, `c${index}`)

    // Slow the replay read down so other writes can land while it is in flight.
    const messagesAfter = storage.messagesAfter.bind(storage)
    let releaseRead!: () => void
    const readGate = new Promise<void>(resolve => (releaseRead = resolve))
    storage.messagesAfter = async (...args) => {
      const result = await messagesAfter(...args)
      await readGate
      return result
    }
    const reader = recordingConnection('r', { id: 'r', name: 'reader', username: 'reader' })
    chat.connect(reader.connection)
    const joining = chat.join(reader.connection, 'general', 1)
    await flushed()
    await chat.postMessage(author, 'general', 'during', 'c4')
    releaseRead()
    await joining
    await flushed()
    const seen = reader.events().flatMap((event): (number | string)[] => event.type === 'chat' ? [event.seq] : event.type === 'joined' ? ['joined'] : [])
    expect(seen).toEqual([2, 3, 'joined', 4])
    await storage.close()
  })

  it('drops held events the replay already covered and keeps the rest', async () => {
    const { connection, events } = recordingConnection('1', alice)
    const general = new RoomCursor(connection, false)
    const other = new RoomCursor(connection, false)
    general.hold()
    general.deliver(5, encodeEvent({ type: 'left', room: 'five' }))
    general.deliver(undefined, encodeEvent({ type: 'left', room: 'system' }))
    general.deliver(6, encodeEvent({ type: 'left', room: 'six' }))
    other.deliver(1, encodeEvent({ type: 'left', room: 'other' }))
    await flushed()
    expect(events().map(event => event.type === 'left' && event.room)).toEqual(['other'])
    general.release(5)
    await flushed()
    expect(events().map(event => event.type === 'left' && event.room)).toEqual(['other', 'system', 'six'])
  })

  it('closes a connection whose socket buffer is over the limit with 1013 instead of writing more', async () => {
    const { connection, frames, closes, transport } = recordingConnection('1', alice)
    transport.buffered = DEFAULT_LIMITS.maxBufferedBytes + 1
    connection.send({ type: 'left', room: 'general' })
    await flushed()
    expect(frames).toEqual([])
    expect(closes).toEqual([[1013, 'too slow: reconnect and resume']])
  })
})
