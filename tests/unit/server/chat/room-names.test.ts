import { describe, expect, it } from 'vitest'
import { roomNameKey, storedRoomNameKey } from '#server/utils/chat/room-names'

describe('roomNameKey', () => {
  it.each([
    ['general', ['genera1', 'generai', 'qeneral', 'GENERAL', 'genera|']],
    ['sales', ['sa1es', 'saIes']],
    ['main', ['rnain', 'ma1n']],
    ['good', ['g0od', 'go0d', 'qood']],
    ['world', ['vvorld']],
  ])('gives %s and its look-alikes one key', (name, lookAlikes) => {
    for (const lookAlike of lookAlikes) expect(roomNameKey(lookAlike), lookAlike).toBe(roomNameKey(name))
  })

  it('keeps ordinary different room names apart', () => {
    const names = ['general', 'random', 'dev', 'design', 'ops', 'support', 'sales', 'team-a', 'team-b', 'q1-plans',
      'q2-plans', 'release-2', 'release-3', 'announcements', 'help', 'hello', 'off-topic', 'lounge', 'marketing',
      'lint', 'tint', 'clone', 'done', 'cat', 'cal', 'tag', 'lag', 'clev']
    expect(new Set(names.map(roomNameKey)).size).toBe(names.length)
  })

  it('gives a direct message no key: only the server names them, and nobody sees the name', () => {
    expect(storedRoomNameKey('dm-0a1b', 'dm')).toBeNull()
    expect(storedRoomNameKey('plans', 'private')).toBe(roomNameKey('plans'))
    expect(storedRoomNameKey('plans')).toBe(roomNameKey('plans'))
  })
})
