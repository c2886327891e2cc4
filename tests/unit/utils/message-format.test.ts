import { describe, expect, it } from 'vitest'
import { formatMessage } from '~/utils/message-format'
import type { Token } from '~/utils/message-format'

const text = (value: string): Token => ({ type: 'text', text: value })
const link = (value: string, href = value): Token => ({ type: 'link', href, text: value })
/** What a reader sees: MessageText renders exactly these strings, in order. */
const shown = (tokens: Token[]) => tokens.map(token => token.text).join('')

describe('links', () => {
  it('links http and https URLs inside text', () => {
    expect(formatMessage('see https://example.com/a?b=1#c and http://example.org/')).toEqual([
      text('see '), link('https://example.com/a?b=1#c'), text(' and '), link('http://example.org/'),
    ])
  })

  it('gives the parsed URL as href and keeps the written text', () => {
    expect(formatMessage('HTTPS://Example.COM')).toEqual([link('HTTPS://Example.COM', 'https://example.com/')])
  })

  it('leaves sentence punctuation and unmatched brackets outside the link', () => {
    expect(formatMessage('go to https://example.com/docs.')).toEqual([text('go to '), link('https://example.com/docs'), text('.')])
    expect(formatMessage('https://example.com, then https://example.org!?')).toEqual([
      link('https://example.com', 'https://example.com/'), text(', then '), link('https://example.org', 'https://example.org/'), text('!?'),
    ])
    expect(formatMessage('(see https://example.com/a)')).toEqual([text('(see '), link('https://example.com/a'), text(')')])
    expect(formatMessage('"https://example.com/x"')).toEqual([text('"'), link('https://example.com/x'), text('"')])
    expect(formatMessage('https://en.wikipedia.org/wiki/Foo_(bar).')).toEqual([
      link('https://en.wikipedia.org/wiki/Foo_(bar)'), text('.'),
    ])
  })

  it('does not link other schemes, bare schemes or schemes glued to a word', () => {
    for (const message of [
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.com/file',
      'https://',
      'http://[oops',
      'xhttps://example.com',
      'file:///etc/passwd',
    ]) {
      expect(formatMessage(message), message).toEqual([text(message)])
    }
  })

  it('never puts markup characters into a link: they stay text around it', () => {
    const message = 'https://example.com/<script>alert("x")</script>'
    const tokens = formatMessage(message)
    expect(tokens).toEqual([link('https://example.com/'), text('<script>alert("x")</script>')])
    expect(shown(tokens)).toBe(message)
    for (const token of tokens) {
      if (token.type === 'link') expect(token.href).not.toMatch(/[<>"]/)
    }
  })

  it('percent-encodes what the URL parser would, in the href only', () => {
    const [token] = formatMessage('https://example.com/a{b}|c')
    expect(token).toEqual(link('https://example.com/a{b}|c', 'https://example.com/a%7Bb%7D|c'))
  })
})

describe('code', () => {
  it('turns `inline code` into a code token without the backticks', () => {
    expect(formatMessage('run `npm test` now')).toEqual([text('run '), { type: 'code', text: 'npm test' }, text(' now')])
  })

  it('leaves lone and empty backticks, and backticks across lines, as text', () => {
    for (const message of ['it`s', '``', 'a `b\nc` d']) expect(formatMessage(message)).toEqual([text(message)])
  })

  it('turns fenced blocks into a codeblock, dropping the fences and the language tag', () => {
    expect(formatMessage('look:\n```ts\nconst a = 1\nconst b = 2\n```\nnice')).toEqual([
      text('look:\n'), { type: 'codeblock', text: 'const a = 1\nconst b = 2' }, text('nice'),
    ])
    expect(formatMessage('```echo hi```')).toEqual([{ type: 'codeblock', text: 'echo hi' }])
    // A first line with a space is code, not a language tag.
    expect(formatMessage('```echo hi\nls\n```')).toEqual([{ type: 'codeblock', text: 'echo hi\nls' }])
  })

  it('keeps everything inside code literal: no links, no nested code', () => {
    expect(formatMessage('`https://example.com`')).toEqual([{ type: 'code', text: 'https://example.com' }])
    expect(formatMessage('```\nsee https://example.com and `x`\n```')).toEqual([
      { type: 'codeblock', text: 'see https://example.com and `x`' },
    ])
  })

  it('leaves an unclosed fence as text', () => {
    expect(formatMessage('```js\nnever closed')).toEqual([text('```js\nnever closed')])
  })
})

describe('plain text', () => {
  it('shows text without backticks exactly as written', () => {
    for (const message of [
      'hello',
      '  spaced\n\nlines\t ',
      '<script>alert("x")</script>',
      '<a href="javascript:alert(1)">click</a>',
      '{{ constructor.constructor(\'alert(1)\')() }}',
      '&lt;b&gt; &amp; \u202Egnp.exe 😀',
      'mail me at a@example.com or visit https://example.com/path?q=<b>',
    ]) {
      const tokens = formatMessage(message)
      expect(shown(tokens), message).toBe(message)
      expect(tokens.every(token => token.type === 'text' || token.type === 'link')).toBe(true)
    }
  })

  it('returns no tokens for empty text and never two text tokens in a row', () => {
    expect(formatMessage('')).toEqual([])
    const tokens = formatMessage('a https://x.org b `c` d\n```\ne\n```\nf')
    tokens.forEach((token, index) => {
      if (token.type === 'text') expect(tokens[index + 1]?.type).not.toBe('text')
    })
  })
})
