import { describe, expect, it } from 'vitest'
import { formatMessage } from '~/utils/message-format'
import type { MessageNode } from '~/utils/message-format'

const text = (value: string): MessageNode => ({ type: 'text', text: value })
const link = (value: string, href = value): MessageNode => ({ type: 'link', href, children: [text(value)] })
const paragraph = (...children: MessageNode[]): MessageNode => ({ type: 'paragraph', children })
/** The one paragraph a one-line message becomes. */
const line = (message: string) => {
  const [only, ...rest] = formatMessage(message)
  expect(rest, message).toEqual([])
  expect(only?.type, message).toBe('paragraph')
  return (only as Extract<MessageNode, { children: MessageNode[] }>).children
}
/** What a reader sees, without line breaks. */
const shown = (nodes: MessageNode[]): string => nodes.map(node =>
  'children' in node ? shown(node.children) : 'text' in node ? node.text : '').join('')

describe('links', () => {
  it('links http and https URLs inside text, leaving sentence punctuation and unmatched brackets out', () => {
    expect(line('see https://example.com/a?b=1#c and http://example.org/')).toEqual([
      text('see '), link('https://example.com/a?b=1#c'), text(' and '), link('http://example.org/'),
    ])
    expect(line('go to https://example.com/docs.')).toEqual([text('go to '), link('https://example.com/docs'), text('.')])
    expect(line('(see https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual([
      text('(see '), link('https://en.wikipedia.org/wiki/Foo_(bar)'), text(').'),
    ])
  })

  it('takes markdown links and <autolinks> to http, https and mailto only', () => {
    expect(line('[the docs](https://example.com/docs) <https://example.org> [me](mailto:ada@example.com)')).toEqual([
      { type: 'link', href: 'https://example.com/docs', children: [text('the docs')] }, text(' '),
      link('https://example.org'), text(' '),
      { type: 'link', href: 'mailto:ada@example.com', children: [text('me')] },
    ])
  })

  it('leaves links to any other scheme, relative links and bare names as text', () => {
    for (const message of [
      'javascript:alert(1)',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(document.cookie))',
      '[x](data:text/html,<script>alert(1)</script>)',
      '[x](vbscript:msgbox)',
      '[home](/account)',
      'ftp://example.com/file',
      'file:///etc/passwd',
      'example.com and ada@example.com',
      'xhttps://example.com',
    ]) {
      const nodes = line(message)
      expect(nodes.some(node => node.type === 'link'), message).toBe(false)
    }
  })

  it('never puts markup characters into a link: they stay text after it', () => {
    const nodes = line('https://example.com/<script>alert("x")</script>')
    expect(nodes).toEqual([link('https://example.com/'), text('<script>alert("x")</script>')])
  })
})

describe('emphasis and code', () => {
  it('reads bold, italic, strikethrough and inline code', () => {
    expect(line('**bold** _it_ ~~gone~~ `npm test`')).toEqual([
      { type: 'strong', children: [text('bold')] }, text(' '),
      { type: 'em', children: [text('it')] }, text(' '),
      { type: 's', children: [text('gone')] }, text(' '),
      { type: 'code', text: 'npm test' },
    ])
  })

  it('turns fenced blocks into a codeblock, dropping the fences and the language tag', () => {
    expect(formatMessage('look:\n```ts\nconst a = 1\nconst b = 2\n```\nnice')).toEqual([
      paragraph(text('look:')), { type: 'codeblock', text: 'const a = 1\nconst b = 2' }, paragraph(text('nice')),
    ])
  })

  it('keeps everything inside code literal: no links, no emphasis, no markup', () => {
    expect(line('`https://example.com` `**no**`')).toEqual([{ type: 'code', text: 'https://example.com' }, text(' '), { type: 'code', text: '**no**' }])
    expect(formatMessage('```\n<script>alert(1)</script> **x** https://example.com\n```')).toEqual([
      { type: 'codeblock', text: '<script>alert(1)</script> **x** https://example.com' },
    ])
  })
})

describe('blocks', () => {
  it('reads quotes and bulleted and numbered lists, keeping a list\'s first number', () => {
    expect(formatMessage('> quoted\n\n- one\n- two\n\n3. three\n4. four')).toEqual([
      { type: 'blockquote', children: [paragraph(text('quoted'))] },
      { type: 'bullet-list', children: [{ type: 'list-item', children: [text('one')] }, { type: 'list-item', children: [text('two')] }] },
      { type: 'ordered-list', start: 3, children: [{ type: 'list-item', children: [text('three')] }, { type: 'list-item', children: [text('four')] }] },
    ])
  })

  it('keeps a line break within a paragraph', () => {
    expect(line('first\nsecond')).toEqual([text('first'), { type: 'break' }, text('second')])
  })

  it('has no headings, tables, rules or images: those lines stay as typed', () => {
    for (const message of ['# not a heading', '| a | b |', '---x', '&lt;b&gt; &amp;']) expect(shown(formatMessage(message)), message).toBe(message)
    expect(formatMessage('![alt](https://example.com/x.png)')).toEqual([paragraph(text('!'), { type: 'link', href: 'https://example.com/x.png', children: [text('alt')] })])
  })
})

describe('plain text', () => {
  it('shows text without markdown in it exactly as written, raw HTML included', () => {
    for (const message of [
      'hello',
      '<script>alert("x")</script>',
      '<a href="javascript:alert(1)">click</a>',
      '<img src=x onerror=alert(1)>',
      '{{ constructor.constructor(\'alert(1)\')() }}',
      '\u202Egnp.exe 😀',
    ]) {
      const nodes = line(message)
      expect(shown(nodes), message).toBe(message)
      expect(nodes.every(node => node.type === 'text'), message).toBe(true)
    }
  })

  it('returns nothing for empty text and never two text nodes in a row', () => {
    expect(formatMessage('')).toEqual([])
    const nodes = line('a * b _ c ~ d [e] f')
    expect(nodes).toEqual([text('a * b _ c ~ d [e] f')])
  })
})
