import type { ChatMessage } from '#shared/protocol'

/** What decides whether a mention still deserves the reader's attention. */
export interface MentionContext {
  roomOnScreen: string | null
  readSeq: Readonly<Record<string, number>>
  dismissed: readonly string[]
}

/**
 * The mention the toast shows: the newest one (mentions come newest first) that is unread, in a room other
 * than the one on screen, and not dismissed. Reading its room, from any tab, makes it go.
 */
export function mentionToShow(mentions: readonly ChatMessage[], context: MentionContext): ChatMessage | undefined {
  return mentions.find(message =>
    message.room !== context.roomOnScreen
    && message.seq > (context.readSeq[message.room] ?? 0)
    && !context.dismissed.includes(message.id))
}
