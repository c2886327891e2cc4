import { describe, expect, it } from 'vitest'
import { mentionCandidates, mentions } from '#shared/mentions'

describe('mentions', () => {
  it('offers the one to four words after each @ as candidate names, without trailing punctuation', () => {
    expect(mentionCandidates('hi @Ada Lovelace, see this')).toEqual(['Ada', 'Ada Lovelace', 'Ada Lovelace, see', 'Ada Lovelace, see this'])
    expect(mentionCandidates('@bob!')).toEqual(['bob'])
    expect(mentionCandidates('(@carol) and @dave')).toEqual(['carol', 'carol) and', 'dave'])
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
