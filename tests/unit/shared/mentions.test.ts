import { describe, expect, it } from 'vitest'
import { mentionCandidates, mentions } from '#shared/mentions'

describe('mentions', () => {
  it('offers the one to four words after each @ as candidate names, without trailing punctuation', () => {
    expect(mentionCandidates('hi @Ada Lovelace, see this')).toEqual(['Ada', 'Ada Lovelace', 'Ada Lovelace, see', 'Ada Lovelace, see this'])
    expect(mentionCandidates('@bob!')).toEqual(['bob'])
    expect(mentionCandidates('(@carol) and @dave')).toEqual(['carol', 'carol) and', 'dave'])
  })

  it('drops only the punctuation that ends a candidate, however long the run', () => {
    expect(mentionCandidates(`@bob${'.'.repeat(3000)}`)).toEqual(['bob'])
    expect(mentionCandidates('@bob?!) yes')).toEqual(['bob', 'bob?!) yes'])
    expect(mentionCandidates('@a.b.')).toEqual(['a.b'])
    // A run that does not end the word stays, and makes the candidate too long to be a name.
    expect(mentionCandidates(`@x${'.'.repeat(3997)}a`)).toEqual([])
    expect(mentionCandidates('@...')).toEqual([])
  })

  it('ignores @ inside words, such as e-mail addresses', () => {
    expect(mentionCandidates('mail me at ada@example.com')).toEqual([])
    expect(mentionCandidates('no mentions here')).toEqual([])
  })

  it('knows whether a name is mentioned, whatever its letter case', () => {
    expect(mentions('ping @Ada Lovelace please', 'ada lovelace')).toBe(true)
    expect(mentions('ping @Adam', 'ada')).toBe(false)
  })
})
