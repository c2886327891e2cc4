import type { ChatMessage } from '#shared/protocol'

/**
 * Merges messages into a room's list, which stays sorted by seq with no duplicates:
 * live events, acks and history pages can arrive in any order and overlap.
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current as ChatMessage[]
  const last = current.at(-1)
  // The common case, one new live message after the newest: append without re-sorting.
  if (incoming.length === 1 && (!last || incoming[0]!.seq > last.seq)) return [...current, incoming[0]!]
  const bySeq = new Map<number, ChatMessage>()
  for (const message of current) bySeq.set(message.seq, message)
  for (const message of incoming) bySeq.set(message.seq, message)
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

/** Whether a room's timeline shows the message: a thread reply only when it was also sent to the room. */
export function inRoomTimeline(message: Pick<ChatMessage, 'threadId' | 'alsoToRoom'>): boolean {
  return message.threadId === undefined || message.alsoToRoom === true
}

/** The newest seq the client holds for a room, 0 when it holds none. */
export function lastSeqOf(messages: readonly ChatMessage[]): number {
  return messages.at(-1)?.seq ?? 0
}

/** Where a room stood when its reader opened it: what they had read, and the newest message there was. */
export interface OpenedAt {
  readSeq: number
  newestSeq: number
}

/**
 * The message the "new messages" divider goes before: the first by someone else that was unread when the room
 * opened. What arrives later is read as it comes, so the divider never moves onto it; none for a room never read.
 */
export function firstUnreadAtOpen(messages: readonly ChatMessage[], opened: OpenedAt, selfId: string | undefined): number | undefined {
  if (opened.readSeq === 0) return undefined
  return messages.find(message => message.seq > opened.readSeq && message.seq <= opened.newestSeq && message.user.id !== selfId)?.seq
}

/** A run of consecutive messages by one author, shown under one name and avatar. */
export interface MessageGroup {
  key: string
  user: ChatMessage['user']
  messages: ChatMessage[]
}

function sameNames(a: ChatMessage['user'], b: ChatMessage['user']): boolean {
  return a.id === b.id && a.name === b.name && a.username === b.username && a.deleted === b.deleted
}

/**
 * Messages by the same author within `gapMs` of each other share a group, under the names they were sent with:
 * after a rename a new group starts, so a message never shows under a name its author no longer has.
 */
export function groupMessages(messages: readonly ChatMessage[], gapMs = 5 * 60 * 1000): MessageGroup[] {
  const groups: MessageGroup[] = []
  for (const message of messages) {
    const group = groups.at(-1)
    const previous = group?.messages.at(-1)
    if (group && previous && sameNames(previous.user, message.user) && message.ts - previous.ts < gapMs) {
      group.messages.push(message)
    }
    else {
      groups.push({ key: message.id, user: message.user, messages: [message] })
    }
  }
  return groups
}

/** A quiet line in the room: someone came in or left. */
export interface RoomNotice {
  key: string
  kind: 'join' | 'leave'
  user: ChatMessage['user']
  ts: number
}

/** What the message list shows, in time order: message groups and notices between them. */
export type TimelineItem = { type: 'group', key: string, group: MessageGroup } | { type: 'notice', key: string, notice: RoomNotice }

/**
 * Interleaves notices with message groups by time. A notice that falls inside a group splits it there: what
 * follows is shown under the author's name again, as after any interruption. Notices older than the first loaded
 * message are left out (their context is not shown).
 */
export function interleaveNotices(groups: readonly MessageGroup[], notices: readonly RoomNotice[]): TimelineItem[] {
  const firstTs = groups[0]?.messages[0]?.ts ?? Number.NEGATIVE_INFINITY
  const pending = notices.filter(notice => notice.ts >= firstTs).sort((a, b) => a.ts - b.ts)
  const items: TimelineItem[] = []
  let next = 0
  const noticesBefore = (ts: number) => {
    while (next < pending.length && pending[next]!.ts < ts) {
      const notice = pending[next++]!
      items.push({ type: 'notice', key: notice.key, notice })
    }
  }
  for (const group of groups) {
    let start = 0
    group.messages.forEach((message, index) => {
      if (next >= pending.length || pending[next]!.ts >= message.ts) return
      if (index > start) items.push(groupItem(group, start, index))
      start = index
      noticesBefore(message.ts)
    })
    items.push(groupItem(group, start, group.messages.length))
  }
  noticesBefore(Number.POSITIVE_INFINITY)
  return items
}

/** The messages [from, to) of a group as one item, keyed by its first message; the group itself when it is whole. */
function groupItem(group: MessageGroup, from: number, to: number): TimelineItem {
  const part = from === 0 && to === group.messages.length ? group : { ...group, key: group.messages[from]!.id, messages: group.messages.slice(from, to) }
  return { type: 'group', key: part.key, group: part }
}
