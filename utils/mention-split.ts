/** A run of plain text, with the parts that @mention the viewer marked. */
export interface TextPart {
  text: string
  mention: boolean
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Splits text around every "@username" of the viewer (case-insensitive) so their mentions can be highlighted.
 * As on the server (shared/mentions.ts), a mention starts a word, and it names this username only when the
 * name does not go on: "@bob," and "@bob." mention bob, "@bobby" and "@bob.smith" do not.
 */
export function splitMentions(text: string, username: string | undefined): TextPart[] {
  if (!username) return [{ text, mention: false }]
  const pattern = new RegExp(`(?<=^|[\\s(])@${escapeRegExp(username)}(?![._-]*[\\p{L}\\p{M}\\p{N}])`, 'giu')
  const parts: TextPart[] = []
  let from = 0
  for (const match of text.matchAll(pattern)) {
    if (match.index > from) parts.push({ text: text.slice(from, match.index), mention: false })
    parts.push({ text: match[0], mention: true })
    from = match.index + match[0].length
  }
  if (from < text.length) parts.push({ text: text.slice(from), mention: false })
  return parts
}
