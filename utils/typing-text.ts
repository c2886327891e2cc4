import type { User } from '#shared/protocol'

/** The line under the message list: "alice is typing…", "alice and bob are typing…", "several people are typing…". */
export function typingText(users: readonly User[]): string {
  if (users.length === 0) return ''
  if (users.length === 1) return `${users[0]!.name} is typing…`
  if (users.length === 2) return `${users[0]!.name} and ${users[1]!.name} are typing…`
  return 'several people are typing…'
}

/** The client sends `typing` at most this often while the user types. */
export const TYPING_SEND_INTERVAL_MS = 2_000
