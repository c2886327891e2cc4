import type { ChatMessage } from '#shared/protocol'
import { inRoomTimeline } from './timeline'

/** What a mention needs to be counted: which message, where. */
export type MentionPlace = Pick<ChatMessage, 'id' | 'room' | 'seq' | 'threadId' | 'alsoToRoom'>

/** How far the user has read: the room's timeline by seq, a thread by the replies it still counts as new. */
export interface MentionReadState {
  readSeq: Readonly<Record<string, number>>
  /** Whether a reply sent to its thread alone is still new there: reading the room does not read its threads. */
  unreadInThread: (reply: Pick<ChatMessage, 'id' | 'threadId'>) => boolean
}

/** What decides whether a mention still deserves the reader's attention. */
export interface MentionContext extends MentionReadState {
  roomOnScreen: string | null
  dismissed: readonly string[]
}

/** A mention is unread until its room is read past it or, for a reply in a thread alone, until its thread is. */
export function mentionUnread(message: MentionPlace, state: MentionReadState): boolean {
  return inRoomTimeline(message) ? message.seq > (state.readSeq[message.room] ?? 0) : state.unreadInThread(message)
}

/** The ids of the room's unread mentions among `mentions` (heard live and listed by the server: each counts once). */
export function unreadMentionIds(room: string, mentions: readonly MentionPlace[], state: MentionReadState): Set<string> {
  return new Set(mentions.filter(message => message.room === room && mentionUnread(message, state)).map(message => message.id))
}

/**
 * The mention the toast shows: the newest one (mentions come newest first) that is unread, in a room other
 * than the one on screen, and not dismissed. Reading it, from any tab, makes it go.
 */
export function mentionToShow(mentions: readonly ChatMessage[], context: MentionContext): ChatMessage | undefined {
  return mentions.find(message =>
    message.room !== context.roomOnScreen
    && mentionUnread(message, context)
    && !context.dismissed.includes(message.id))
}
