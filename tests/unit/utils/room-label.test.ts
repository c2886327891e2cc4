import { expect, it } from 'vitest'
import { roomLabel } from '~/utils/room-label'

it('names a direct message after the other person and other rooms after themselves', () => {
  const members = [{ id: 'a', name: 'alice', username: 'alice' }, { id: 'b', name: 'bob', username: 'bob' }]
  expect(roomLabel({ name: 'dm-123', kind: 'dm', members }, 'a')).toBe('bob')
  expect(roomLabel({ name: 'dm-123', kind: 'dm', members }, 'b')).toBe('alice')
  expect(roomLabel({ name: 'dm-123', kind: 'dm' }, 'a')).toBe('direct message')
  expect(roomLabel({ name: 'plans', kind: 'private', members }, 'a')).toBe('plans')
  expect(roomLabel({ name: 'general' }, 'a')).toBe('general')
})
