import { describe, expect, it } from 'vitest'
import { findMarks, makeSnippet, MAX_SEARCH_TERMS, searchTerms, snippetParts } from '#shared/search'

describe('searchTerms', () => {
  it('takes the distinct lowercased words of a query and drops its syntax', () => {
    expect(searchTerms('Deploy "script" OR deploy* NEAR(x) -y')).toEqual(['deploy', 'script', 'or', 'near', 'x', 'y'])
    expect(searchTerms('\')-- " * ( ) :^ {}')).toEqual([])
    expect(searchTerms('foo_bar example.com Привет')).toEqual(['foo', 'bar', 'example', 'com', 'привет'])
  })

  it(`keeps at most ${MAX_SEARCH_TERMS} words`, () => {
    expect(searchTerms('a b c d e f g h i j')).toHaveLength(MAX_SEARCH_TERMS)
  })
})

describe('findMarks', () => {
  it('marks whole words equal to a term, and words starting with the last term', () => {
    const text = 'Deploying the deploy script; redeploy later'
    expect(findMarks(text, ['deploy'])).toEqual([{ start: 0, end: 9 }, { start: 14, end: 20 }])
    expect(findMarks(text, ['deploy', 'sc'])).toEqual([{ start: 14, end: 20 }, { start: 21, end: 27 }])
    expect(findMarks(text, [])).toEqual([])
  })
})

describe('makeSnippet', () => {
  it('keeps a short text whole', () => {
    expect(makeSnippet('hello world', ['world'])).toEqual({ text: 'hello world', marks: [{ start: 6, end: 11 }] })
  })

  it('cuts a long text around its first match, with ellipses and marks moved along', () => {
    const text = `${'a '.repeat(200)}needle ${'b '.repeat(200)}`
    const snippet = makeSnippet(text, ['needle'], 40)
    expect(snippet.text.startsWith('…')).toBe(true)
    expect(snippet.text.endsWith('…')).toBe(true)
    expect(snippet.marks).toHaveLength(1)
    const [mark] = snippet.marks
    expect(snippet.text.slice(mark!.start, mark!.end)).toBe('needle')
  })

  it('never cuts through a surrogate pair', () => {
    const text = `${'😀'.repeat(100)} needle`
    const snippet = makeSnippet(text, ['needle'], 21)
    expect(snippet.text.replaceAll('…', '')).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/)
  })
})

describe('snippetParts', () => {
  it('splits a snippet along its marks', () => {
    expect(snippetParts({ text: 'a <b>x</b> c', marks: [{ start: 2, end: 10 }] })).toEqual([
      { text: 'a ', marked: false }, { text: '<b>x</b>', marked: true }, { text: ' c', marked: false },
    ])
  })

  it('ignores marks out of range, overlapping, empty or not whole numbers', () => {
    expect(snippetParts({ text: 'abcdef', marks: [{ start: 1, end: 3 }, { start: 2, end: 4 }, { start: 4, end: 4 }, { start: 4.5, end: 5 }, { start: 5, end: 99 }] }))
      .toEqual([{ text: 'a', marked: false }, { text: 'bc', marked: true }, { text: 'def', marked: false }])
  })
})
