import type { ChatMessage } from './message-schemas'

/** What a link to a message needs to know of it. */
export type LinkedMessage = Pick<ChatMessage, 'room' | 'seq' | 'threadId' | 'alsoToRoom'>

/**
 * Where a message is shown: in its room at its place (`?at=SEQ`, loaded with its surroundings and highlighted),
 * or, for a reply sent to its thread only (absent from the room's timeline), in that thread (`?thread=ROOT`).
 * Mentions, notifications, pushes, search results and pins all link this way.
 */
export function messageLink(message: LinkedMessage): { path: string, query: Record<string, string> } {
  const path = `/rooms/${encodeURIComponent(message.room)}`
  if (message.threadId && !message.alsoToRoom) return { path, query: { thread: message.threadId } }
  return { path, query: { at: String(message.seq) } }
}

/** `messageLink` as one URL path with its query, for a notification's or a push's `url`. */
export function messageHref(message: LinkedMessage): string {
  const { path, query } = messageLink(message)
  return `${path}?${new URLSearchParams(query)}`
}
