import { describe, expect, it } from 'vitest'
import { useConnectionStore } from '~/stores/connection'
import { useMessagesStore } from '~/stores/messages'
import { historyCalls, historyPages, latest, message, useStoreTestEnvironment } from './support'

useStoreTestEnvironment()

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => message(from + index))
const seqs = (messages: { seq: number }[]) => messages.map(item => item.seq)

describe('jumping to a message (a search result)', () => {
  it('highlights a message already loaded without asking the server', async () => {
    const messages = useMessagesStore()
    messages.setHistory('general', range(100, 150))
    await messages.jumpTo('general', 120)
    expect(messages.highlighted).toEqual({ room: 'general', seq: 120 })
    expect(historyCalls()).toEqual([])
  })

  it('loads the page around an older message and the pages up to the loaded ones, so the timeline has no hole', async () => {
    const messages = useMessagesStore()
    messages.setHistory('general', range(201, 250))
    historyPages.push({ messages: range(75, 124), lastSeq: 250 }, { messages: range(125, 224), lastSeq: 250 })
    await messages.jumpTo('general', 100)
    expect(historyCalls()).toEqual([
      ['/api/rooms/general/messages', { query: { around: 100, limit: 50 } }],
      ['/api/rooms/general/messages', { query: { after: 124, limit: 100 } }],
    ])
    expect(seqs(messages.messagesOf('general'))).toEqual(seqs(range(75, 250)))
    expect(messages.detachedRooms).toEqual([])
    expect(messages.highlighted).toEqual({ room: 'general', seq: 100 })
  })

  it('shows a message far back on its own, takes no live message there until the newest page is back', async () => {
    const connection = useConnectionStore()
    connection.connect()
    latest().accept()
    const messages = useMessagesStore()
    messages.setHistory('general', range(951, 1000))
    historyPages.push({ messages: range(75, 124), lastSeq: 1000 }, ...[1, 2, 3].map(page => ({ messages: range(25 + page * 100, 124 + page * 100), lastSeq: 1000 })))
    await messages.jumpTo('general', 100)
    expect(seqs(messages.messagesOf('general'))).toEqual(seqs(range(75, 124)))
    expect(messages.detachedRooms).toEqual(['general'])
    latest().deliver({ type: 'chat', ...message(1001) })
    expect(seqs(messages.messagesOf('general'))).toEqual(seqs(range(75, 124)))
    // Older history still pages in.
    historyPages.push({ messages: range(25, 74), lastSeq: 1001 })
    expect(await messages.loadOlder('general')).toBe(true)
    expect(messages.messagesOf('general')[0]!.seq).toBe(25)
    historyPages.push({ messages: range(902, 1001), lastSeq: 1001 })
    await messages.showLatest('general')
    expect(seqs(messages.messagesOf('general'))).toEqual(seqs(range(902, 1001)))
    expect(messages.detachedRooms).toEqual([])
    latest().deliver({ type: 'chat', ...message(1002) })
    expect(messages.messagesOf('general').at(-1)!.seq).toBe(1002)
  })
})
