import type { ChatStorage } from '../storage/types'
import { ChatError } from './chat-error'

/**
 * Who may see each room. A room's kind and members never change and rooms are never deleted, so the
 * answer is read from storage once per room and kept.
 */
export class RoomPolicy {
  /** Per room seen: null for a public room, else its members' user ids. */
  private readonly members = new Map<string, ReadonlySet<string> | null>()

  constructor(private readonly storage: Pick<ChatStorage, 'getRoom' | 'roomMembers'>) {}

  /** Refuses an unknown room (unknown_room) and a private room or direct message to anyone not in it (forbidden). */
  async require(room: string, userId: string): Promise<void> {
    let members = this.members.get(room)
    if (members === undefined) {
      const found = await this.storage.getRoom(room)
      if (!found) throw new ChatError('unknown_room')
      members = found.kind ? new Set(await this.storage.roomMembers(room)) : null
      this.members.set(room, members)
    }
    if (members && !members.has(userId)) throw new ChatError('forbidden')
  }

  /** Whether a user may hear of something in a room already checked with `require` (not of a private room they are not in). */
  mayHear(room: string, userId: string): boolean {
    const members = this.members.get(room)
    return !members || members.has(userId)
  }
}
