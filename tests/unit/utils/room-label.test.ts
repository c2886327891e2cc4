import { expect, it } from 'vitest'
import { dmPartner, roomLabel } from '~/utils/room-label'

const members = [{ id: 'a', name: 'alice', username: 'alice' }, { id: 'b', name: 'Bob', username: 'bob', guest: true as const }]

it('names a direct message after the other person, with their username, and other rooms after themselves', () => {
  expect(roomLabel({ name: 'dm-123', kind: 'dm', members }, 'a')).toBe('Bob (@bob, guest)')
  expect(roomLabel({ name: 'dm-123', kind: 'dm', members }, 'b')).toBe('alice (@alice)')
  expect(roomLabel({ name: 'dm-123', kind: 'dm' }, 'a')).toBe('direct message')
  expect(roomLabel({ name: 'plans', kind: 'private', members }, 'a')).toBe('plans')
  expect(roomLabel({ name: 'general' }, 'a')).toBe('general')
})

it('finds the other person of a direct message only', () => {
  expect(dmPartner({ kind: 'dm', members }, 'a')).toEqual(members[1])
  expect(dmPartner({ kind: 'private', members }, 'a')).toBeUndefined()
})
