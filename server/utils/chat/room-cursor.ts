import type { Connection } from '../socket/connection'
import type { RoomTurn } from '../socket/room-turn'

/** A live line held while the room's history is replayed; `seq` is set for chat events. */
interface HeldLine {
  seq: number | undefined
  line: Buffer
}

/**
 * One connection's place in one room's stream, kept by the Hub while the connection is in the room.
 * A resume holds the room's live lines from before it reads storage until its replay is sent (no gap at
 * the seam), then releases them minus what the replay covered; and no message is ever sent twice, nor
 * after a newer one.
 */
export class RoomCursor {
  /** The last seq sent to this connection in this room. */
  private sentSeq = 0
  /** Live lines waiting for a replay to finish; null while live. */
  private held: HeldLine[] | null = null

  constructor(
    readonly connection: Connection,
    /** Following: the room's messages and their changes arrive, but the connection is not present in it. */
    public following: boolean,
  ) {}

  /**
   * Sends a room line, or holds it during a replay; a chat line (with its seq) at most once, in seq order.
   * A live line given with its place in the room's turn is queued as part of the turn's shared frame.
   */
  deliver(seq: number | undefined, line: Buffer, turn?: RoomTurn, index = 0): void {
    if (this.held) {
      this.held.push({ seq, line })
      return
    }
    if (seq !== undefined) {
      if (seq <= this.sentSeq) return
      this.sentSeq = seq
    }
    if (turn) this.connection.sendRoomLine(turn, index)
    else this.connection.sendLine(line)
  }

  /** From now on, live lines wait until `release` (subscribe before reading storage). */
  hold(): void {
    this.held ??= []
  }

  /** Sends what was held, minus the messages the replay already covered (seq <= `coveredSeq`). */
  release(coveredSeq: number): void {
    const held = this.held
    this.held = null
    if (coveredSeq > this.sentSeq) this.sentSeq = coveredSeq
    for (const { seq, line } of held ?? []) this.deliver(seq, line)
  }
}
