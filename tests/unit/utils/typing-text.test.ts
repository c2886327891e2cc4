import { expect, it } from 'vitest'
import { typingParts, typingText } from '~/utils/typing-text'

it('names one or two typists and summarises more', () => {
  const users = ['alice', 'bob', 'carol'].map(name => ({ id: name, name, username: name }))
  expect(typingText([])).toBe('')
  expect(typingText(users.slice(0, 1))).toBe('alice is typing…')
  expect(typingText(users.slice(0, 2))).toBe('alice and bob are typing…')
  expect(typingText(users)).toBe('several people are typing…')
})

it('keeps each typist whole, for the name component to isolate and mark', () => {
  const ada = { id: 'a', name: 'Ada', username: 'ada', guest: true as const }
  expect(typingParts([ada])).toEqual([ada, ' is typing…'])
  expect(typingParts([])).toEqual([])
})
