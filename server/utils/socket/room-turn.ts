import type { FramePayload } from './connection'

/**
 * A room's lines of one event-loop turn. Every member that is sent all of them in a row gets the same frame,
 * built once (ws-frames.ts), instead of copying the lines into a frame of its own.
 */
export class RoomTurn implements FramePayload {
  readonly lines: Buffer[] = []
  bytes = 0
  readonly shared = true

  /** Adds a line; its index is what members queue. */
  add(line: Buffer): number {
    this.lines.push(line)
    this.bytes += line.length
    return this.lines.length - 1
  }
}

/** Consecutive lines `from` to `to` (exclusive) of one turn, queued on one connection. */
export class RoomRun {
  to: number

  constructor(readonly turn: RoomTurn, readonly from: number) {
    this.to = from + 1
  }
}

/**
 * The frames one connection's queue goes out as: its own lines in order, a run that is its room's whole turn
 * as the turn's shared frame, a partial run copied into its own frame, and the acks last.
 */
export function framesOf(pieces: readonly (Buffer | RoomRun)[], acks: readonly Buffer[]): FramePayload[] {
  const frames: FramePayload[] = []
  let lines: Buffer[] = []
  let bytes = 0
  const add = (line: Buffer) => {
    lines.push(line)
    bytes += line.length
  }
  const close = () => {
    if (lines.length === 0) return
    frames.push({ lines, bytes })
    lines = []
    bytes = 0
  }
  for (const piece of pieces) {
    if (!(piece instanceof RoomRun)) add(piece)
    else if (piece.from === 0 && piece.to === piece.turn.lines.length) {
      close()
      frames.push(piece.turn)
    }
    else for (let i = piece.from; i < piece.to; i++) add(piece.turn.lines[i]!)
  }
  for (const ack of acks) add(ack)
  close()
  return frames
}
