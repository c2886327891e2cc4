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
let immediateScheduled = false
let soonScheduled = false

/** The current turn's number; a room's shared lines (chat/room-turn.ts) belong to one turn. */
export function currentTurn(): number {
  return turn
}

export function flushLater(connection: Flushable): void {
  if (!immediateScheduled) {
    immediateScheduled = true
    setImmediate(onImmediate)
  }
  waiting.push(connection)
}

/**
 * Writes what is queued as soon as the current task's promise continuations have all run, instead of on the
 * next setImmediate. For stored messages: their batch's write resolved from a setImmediate itself, and an
 * immediate scheduled from there waits for the next loop iteration, behind every socket's I/O of its poll
 * phase (issue 15). Their whole batch fans out in those continuations, so it still goes out in one write per
 * member. A nextTick queued from a microtask runs once the microtask queue is empty.
 */
export function flushAfterThisTask(): void {
  if (soonScheduled) return
  soonScheduled = true
  queueMicrotask(() => process.nextTick(onSoon))
}

function onImmediate(): void {
  immediateScheduled = false
  flushWaiting()
}

function onSoon(): void {
  soonScheduled = false
  flushWaiting()
}

function flushWaiting(): void {
  if (waiting.length === 0) return
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
