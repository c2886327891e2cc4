import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '#shared/protocol'
import { arePushKeys, isAllowedPushEndpoint } from '#server/utils/push/endpoint-rules'
import { pushPayload, pushText } from '#server/utils/push/push-payload'
import { shouldPush } from '#server/utils/push/push-policy'
import { messagePushCandidates } from '#server/utils/push/push-targets'

describe('push endpoints the server may call', () => {
  it('takes public HTTPS push services', () => {
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc:def', false)).toBe(true)
    expect(isAllowedPushEndpoint('https://updates.push.services.mozilla.com/wpush/v2/gAAA', false)).toBe(true)
    expect(isAllowedPushEndpoint('https://web.push.apple.com/QAbc', false)).toBe(true)
  })

  it('refuses what would make the server call into its own network, or in clear text', () => {
    for (const endpoint of [
      'http://fcm.googleapis.com/fcm/send/abc',
      'https://127.0.0.1/push',
      'https://[::1]/push',
      'https://10.0.0.5/push',
      'https://169.254.169.254/latest/meta-data',
      'https://2130706433/push',
      'https://localhost/push',
      'https://redis/push',
      'https://db.internal/push',
      'https://printer.local/push',
      'https://push.example.com:6379/push',
      'https://user:pass@push.example.com/push',
      'file:///etc/passwd',
      'not a url',
      `https://push.example.com/${'a'.repeat(1100)}`,
    ]) expect(isAllowedPushEndpoint(endpoint, false), endpoint).toBe(false)
  })

  it('takes a loopback push service over HTTP only when the test/dev setting says so', () => {
    expect(isAllowedPushEndpoint('http://127.0.0.1:4567/push/1', false)).toBe(false)
    expect(isAllowedPushEndpoint('http://127.0.0.1:4567/push/1', true)).toBe(true)
    expect(isAllowedPushEndpoint('http://10.0.0.1:4567/push/1', true)).toBe(false)
  })

  it('takes only keys shaped like a browser\'s', () => {
    const p256dh = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url')
    const auth = Buffer.alloc(16, 1).toString('base64url')
    expect(arePushKeys(p256dh, auth)).toBe(true)
    expect(arePushKeys(p256dh.slice(0, -4), auth)).toBe(false)
    expect(arePushKeys(p256dh, Buffer.alloc(8).toString('base64url'))).toBe(false)
  })
})

const message = (text: string, room = 'general'): ChatMessage => ({
  id: 'm1', room, seq: 42, user: { id: 'u-ada', name: 'Ada', username: 'ada' }, text, ts: 1, clientId: 'c1',
})

describe('what a push says', () => {
  it('is plain text: markdown\'s marks gone, whitespace collapsed, cut with an ellipsis', () => {
    expect(pushText('**bold** and _em_ `code`\n\n> quoted [link](https://example.com)')).toBe('bold and em code quoted link')
    const long = pushText('word '.repeat(100))
    expect([...long]).toHaveLength(140)
    expect(long.endsWith('…')).toBe(true)
    expect(pushText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>')
  })

  it('names the room and the sender, and opens the message', () => {
    expect(pushPayload(message('hi @bob'), 'mention')).toEqual({
      title: 'Ada (@ada) in #general', body: 'hi @bob', url: '/rooms/general?at=42', tag: 'message-m1',
    })
    expect(pushPayload(message('psst', 'dm-x'), 'dm')).toMatchObject({ title: 'Ada (@ada): direct message', url: '/rooms/dm-x?at=42' })
  })

  it('opens the thread of a reply sent to its thread only', () => {
    expect(pushPayload({ ...message('in the thread @bob'), threadId: 'm0' }, 'mention')).toMatchObject({ url: '/rooms/general?thread=m0' })
  })
})

describe('who is pushed', () => {
  const storage = {
    usersByUsernameKeys: async (keys: string[]) => [
      { id: 'u-bob', name: 'Bob', username: 'bob' },
      { id: 'u-cy', name: 'Cy', username: 'cy' },
      { id: 'u-ada', name: 'Ada', username: 'ada' },
    ].filter(user => keys.includes(user.username)),
    messageIn: async () => null,
    threadMessages: async () => [],
  }

  it('pushes only a user with no socket on any instance', async () => {
    const counts: Record<string, number> = { 'u-bob': 0, 'u-cy': 2 }
    const connections = { count: async (userId: string) => counts[userId] ?? 0 }
    const levelAllows = async () => true
    expect(await shouldPush({ userId: 'u-bob', room: 'general', kind: 'mention' }, { connections, levelAllows })).toBe(true)
    expect(await shouldPush({ userId: 'u-cy', room: 'general', kind: 'dm' }, { connections, levelAllows })).toBe(false)
  })

  it('pushes only where the user\'s level and mute allow it, asking with the kind of alert', async () => {
    const connections = { count: async () => 0 }
    const asked: string[] = []
    const levelAllows = async (userId: string, room: string, kind: string) => {
      asked.push(`${userId} ${room} ${kind}`)
      return room !== 'muted'
    }
    expect(await shouldPush({ userId: 'u-bob', room: 'muted', kind: 'mention' }, { connections, levelAllows })).toBe(false)
    expect(await shouldPush({ userId: 'u-bob', room: 'dm-x', kind: 'dm' }, { connections, levelAllows })).toBe(true)
    expect(asked).toEqual(['u-bob muted mention', 'u-bob dm-x direct'])
  })

  it('a DM\'s other member (once, even when mentioned there), and mentioned users who may read the room, never the author', async () => {
    expect(await messagePushCandidates(storage, message('@bob @ada'), { members: null, slowModeSeconds: 0 }))
      .toEqual([{ userId: 'u-bob', room: 'general', kind: 'mention' }])
    expect(await messagePushCandidates(storage, message('hey @bob', 'dm-x'), { members: new Set(['u-ada', 'u-bob']), slowModeSeconds: 0, kind: 'dm' }))
      .toEqual([{ userId: 'u-bob', room: 'dm-x', kind: 'dm' }])
    // Cy is not in the private room: naming her there tells her nothing.
    expect(await messagePushCandidates(storage, message('@bob @cy', 'secret'), { members: new Set(['u-ada', 'u-bob']), slowModeSeconds: 0, kind: 'private' }))
      .toEqual([{ userId: 'u-bob', room: 'secret', kind: 'mention' }])
  })

  it('a thread reply: the thread\'s starter and earlier repliers, once each, never the author, mentions first', async () => {
    const by = (id: string, name: string): ChatMessage => ({ ...message('earlier'), user: { id, name, username: name } })
    const threads = {
      ...storage,
      messageIn: async (_room: string, id: string) => id === 'root' ? by('u-bob', 'bob') : null,
      threadMessages: async () => [by('u-cy', 'cy'), by('u-ada', 'ada'), by('u-cy', 'cy')],
    }
    const reply = { ...message('thanks @bob'), threadId: 'root' }
    expect(await messagePushCandidates(threads, reply, { members: null, slowModeSeconds: 0 })).toEqual([
      { userId: 'u-bob', room: 'general', kind: 'mention' },
      { userId: 'u-cy', room: 'general', kind: 'thread-reply' },
    ])
    // An ordinary message of the room reads no thread.
    expect(await messagePushCandidates(threads, message('hello'), { members: null, slowModeSeconds: 0 })).toEqual([])
  })
})
