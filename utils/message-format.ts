/**
 * Message formatting as data: text becomes tokens that a component renders with plain elements,
 * so no message is ever parsed as HTML. Pure functions, tested directly.
 */

/** One piece of a message: plain text, a web link, inline code or a fenced code block. */
export type Token =
  | { type: 'text', text: string }
  | { type: 'link', href: string, text: string }
  | { type: 'code', text: string }
  | { type: 'codeblock', text: string }

/**
 * ```lang\n…``` with the language tag (ignored) only when the fence line ends right after it; the newline
 * before and after the closing fence belongs to the fence, so the block does not leave a blank line behind.
 */
const CODE_BLOCK = /```(?:[\w+#.-]*\n)?([\s\S]+?)\n?```\n?/g
/** `code` within one line. */
const INLINE_CODE = /`([^`\n]+)`/g
/** A link candidate: it ends at whitespace or at a character that cannot be part of a URL written in text. */
const LINK_CANDIDATE = /https?:\/\/[^\s<>"`]+/gi
/** Punctuation that ends a sentence around a link rather than the link itself. */
const TRAILING_PUNCTUATION = /[.,:;!?'*_~]$/
const LINK_PROTOCOLS = new Set(['http:', 'https:'])

/** Splits message text into tokens; the texts of the tokens, joined, are the message minus code fences and backticks. */
export function formatMessage(text: string): Token[] {
  return splitBy(text, CODE_BLOCK, match => ({ type: 'codeblock', text: match[1]! }), inlineTokens)
}

function inlineTokens(text: string): Token[] {
  return splitBy(text, INLINE_CODE, match => ({ type: 'code', text: match[1]! }), linkTokens)
}

function linkTokens(text: string): Token[] {
  const tokens: Token[] = []
  let plainFrom = 0
  for (const match of text.matchAll(LINK_CANDIDATE)) {
    const start = match.index
    // "xhttp://…" is a word that happens to contain a scheme, not a link.
    if (start > 0 && /[\p{L}\p{N}_]/u.test(text[start - 1]!)) continue
    const link = linkAt(trimTrailing(match[0]))
    if (!link) continue
    pushText(tokens, text.slice(plainFrom, start))
    tokens.push(link)
    plainFrom = start + link.text.length
  }
  pushText(tokens, text.slice(plainFrom))
  return tokens
}

/** Drops sentence punctuation and a closing bracket the link did not open, as in "(see https://x.y/a)." */
function trimTrailing(candidate: string): string {
  let url = candidate
  for (;;) {
    if (TRAILING_PUNCTUATION.test(url)) url = url.slice(0, -1)
    else if (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1)
    else if (url.endsWith(']') && count(url, '[') < count(url, ']')) url = url.slice(0, -1)
    else return url
  }
}

function linkAt(text: string): Token | null {
  // The URL parser has the last word: what it cannot read, or reads as another scheme, stays text.
  try {
    const url = new URL(text)
    return LINK_PROTOCOLS.has(url.protocol) && url.hostname ? { type: 'link', href: url.href, text } : null
  }
  catch {
    return null
  }
}

/** Tokens for the matches of `pattern`, and `between` for the text around them. */
function splitBy(text: string, pattern: RegExp, token: (match: RegExpExecArray) => Token, between: (text: string) => Token[]): Token[] {
  const tokens: Token[] = []
  let plainFrom = 0
  for (const match of text.matchAll(pattern)) {
    tokens.push(...between(text.slice(plainFrom, match.index)))
    tokens.push(token(match))
    plainFrom = match.index + match[0].length
  }
  tokens.push(...between(text.slice(plainFrom)))
  return tokens
}

function pushText(tokens: Token[], text: string): void {
  if (text) tokens.push({ type: 'text', text })
}

function count(text: string, character: string): number {
  return text.split(character).length - 1
}
