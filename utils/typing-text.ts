import type { User } from '#shared/protocol'

/** One piece of the typing line: a person (shown with their name component) or the words between. */
export type TypingPart = User | string

/** The line under the message list: "alice is typing…", "alice and bob are typing…", "several people are typing…". */
export function typingParts(users: readonly User[]): TypingPart[] {
  if (users.length === 0) return []
  if (users.length === 1) return [users[0]!, ' is typing…']
  if (users.length === 2) return [users[0]!, ' and ', users[1]!, ' are typing…']
  return ['several people are typing…']
}

/** The typing line as plain text, display names only. */
export function typingText(users: readonly User[]): string {
  return typingParts(users).map(part => typeof part === 'string' ? part : part.name).join('')
}

/** The client sends `typing` at most this often while the user types. */
export const TYPING_SEND_INTERVAL_MS = 2_000
