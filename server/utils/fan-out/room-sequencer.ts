import type { ChatMessage, ServerEventOf } from '#shared/protocol'
import { warnAtMostEveryMinute } from '../http/throttled-log'

type ChatEvent = ServerEventOf<'chat'>

interface RoomState {
  /** The last seq delivered to this instance's members. */
  last: number
  /** Events that arrived ahead of a missing seq. */
  waiting: Map<number, ChatEvent>
  timer: ReturnType<typeof setTimeout> | null
}

/**
 * Puts a room's chat events back in seq order before they reach this instance's connections.
 * With several instances, two messages stored one after the other can cross on the bus; and an event
 * published while the bus was down never arrives. Events ahead of a gap wait; if the gap is still open
 * after `gapMs`, the missing messages are read from storage, which has every acked message.
 */
export class RoomSequencer {
  private readonly rooms = new Map<string, RoomState>()

  constructor(
    private readonly deliver: (event: ChatEvent) => void,
    private readonly readAfter: (room: string, after: number, limit: number) => Promise<ChatMessage[]>,
    private readonly gapMs = 500,
  ) {}

  /** Starts ordering a room's events from `lastSeq` (the room's last seq before its first local member joined). */
  track(room: string, lastSeq: number): void {
    if (!this.rooms.has(room)) this.rooms.set(room, { last: lastSeq, waiting: new Map(), timer: null })
  }

  /** Stops once no local connection is in the room. */
  untrack(room: string): void {
    const state = this.rooms.get(room)
    if (state?.timer) clearTimeout(state.timer)
    this.rooms.delete(room)
  }

  accept(event: ChatEvent): void {
    const state = this.rooms.get(event.room)
    if (!state || event.seq <= state.last) return
    // The usual case, the next seq with nothing waiting, goes straight through.
    if (event.seq === state.last + 1 && state.waiting.size === 0) {
      state.last = event.seq
      this.deliver(event)
      return
    }
    state.waiting.set(event.seq, event)
    this.drain(state)
    if (state.waiting.size > 0 && !state.timer) state.timer = setTimeout(() => void this.fill(event.room), this.gapMs)
  }

  /**
   * Reads what storage has beyond each room's last delivered seq and delivers it: after the bus
   * reconnects (events published meanwhile are gone) and now and then, in case a publish was lost.
   */
  async resync(pageSize = 100): Promise<void> {
    for (const [room, state] of [...this.rooms]) {
      try {
        const newer = await this.readAfter(room, state.last, pageSize)
        if (this.rooms.get(room) !== state) continue
        for (const message of newer) {
          if (message.seq > state.last) state.waiting.set(message.seq, { type: 'chat', ...message })
        }
        this.drain(state)
      }
      catch (error) {
        warnAtMostEveryMinute('resync-failed', `could not resync ${room}: ${(error as Error).message}`)
      }
    }
  }

  private drain(state: RoomState): void {
    for (let next = state.waiting.get(state.last + 1); next; next = state.waiting.get(state.last + 1)) {
      state.waiting.delete(next.seq)
      state.last = next.seq
      this.deliver(next)
    }
  }

  private async fill(room: string): Promise<void> {
    const state = this.rooms.get(room)
    if (!state) return
    state.timer = null
    const firstWaiting = Math.min(...state.waiting.keys())
    try {
      const missing = await this.readAfter(room, state.last, firstWaiting - state.last - 1)
      for (const message of missing) {
        if (message.seq > state.last) state.waiting.set(message.seq, { type: 'chat', ...message })
      }
    }
    catch (error) {
      warnAtMostEveryMinute('gap-fill-failed', `could not fill a gap in ${room} from storage: ${(error as Error).message}`)
    }
    if (this.rooms.get(room) !== state) return
    this.drain(state)
    if (state.waiting.size > 0 && !state.timer) state.timer = setTimeout(() => void this.fill(room), this.gapMs)
  }
}
