import { expect, it } from 'vitest'
import { splitMentions } from '~/utils/mention-split'

it('marks every @name of the viewer, whatever the case, and keeps the text whole', () => {
  const parts = splitMentions('hey @Bob, @bob and @bobby', 'bob')
  expect(parts.map(part => part.text).join('')).toBe('hey @Bob, @bob and @bobby')
  expect(parts.filter(part => part.mention).map(part => part.text)).toEqual(['@Bob', '@bob', '@bob'])
  expect(splitMentions('no one', undefined)).toEqual([{ text: 'no one', mention: false }])
})
