import { describe, expect, it, vi } from 'vitest'
import type { ChatMessage, ThreadPage } from '#shared/protocol'
import { useConnectionStore } from '~/stores/connection'
import { useMessagesStore } from '~/stores/messages'
import { useOutboxStore } from '~/stores/outbox'
import { useThreadsStore } from '~/stores/threads'
import { inRoomTimeline } from '~/utils/timeline'
import { PROTOCOL_VERSION } from '#shared/protocol'
import { bob, fetchMock, historyPages, latest, message, threadsEverywhere, useStoreTestEnvironment, user } from './support'

useStoreTestEnvironment()

function connected() {
  const connection = useConnectionStore()
  const threads = useThreadsStore()
  const outbox = useOutboxStore()
  connection.connect()
  latest().accept()
  return { threads, outbox, messages: useMessagesStore() }
}

const chat = (reply: ChatMessage) => latest().deliver({ type: 'chat', ...reply })

describe('the threads store', () => {
  it('counts replies by others in a thread the user started, each reply once, even when replayed', () => {
    const { threads, messages } = connected()
    messages.setHistory('general', [message(1, { id: 'root', user })])
    const reply = message(2, { threadId: 'root' })
    chat(reply)
    chat(reply)
    expect(threads.unreadOf('root')).toBe(1)
    chat(message(3, { threadId: 'root' }))
    expect(threads.unreadOf('root')).toBe(2)
    threads.markRead('root')
    expect(threads.unreadOf('root')).toBe(0)
  })

  it('counts nothing in others\' threads until the user replies there or is mentioned', () => {
    const { threads, messages } = connected()
    messages.setHistory('general', [message(1, { id: 'a' }), message(2, { id: 'b' })])
    chat(message(3, { threadId: 'a' }))
    chat(message(4, { threadId: 'b' }))
    expect([threads.unreadOf('a'), threads.unreadOf('b')]).toStrictEqual([0, 0])
    chat(message(5, { threadId: 'a', user, text: 'me too' }))
    chat(message(6, { threadId: 'b', text: 'what does @alice think?' }))
    // The mention itself is news; the user's own reply never is.
    expect([threads.unreadOf('a'), threads.unreadOf('b')]).toStrictEqual([0, 1])
    chat(message(7, { threadId: 'a', user: bob }))
    expect(threads.unreadOf('a')).toBe(1)
  })

  it('opens a thread with its page, keeps it live and counts nothing while it is open', async () => {
    const { threads, messages } = connected()
    messages.setHistory('general', [message(1, { id: 'root', user })])
    const page: ThreadPage = { room: 'general', root: message(1, { id: 'root', user }), messages: [message(2, { threadId: 'root' })] }
    historyPages.push(page)
    await threads.openThread('general', 'root')
    expect(threads.repliesOf('root').map(reply => reply.seq)).toStrictEqual([2])
    chat(message(3, { threadId: 'root' }))
    expect(threads.repliesOf('root').map(reply => reply.seq)).toStrictEqual([2, 3])
    expect(threads.unreadOf('root')).toBe(0)
    // Other rooms' timelines do not take a thread-only reply; one sent to the room too they do.
    expect(messages.messagesOf('general').filter(inRoomTimeline).map(item => item.seq)).toStrictEqual([1])
    chat(message(4, { threadId: 'root', alsoToRoom: true }))
    expect(messages.messagesOf('general').filter(inRoomTimeline).map(item => item.seq)).toStrictEqual([1, 4])
  })

  it('sends a thread reply through the outbox with its thread, shown in the thread and not the room', () => {
    const { outbox } = connected()
    outbox.send('general', 'in the thread', { threadId: 'root' })
    expect(latest().sentOf('chat').at(-1)).toMatchObject({ text: 'in the thread', threadId: 'root' })
    expect(outbox.outboxOf('general')).toStrictEqual([])
    expect(outbox.outboxOfThread('general', 'root').map(item => item.text)).toStrictEqual(['in the thread'])
    outbox.send('general', 'quoted', { replyTo: 'm1' })
    expect(outbox.outboxOf('general').map(item => item.text)).toStrictEqual(['quoted'])
  })

  it('holds the message the room\'s composer quotes until it is cleared', () => {
    const { threads } = connected()
    threads.replyTo('general', message(1))
    expect(threads.replyingTo.general?.id).toBe('m1')
    threads.replyTo('general', null)
    expect(threads.replyingTo.general).toBeUndefined()
  })
})

describe('a thread opened from a link', () => {
  it('asks for the thread with both path parts encoded, and closes the panel when the server refuses it', async () => {
    const { threads } = connected()
    fetchMock.mockImplementation(async () => {
      throw Object.assign(new Error('Not Found'), { statusCode: 404 })
    })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    await threads.openThread('general', '../../../audit#')
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms/general/messages/..%2F..%2F..%2Faudit%23/thread', expect.anything())
    expect(threads.open).toBeNull()
  })
})

