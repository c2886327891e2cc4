import type { User } from '#shared/protocol'
import { KeyedRates } from './user-rates'

/** How long a user whose last connection closed may take to come back before the room hears they left. */
export const LEAVE_GRACE_MS = 10_000
/** Joins a user's lines in one room may tell at once, and how many a second after that (one per 5 s). */
export const JOIN_LINES_BURST = 10
export const JOIN_LINES_PER_SECOND = 0.2

/**
 * The room's join and leave lines. A closed connection is often a reload or a reconnect: its user's leave waits
 * `graceMs`, and a return within it cancels both lines, so the room sees no "left / joined" noise. A leave the
 * user chose (leaving the room, being removed) is told at once. A late leave keeps the time the user went.
 * A user joining and leaving over and over (a frame each, well within the frame rate) would have every member
 * hear two lines per round: past a budget of joins per user and room, a join and its leave are not told.
 */
export class JoinLeaveNotices {
  private readonly pendingLeaves = new Map<string, ReturnType<typeof setTimeout>>()
  /** Joins not told (over the budget), so their leaves are not told either. */
  private readonly untold = new Set<string>()
  private readonly joinLines = new KeyedRates(JOIN_LINES_BURST, JOIN_LINES_PER_SECOND)

  constructor(
    private readonly announce: (room: string, kind: 'join' | 'leave', user: User, ts: number) => void,
    private readonly graceMs = LEAVE_GRACE_MS,
  ) {}

  /** The user's first present connection in the room: a join, unless they are back from a leave not yet told. */
  arrived(room: string, user: User): void {
    if (this.cancelLeave(room, user)) return
    const key = keyOf(room, user)
    if (this.joinLines.take(key) > 0) {
      this.untold.add(key)
      return
    }
    this.untold.delete(key)
    this.announce(room, 'join', user, Date.now())
  }

  /** The user chose to go: told now. */
  left(room: string, user: User): void {
    this.cancelLeave(room, user)
    if (this.untold.delete(keyOf(room, user))) return
    this.announce(room, 'leave', user, Date.now())
  }

  /** The user's last present connection closed: told once the grace has passed without a return. */
  disconnected(room: string, user: User): void {
    const key = keyOf(room, user)
    if (this.untold.delete(key)) return
    const ts = Date.now()
    clearTimeout(this.pendingLeaves.get(key))
    const timer = setTimeout(() => {
      this.pendingLeaves.delete(key)
      this.announce(room, 'leave', user, ts)
    }, this.graceMs)
    timer.unref?.()
    this.pendingLeaves.set(key, timer)
  }

  private cancelLeave(room: string, user: User): boolean {
    const key = keyOf(room, user)
    const timer = this.pendingLeaves.get(key)
    if (!timer) return false
    clearTimeout(timer)
    this.pendingLeaves.delete(key)
    return true
  }
}

const keyOf = (room: string, user: User) => `${room}\n${user.id}`
