import type { User } from '#shared/protocol'

/** How long a user whose last connection closed may take to come back before the room hears they left. */
export const LEAVE_GRACE_MS = 10_000

/**
 * The room's join and leave lines. A closed connection is often a reload or a reconnect: its user's leave waits
 * `graceMs`, and a return within it cancels both lines, so the room sees no "left / joined" noise. A leave the
 * user chose (leaving the room, being removed) is told at once. A late leave keeps the time the user went.
 */
export class JoinLeaveNotices {
  private readonly pendingLeaves = new Map<string, ReturnType<typeof setTimeout>>()

  constructor(
    private readonly announce: (room: string, kind: 'join' | 'leave', user: User, ts: number) => void,
    private readonly graceMs = LEAVE_GRACE_MS,
  ) {}

  /** The user's first present connection in the room: a join, unless they are back from a leave not yet told. */
  arrived(room: string, user: User): void {
    if (this.cancelLeave(room, user)) return
    this.announce(room, 'join', user, Date.now())
  }

  /** The user chose to go: told now. */
  left(room: string, user: User): void {
    this.cancelLeave(room, user)
    this.announce(room, 'leave', user, Date.now())
  }

  /** The user's last present connection closed: told once the grace has passed without a return. */
  disconnected(room: string, user: User): void {
    const key = keyOf(room, user)
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
