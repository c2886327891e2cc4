/**
 * Full-text search as both sides see it: how a query becomes words (the same way the storages' indexes split
 * text), which parts of a message match, and the shape of `GET /api/search`'s answer.
 * A query never reaches a database's query syntax: only the words taken out of it here do, quoted.
 */
import * as v from 'valibot'
import { ChatMessageSchema } from './protocol'

/** Words of a query that count; the rest are ignored (each is one more index lookup). */
export const MAX_SEARCH_TERMS = 8
/** Longest snippet shown for a result, in UTF-16 units, ellipses excluded. */
export const SNIPPET_LENGTH = 160

// Letters and digits make words; everything else separates them, as in FTS5's unicode61 tokenizer and
// the PostgreSQL index (which replaces every other character by a space before `to_tsvector`).
const WORD = /[\p{L}\p{N}]+/gu

/** The distinct lowercased words of a query, at most MAX_SEARCH_TERMS, in order. */
export function searchTerms(query: string): string[] {
  const words = (query.match(WORD) ?? []).map(word => word.toLowerCase())
  return [...new Set(words)].slice(0, MAX_SEARCH_TERMS)
}

/** A matching range of a text: [start, end) in UTF-16 units. */
export const MarkSchema = v.object({ start: v.number(), end: v.number() })
export type Mark = v.InferOutput<typeof MarkSchema>

/**
 * Where the words of a message match the terms: a whole word equal to a term, or (the last term, which the
 * storages match as a prefix, so results come while typing) a word starting with it.
 */
export function findMarks(text: string, terms: readonly string[]): Mark[] {
  if (terms.length === 0) return []
  const whole = new Set(terms)
  const prefix = terms.at(-1)!
  const marks: Mark[] = []
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase()
    if (whole.has(word) || word.startsWith(prefix)) marks.push({ start: match.index, end: match.index + match[0].length })
  }
  return marks
}

/** A piece of a message shown in a result: plain text and the ranges to mark in it (never HTML). */
export const SnippetSchema = v.object({ text: v.string(), marks: v.array(MarkSchema) })
export type Snippet = v.InferOutput<typeof SnippetSchema>

/** At most SNIPPET_LENGTH of the text around its first match, "…" where it was cut, with the marks inside it. */
export function makeSnippet(text: string, terms: readonly string[], length = SNIPPET_LENGTH): Snippet {
  const marks = findMarks(text, terms)
  if (text.length <= length) return { text, marks }
  const first = marks[0]?.start ?? 0
  // Some context before the first match, and never a cut through a surrogate pair.
  let start = Math.max(0, Math.min(first - Math.floor(length / 4), text.length - length))
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--
  let end = Math.min(text.length, start + length)
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++
  const lead = start > 0 ? '…' : ''
  const shift = lead.length - start
  return {
    text: `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`,
    marks: marks
      .filter(mark => mark.start >= start && mark.end <= end)
      .map(mark => ({ start: mark.start + shift, end: mark.end + shift })),
  }
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

/** One piece of a snippet to render: text, marked or not. */
export interface SnippetPart {
  text: string
  marked: boolean
}

/** Splits a snippet into parts along its marks; a mark out of range or overlapping the one before is ignored. */
export function snippetParts(snippet: Snippet): SnippetPart[] {
  const parts: SnippetPart[] = []
  let at = 0
  for (const { start, end } of snippet.marks) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < at || end <= start || end > snippet.text.length) continue
    if (start > at) parts.push({ text: snippet.text.slice(at, start), marked: false })
    parts.push({ text: snippet.text.slice(start, end), marked: true })
    at = end
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), marked: false })
  return parts
}

/** One result: the message as history shows it, and its snippet. */
export const SearchResultSchema = v.object({ message: ChatMessageSchema, snippet: SnippetSchema })
export type SearchResult = v.InferOutput<typeof SearchResultSchema>

/** `GET /api/search`: results newest first; `nextCursor` fetches the page after, null on the last one. */
export const SearchResultsSchema = v.object({ results: v.array(SearchResultSchema), nextCursor: v.nullable(v.string()) })
export type SearchResults = v.InferOutput<typeof SearchResultsSchema>
