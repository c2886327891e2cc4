import MarkdownIt from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'

/**
 * Message formatting as data: the markdown people type in chat, parsed by markdown-it with raw HTML off, becomes
 * a tree of nodes that MessageText renders with plain elements, so no message is ever parsed as HTML.
 * Pure functions, tested directly.
 */

/** One piece of a message. Containers hold children; leaves hold text that is shown as text. */
export type MessageNode =
  | { type: 'text', text: string }
  | { type: 'break' }
  | { type: 'code', text: string }
  | { type: 'codeblock', text: string }
  | { type: 'link', href: string, children: MessageNode[] }
  | { type: 'paragraph' | 'strong' | 'em' | 's' | 'blockquote' | 'bullet-list' | 'list-item', children: MessageNode[] }
  | { type: 'ordered-list', start: number, children: MessageNode[] }

type Container = Extract<MessageNode, { children: MessageNode[] }>

/** Only these schemes ever reach an href. */
const LINK_SCHEMES = /^(?:https?:|mailto:)/i

/**
 * The subset of markdown a chat needs: emphasis, strikethrough, code and code blocks, quotes, lists, links and
 * bare http(s) URLs. No headings, tables, images, rules, indented code, entities or raw HTML: a message that
 * happens to start with "#" or four spaces stays as typed, and `&lt;` stays `&lt;`.
 */
const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
  .enable(['fence', 'blockquote', 'list', 'paragraph'])
  .enable(['emphasis', 'strikethrough', 'backticks', 'link', 'linkify', 'autolink', 'newline', 'escape'])
  .enable(['linkify'])
// A bare "example.com" or address stays text: only what is written as a URL becomes a link, as before markdown.
markdown.linkify.set({ fuzzyLink: false, fuzzyEmail: false })
markdown.validateLink = url => LINK_SCHEMES.test(url.trim())

/** The message as nodes: blocks (paragraphs, lists, quotes, code blocks) holding inline nodes. */
export function formatMessage(text: string): MessageNode[] {
  const root: Container = { type: 'paragraph', children: [] }
  const open: Container[] = [root]
  const into = () => open.at(-1)!.children
  for (const token of markdown.parse(text, {})) {
    // The paragraphs of a tight list are not drawn as paragraphs.
    if (token.hidden && token.type.startsWith('paragraph_')) continue
    if (token.type === 'inline') into().push(...inlineNodes(token.children ?? []))
    else if (token.type === 'fence') into().push({ type: 'codeblock', text: token.content.replace(/\n$/, '') })
    else if (token.nesting === 1) {
      const node = blockNode(token)
      into().push(node)
      open.push(node)
    }
    else if (token.nesting === -1 && open.length > 1) open.pop()
  }
  return root.children
}

function blockNode(token: Token): Container {
  switch (token.type) {
    case 'blockquote_open': return { type: 'blockquote', children: [] }
    case 'bullet_list_open': return { type: 'bullet-list', children: [] }
    case 'ordered_list_open': return { type: 'ordered-list', start: Number(token.attrGet('start') ?? 1), children: [] }
    case 'list_item_open': return { type: 'list-item', children: [] }
    default: return { type: 'paragraph', children: [] }
  }
}

const INLINE_CONTAINERS: Record<string, Container['type']> = { strong_open: 'strong', em_open: 'em', s_open: 's' }

function inlineNodes(tokens: Token[]): MessageNode[] {
  const root: Container = { type: 'paragraph', children: [] }
  const open: Container[] = [root]
  const into = () => open.at(-1)!.children
  for (const token of tokens) {
    if (token.type === 'text') pushText(into(), token.content)
    else if (token.type === 'code_inline') into().push({ type: 'code', text: token.content })
    else if (token.type === 'softbreak' || token.type === 'hardbreak') into().push({ type: 'break' })
    else if (token.type === 'link_open') {
      const node: Container = { type: 'link', href: token.attrGet('href') ?? '', children: [] }
      into().push(node)
      open.push(node)
    }
    else if (INLINE_CONTAINERS[token.type]) {
      const node = { type: INLINE_CONTAINERS[token.type], children: [] } as Container
      into().push(node)
      open.push(node)
    }
    else if (token.nesting === -1 && open.length > 1) open.pop()
  }
  return root.children
}

/** Adjacent text (markdown-it splits it at every character it might have read as markup) is one node. */
function pushText(nodes: MessageNode[], text: string): void {
  if (!text) return
  const last = nodes.at(-1)
  if (last?.type === 'text') last.text += text
  else nodes.push({ type: 'text', text })
}