describe('threads followed on the server', () => {
  const followed = (rootId: string, readSeq: number, unread: number[]) =>
    ({ room: 'general', threads: [{ rootId, readSeq, unread: unread.map(seq => ({ id: `m${seq}`, seq })) }] })

  it('counts what the server has unread, then live replies, each reply once', async () => {
    const { threads } = connected()
    historyPages.push(followed('root', 4, [5, 6]))
    await threads.loadFollowed('general')
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms/general/threads')
    expect(threads.unreadOf('root')).toBe(2)
    // The server's list made the thread one the user takes part in: a live reply counts, a replayed one not again.
    chat(message(6, { threadId: 'root' }))
    chat(message(7, { threadId: 'root' }))
    expect(threads.unreadOf('root')).toBe(3)
  })

  it('drops what another tab read, and reads the counts again after a reconnect', async () => {
    const { threads } = connected()
    historyPages.push(followed('root', 4, [5, 6, 7]))
    await threads.loadFollowed('general')
    latest().deliver({ type: 'thread-read', room: 'general', rootId: 'root', seq: 6 })
    expect(threads.unreadOf('root')).toBe(1)
    // Read elsewhere while this tab was offline: the next welcome brings the server's answer.
    historyPages.push(followed('root', 7, []))
    latest().serverClose(1006)
    await vi.advanceTimersByTimeAsync(60_000)
    latest().accept()
    await vi.waitFor(() => expect(threads.unreadOf('root')).toBe(0))
  })

  it('keeps what another tab read while the server\'s list was on its way', async () => {
    const { threads } = connected()
    historyPages.push(followed('root', 4, [5, 6, 7]))
    const loading = threads.loadFollowed('general')
    // The list was read before the other tab's read reached the server; the read reaches this tab first.
    latest().deliver({ type: 'thread-read', room: 'general', rootId: 'root', seq: 6 })
    await loading
    expect(threads.unreadOf('root')).toBe(1)
  })

  it('reads the threads of every room on welcome: the count of threads with news stays live, whatever room is shown', async () => {
    const root = (room: string, id: string) => message(1, { room, id, user })
    threadsEverywhere.push(
      { root: root('plans', 'p1'), readSeq: 1, unread: [{ id: 'm2', seq: 2 }] },
      { root: root('random', 'r1'), readSeq: 4, unread: [] },
    )
    const { threads } = connected()
    await vi.waitFor(() => expect(threads.everywhere).toEqual(['p1', 'r1']))
    expect(threads.unreadThreads).toBe(1)
    expect(threads.rootOf('plans', 'p1')?.room).toBe('plans')
    // A reply in the other thread, heard live: the user follows it, so it counts, though neither room is shown.
    chat(message(5, { room: 'random', threadId: 'r1' }))
    expect(threads.unreadThreads).toBe(2)
    latest().deliver({ type: 'thread-read', room: 'plans', rootId: 'p1', seq: 2 })
    expect(threads.unreadThreads).toBe(1)
  })

  it('forgets the threads of a room the user lost, and a deleted reply\'s news', async () => {
    threadsEverywhere.push(
      { root: message(1, { room: 'plans', id: 'p1', user }), readSeq: 1, unread: [{ id: 'm2', seq: 2 }] },
      { root: message(1, { room: 'random', id: 'r1', user }), readSeq: 1, unread: [] },
    )
    const { threads } = connected()
    await vi.waitFor(() => expect(threads.unreadThreads).toBe(1))
    const reply = message(3, { room: 'random', threadId: 'r1' })
    chat(reply)
    expect(threads.unreadOf('r1')).toBe(1)
    latest().deliver({ type: 'update', message: { ...reply, text: '', deletedAt: 4 } })
    expect(threads.unreadOf('r1')).toBe(0)
    latest().deliver({ type: 'room-removed', room: 'plans' })
    expect(threads.unreadThreads).toBe(0)
    expect(threads.everywhere).toEqual(['r1'])
  })

  it('drops a list that arrives after the user changed, so one user\'s threads never show to the next', async () => {
    let answer: (value: unknown) => void = () => {}
    const standard = fetchMock.getMockImplementation()!
    fetchMock.mockImplementation(async (url: string) => url === '/api/threads' && !threadsEverywhere.length
      ? new Promise((resolve) => { answer = resolve })
      : standard(url))
    const { threads } = connected()
    const aliceAnswer = answer
    // Another user's welcome on the same socket: the store starts over.
    latest().deliver({ type: 'welcome', user: bob, version: PROTOCOL_VERSION, heartbeatMs: 25_000, limits: { maxRoomsPerConnection: 50 } })
    aliceAnswer({ threads: [{ root: message(1, { room: 'secret', id: 's1', user, text: 'alice only' }), readSeq: 0, unread: [{ id: 'm2', seq: 2 }] }] })
    answer({ threads: [] })
    await vi.waitFor(() => expect(threads.everywhere).toEqual([]))
    expect(threads.roots).toEqual({})
    expect(threads.unreadThreads).toBe(0)
  })

  it('tells the server how far an open thread is read, once per reply', async () => {
    const { threads, messages } = connected()
    messages.setHistory('general', [message(1, { id: 'root', user })])
    historyPages.push({ room: 'general', root: message(1, { id: 'root', user }), messages: [message(2, { threadId: 'root' })] })
    await threads.openThread('general', 'root')
    threads.markRead('root')
    threads.markRead('root')
    expect(latest().sentOf('thread-read')).toStrictEqual([{ type: 'thread-read', room: 'general', rootId: 'root', seq: 2 }])
    chat(message(3, { threadId: 'root' }))
    expect(latest().sentOf('thread-read').map(event => event.seq)).toStrictEqual([2, 3])
    expect(threads.unreadOf('root')).toBe(0)
  })
})
