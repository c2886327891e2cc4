import { expect, it } from 'vitest'
import { mentions } from '#shared/mentions'
import { splitMentions } from '~/utils/mention-split'

const marked = (text: string, username: string) => splitMentions(text, username).filter(part => part.mention).map(part => part.text)

it('marks every @username of the viewer, whatever the case, and keeps the text whole', () => {
  const parts = splitMentions('hey @Bob, @bob and (@BOB) too', 'bob')
  expect(parts.map(part => part.text).join('')).toBe('hey @Bob, @bob and (@BOB) too')
  expect(parts.filter(part => part.mention).map(part => part.text)).toEqual(['@Bob', '@bob', '@BOB'])
  expect(splitMentions('no one', undefined)).toEqual([{ text: 'no one', mention: false }])
})

it('marks only the whole username: not a longer one that starts with it, nor an address', () => {
  expect(marked('@bobby and @bob.smith and @bob-2', 'bob')).toEqual([])
  expect(marked('mail bob@bob.org', 'bob')).toEqual([])
  expect(marked('thanks @bob.', 'bob')).toEqual(['@bob'])
  expect(marked('@ada.l: see @ada.lovelace', 'ada.l')).toEqual(['@ada.l'])
})

it('agrees with the server\'s rule of who a message mentions', () => {
  for (const text of ['hi @bob!', '@bobby', 'hi @bob.smith', '(@bob) ok', 'x@bob', '@Bob: hello']) {
    expect(marked(text, 'bob').length > 0, text).toBe(mentions(text, 'bob'))
  }
})
