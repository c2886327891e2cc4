import type { ChatStorage } from '../storage/types'
import { ChatError } from './chat-error'

/** What the chat needs to know of a room on every event: who may see it, and its slow mode. */
export interface RoomFacts {
  /** null for a public room, else its members' user ids. */
  members: ReadonlySet<string> | null
  /** 0 when slow mode is off. */
  slowModeSeconds: number
  /** Absent for a public room. */
  kind?: 'private' | 'dm'
}

/**
 * Who may see each room, and its slow mode. Read from storage once per room and kept until `forget`: a change
 * to a room's members or settings makes every instance forget it (the fan-out's `roomChanged`).
 */
export class RoomPolicy {
  private readonly facts = new Map<string, RoomFacts>()
  /** Bumped by `forget`, so an answer read from storage before a change is not kept after it. */
  private readonly generations = new Map<string, number>()

  constructor(private readonly storage: Pick<ChatStorage, 'getRoom' | 'roomMembers'>) {}

  /** Whether a user may hear of something in a room with these facts (not of a private room they are not in). */
  static mayHear(facts: RoomFacts, userId: string): boolean {
    return !facts.members || facts.members.has(userId)
  }

  /**
   * Refuses an unknown room, and a private room or direct message to anyone not in it, alike (unknown_room): a
   * direct message's name can be worked out from two user ids, so a different answer told who talks to whom.
   */
  async require(room: string, userId: string): Promise<RoomFacts> {
    const facts = this.facts.get(room) ?? await this.load(room)
    if (facts.members && !facts.members.has(userId)) {
      // A room that does not exist is looked up in storage every time, a known one answered from memory: the
      // refusal takes the same lookup, so its time does not tell the two apart either.
      await this.storage.getRoom(room)
      throw new ChatError('unknown_room')
    }
    return facts
  }

  private async load(room: string): Promise<RoomFacts> {
    const generation = this.generations.get(room) ?? 0
    const found = await this.storage.getRoom(room)
    if (!found) throw new ChatError('unknown_room')
    const facts: RoomFacts = {
      members: found.kind ? new Set(await this.storage.roomMembers(room)) : null,
      slowModeSeconds: found.slowModeSeconds ?? 0,
      ...(found.kind ? { kind: found.kind } : {}),
    }
    if ((this.generations.get(room) ?? 0) === generation) this.facts.set(room, facts)
    return facts
  }

  /** The room's members or settings changed: the next event reads them again. */
  forget(room: string): void {
    this.facts.delete(room)
    this.generations.set(room, (this.generations.get(room) ?? 0) + 1)
  }
}
