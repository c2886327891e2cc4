import { describe, expect, it } from 'vitest'
import { unreadMentions } from '#server/utils/chat/unread-mentions'
import type { UnreadWithAtSign } from '#server/utils/storage/mention-types'

const alice = { id: 'a', name: 'Alice', username: 'alice' }
const row = (room: string, seq: number, text: string, extra: Partial<UnreadWithAtSign> = {}): UnreadWithAtSign =>
  ({ room, id: `m${seq}`, seq, text, ...extra })

describe('unread mentions for the room list', () => {
  it('keeps the messages naming the user as a live mention would, per room, ascending', async () => {
    const rows = [
      row('plans', 9, 'ping @ALICE'),
      row('plans', 4, 'hi @alice, lunch?', { threadId: 'm1' }),
      // A look-alike spelling (Cyrillic а) means the one account it can only mean.
      row('random', 2, '@\u0430lice see this'),
      row('random', 3, '@alicex is someone else'),
      row('random', 5, 'mail me at alice@example.com'),
    ]
    const found = await unreadMentions({ unreadWithAtSign: async () => rows }, alice)
    expect(found).toEqual({
      plans: [{ id: 'm4', seq: 4, threadId: 'm1' }, { id: 'm9', seq: 9 }],
      random: [{ id: 'm2', seq: 2 }],
    })
  })
})
