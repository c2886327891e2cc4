import { expect, it } from 'vitest'
import { typingText } from '~/utils/typing-text'

it('names one or two typists and summarises more', () => {
  const users = ['alice', 'bob', 'carol'].map(name => ({ id: name, name, username: name }))
  expect(typingText([])).toBe('')
  expect(typingText(users.slice(0, 1))).toBe('alice is typing…')
  expect(typingText(users.slice(0, 2))).toBe('alice and bob are typing…')
  expect(typingText(users)).toBe('several people are typing…')
})
