/** A run of plain text, with the parts that @mention the viewer marked. */
export interface TextPart {
  text: string
  mention: boolean
}

/** Splits text around every "@name" (case-insensitive) so the viewer's mentions can be highlighted. */
export function splitMentions(text: string, name: string | undefined): TextPart[] {
  if (!name) return [{ text, mention: false }]
  const needle = `@${name}`.toLowerCase()
  const parts: TextPart[] = []
  const lower = text.toLowerCase()
  let from = 0
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), mention: false })
    parts.push({ text: text.slice(at, at + needle.length), mention: true })
    from = at + needle.length
  }
  if (from < text.length) parts.push({ text: text.slice(from), mention: false })
  return parts
}
