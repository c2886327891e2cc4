import type { ClientEvent } from '#shared/protocol'

/** A room's read marker goes to the server at most once per this window, carrying the newest seq read. */
export const READ_MARKER_WINDOW_MS = 750

/**
 * Read markers on their way to the server. Reading a busy room moves its marker with every message; the
 * server hears of it once per window per room, always the newest seq. A marker that cannot go out (the
 * socket is down) waits for the next `flush`.
 */
export function createReadMarkerQueue(sendNow: (event: ClientEvent) => boolean, windowMs = READ_MARKER_WINDOW_MS) {
  /** The newest seq read per room that the server has not been sent yet. */
  const unsent = new Map<string, number>()
  const timers = new Map<string, ReturnType<typeof setTimeout>>()

  function mark(room: string, seq: number): void {
    if (seq <= (unsent.get(room) ?? 0)) return
    unsent.set(room, seq)
    if (timers.has(room)) return
    timers.set(room, setTimeout(() => {
      timers.delete(room)
      sendRoom(room)
    }, windowMs))
  }

  function sendRoom(room: string): void {
    const seq = unsent.get(room)
    if (seq !== undefined && sendNow({ type: 'read', room, seq })) unsent.delete(room)
  }

  /** Sends every waiting marker now: when the page hides, and on every welcome. */
  function flush(): void {
    for (const timer of timers.values()) clearTimeout(timer)
    timers.clear()
    for (const room of [...unsent.keys()]) sendRoom(room)
  }

  /** Drops every waiting marker (sign-out). */
  function forget(): void {
    for (const timer of timers.values()) clearTimeout(timer)
    timers.clear()
    unsent.clear()
  }

  return { mark, flush, forget }
}

/** The larger of two values per key, so a stale answer never moves a seq back. */
export function maxEach(current: Record<string, number>, incoming: Record<string, number> = {}): Record<string, number> {
  const result: Record<string, number> = {}
  for (const [key, value] of Object.entries(incoming)) result[key] = Math.max(value, current[key] ?? 0)
  return result
}

/**
 * Where unread starts in each room after a room list: after the read marker, or after the server's first sight
 * (server/utils/chat/unread-starts.ts) where that is further on, never before what this client already read; in
 * a room of `rooms` with none of these, after what is there now.
 */
export function readSeqsAfterList(
  held: Record<string, number>,
  rooms: readonly string[],
  list: { lastSeq: Record<string, number>, read: Record<string, number>, unreadFrom?: Record<string, number> },
): Record<string, number> {
  const listed = { ...list.unreadFrom, ...maxEach(list.unreadFrom ?? {}, list.read) }
  const fromNow: Record<string, number> = {}
  for (const room of rooms) {
    if (listed[room] === undefined && held[room] === undefined) fromNow[room] = list.lastSeq[room] ?? 0
  }
  return { ...held, ...fromNow, ...maxEach(held, listed) }
}
