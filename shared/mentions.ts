/** The longest display name (see UserNameSchema), and the most words a mention can span. */
const MAX_NAME_LENGTH = 32
const MAX_NAME_WORDS = 4

/**
 * The names a message may mention: for every `@` at a word start, the one to four words after it,
 * each as a candidate ("@Ada Lovelace, hi" gives "Ada", "Ada Lovelace", "Ada Lovelace, hi"...).
 * Trailing punctuation is dropped; the server keeps the candidates that are someone's name.
 */
export function mentionCandidates(text: string): string[] {
  const candidates = new Set<string>()
  for (const match of text.matchAll(/(?<=^|[\s(])@([^\s@][^\n@]*)/g)) {
    const words = match[1]!.trim().split(/\s+/).slice(0, MAX_NAME_WORDS)
    for (let count = 1; count <= words.length; count++) {
      const name = words.slice(0, count).join(' ').replace(/[.,!?:;)\]]+$/, '')
      if (name && name.length <= MAX_NAME_LENGTH) candidates.add(name)
    }
  }
  return [...candidates]
}

/** Whether `text` mentions `name` (case-insensitive, as a whole name). */
export function mentions(text: string, name: string): boolean {
  const wanted = name.toLowerCase()
  return mentionCandidates(text).some(candidate => candidate.toLowerCase() === wanted)
}
