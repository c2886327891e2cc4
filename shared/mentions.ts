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
      const name = withoutTrailingPunctuation(words.slice(0, count).join(' '))
      if (name && name.length <= MAX_NAME_LENGTH) candidates.add(name)
    }
  }
  return [...candidates]
}

const TRAILING_PUNCTUATION = new Set(['.', ',', '!', '?', ':', ';', ')', ']'])

/**
 * `name` without the punctuation that ends it. A loop, not `/[.,!?:;)\]]+$/`: that regex retries every position
 * of a long run of punctuation that does not end the text, and a message of 4,000 such characters took 20 ms.
 */
function withoutTrailingPunctuation(name: string): string {
  let end = name.length
  while (end > 0 && TRAILING_PUNCTUATION.has(name[end - 1]!)) end--
  return name.slice(0, end)
}

/** Whether `text` mentions `name` (case-insensitive, as a whole name). */
export function mentions(text: string, name: string): boolean {
  const wanted = name.toLowerCase()
  return mentionCandidates(text).some(candidate => candidate.toLowerCase() === wanted)
}
