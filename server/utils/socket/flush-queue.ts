import { log } from '../log/logger'
/** Something with output queued this turn. */
export interface Flushable {
  readonly id: string
  flush(now: number): void
}

/**
 * Connections with lines queued this event-loop turn. One setImmediate flushes them all: a broadcast to
 * 19,000 members scheduled 19,000 of them when each connection scheduled its own.
 */
let waiting: Flushable[] = []
/** Counts flushes: what was queued under one number is written by the same flush. */
let turn = 0

/** The current turn's number; a room's shared lines (chat/room-turn.ts) belong to one turn. */
export function currentTurn(): number {
  return turn
}

export function flushLater(connection: Flushable): void {
  if (waiting.length === 0) setImmediate(flushWaiting)
  waiting.push(connection)
}

function flushWaiting(): void {
  const connections = waiting
  waiting = []
  turn++
  const now = Date.now()
  for (const connection of connections) {
    try {
      connection.flush(now)
    }
    catch (error) {
      // One broken socket must not keep the frames of every connection after it.
      log.warn('socket-write-failed', 'could not write to a connection', { connection: connection.id, err: error })
    }
  }
}
