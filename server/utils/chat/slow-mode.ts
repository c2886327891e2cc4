import type { ChatStorage } from '../storage/types'
import { ChatError } from './chat-error'

/**
 * How far back slow mode looks for a member's last message in the room: far more than a slow room holds
 * within any interval (each member posts once per interval), and it bounds the read in a room of any size.
 */
export const SLOW_MODE_LOOK_BACK = 1000

/**
 * Slow mode: one message per N seconds per member of a room, moderators exempt. Decided from the member's
 * newest stored message, so every instance sharing the storage agrees; on one instance, a second message
 * arriving while the first is still being stored is refused too. A retry of the newest message (same
 * clientId) passes, so storage answers it as the duplicate it is.
 */
export class SlowMode {
  /** Per room and user, the clientId of the message being checked and stored right now. */
  private readonly inFlight = new Map<string, string>()

  constructor(
    private readonly storage: Pick<ChatStorage, 'latestMessageBy'>,
    /** Whether the user moderates the room (asked only before a refusal). */
    private readonly exempt: (room: string, userId: string) => Promise<boolean>,
  ) {}

  /** Runs `post` unless slow mode refuses it (`slow_mode`, with how long to wait). */
  async guard<T>(room: string, userId: string, clientId: string, seconds: number, post: () => Promise<T>): Promise<T> {
    if (seconds <= 0) return post()
    const key = `${room}\n${userId}`
    const pending = this.inFlight.get(key)
    if (pending !== undefined) {
      if (pending !== clientId && !(await this.exempt(room, userId))) throw slowModeRefusal(seconds * 1000)
      return post()
    }
    this.inFlight.set(key, clientId)
    try {
      const latest = await this.storage.latestMessageBy(room, userId, SLOW_MODE_LOOK_BACK)
      const wait = latest && latest.clientId !== clientId ? latest.ts + seconds * 1000 - Date.now() : 0
      if (wait > 0 && !(await this.exempt(room, userId))) throw slowModeRefusal(wait)
      return await post()
    }
    finally {
      this.inFlight.delete(key)
    }
  }
}

function slowModeRefusal(waitMs: number): ChatError {
  return new ChatError('slow_mode', `Slow mode is on in this room: wait ${Math.ceil(waitMs / 1000)} s before sending again.`, Math.ceil(waitMs))
}
