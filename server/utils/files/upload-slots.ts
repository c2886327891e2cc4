import { ChatError } from '../chat/chat-error'
import { warnAtMostEveryMinute } from '../http/throttled-log'

/** How long a refused upload is told to wait: uploads take seconds, not minutes. */
const RETRY_AFTER_MS = 2000

/**
 * Uploads being read on this instance right now. Each is held in memory, up to the size limit, until it is
 * stored; the rate says how many a user may start per minute, these caps how many are held at once: per user
 * (429 `rate_limited`, a user's own uploads must finish first) and for the instance (503 `unavailable`), so a
 * crowd of slow uploads cannot take the process's memory.
 */
export class UploadSlots {
  private total = 0
  private readonly byUser = new Map<string, number>()

  constructor(private readonly maxTotal: number, private readonly maxPerUser: number) {}

  /** Takes a slot for one of the user's uploads, or refuses; the answer gives the slot back (once). */
  take(userId: string): () => void {
    const mine = this.byUser.get(userId) ?? 0
    if (mine >= this.maxPerUser) throw new ChatError('rate_limited', `At most ${this.maxPerUser} uploads at once: wait for the others to finish.`, RETRY_AFTER_MS)
    if (this.total >= this.maxTotal) {
      warnAtMostEveryMinute('uploads-in-flight', `refusing uploads: ${this.total} already being read (NUXT_LIMITS_UPLOADS_IN_FLIGHT)`)
      throw new ChatError('unavailable', 'The server is busy with other uploads: try again in a moment.', RETRY_AFTER_MS)
    }
    this.total++
    this.byUser.set(userId, mine + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.total--
      const left = (this.byUser.get(userId) ?? 1) - 1
      if (left > 0) this.byUser.set(userId, left)
      else this.byUser.delete(userId)
    }
  }

  /** Uploads being read now (for tests and metrics). */
  get inFlight(): number {
    return this.total
  }
}
