import type { User } from '#shared/protocol'
import { KeyedRates } from './user-rates'

/** A typing indicator with no new `typing` event for this long stops by itself. */
export const TYPING_EXPIRES_MS = 5_000
/** Typing starts one user may announce in one room at once, and then a second (one every 2 s). */
export const TYPING_STARTS_BURST = 10
export const TYPING_STARTS_PER_SECOND = 0.5

/**
 * Who is typing where, on this instance. The first `typing` of a user in a room announces them;
 * each later one pushes the expiry back; a message from them, or silence, announces the stop. Starts past a
 * budget per user and room are dropped: joining, typing and leaving in a loop made every member hear two typing
 * lines a round.
 */
export class TypingTracker {
  private readonly active = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly starts = new KeyedRates(TYPING_STARTS_BURST, TYPING_STARTS_PER_SECOND)

  constructor(
    private readonly announce: (room: string, user: User, active: boolean) => void,
    private readonly expiresMs = TYPING_EXPIRES_MS,
  ) {}

  typing(room: string, user: User): void {
    const key = `${room}\n${user.id}`
    const timer = this.active.get(key)
    if (timer) clearTimeout(timer)
    else if (this.starts.take(key) > 0) return
    else this.announce(room, user, true)
    const expiry = setTimeout(() => this.stop(room, user), this.expiresMs)
    expiry.unref?.()
    this.active.set(key, expiry)
  }

  stop(room: string, user: User): void {
    const key = `${room}\n${user.id}`
    const timer = this.active.get(key)
    if (!timer) return
    clearTimeout(timer)
    this.active.delete(key)
    this.announce(room, user, false)
  }
}
