import type { ChatMessage, User } from '#shared/protocol'
import type { FanOut } from '../fan-out/types'
import type { ChatStorage } from '../storage/types'
import type { FollowedThread } from '../storage/thread-follow-types'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { ChatError } from './chat-error'
import { mentionedReaders } from './mention-notifications'
import type { RoomFacts, RoomPolicy } from './room-policy'

/**
 * Who follows a thread and where each user read it up to, kept on the server: a thread's "N new" is the same in
 * every tab and device and after a reload. A thread is followed by its root's author, its repliers and the people
 * its replies mention (who may read the room); reading a thread follows nothing.
 */
export class ThreadReads {
  constructor(
    private readonly storage: ChatStorage,
    private readonly access: RoomPolicy,
    private readonly fanOut: FanOut,
  ) {}

  /** After a thread reply was stored and heard (`root`: its root, as read then): records who follows the thread now. */
  async replied(reply: ChatMessage, root: ChatMessage, facts: RoomFacts): Promise<void> {
    if (reply.threadId === undefined) return
    try {
      const mentioned = await mentionedReaders(this.storage, reply, facts)
      const followers = [root.user.id, ...mentioned.map(user => user.id)]
      await this.storage.followThread(reply.room, reply.threadId, { userId: reply.user.id, seq: reply.seq }, followers)
    }
    catch (error) {
      // The reply is stored and heard; its followers miss one "new" mark.
      warnAtMostEveryMinute('thread-follow', `could not record a thread's followers: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  /**
   * Moves the user's read place in the thread under `rootId` (never backwards) and tells all their tabs and devices.
   * 404 `not_found` for a message that is not a thread root of this room, the same whether it exists elsewhere or not.
   */
  async markRead(user: User, room: string, rootId: string, seq: number): Promise<number> {
    await this.access.require(room, user.id)
    const root = await this.storage.messageIn(room, rootId)
    if (!root || root.threadId !== undefined) throw new ChatError('not_found')
    const stored = await this.storage.markThreadRead(user.id, room, rootId, seq)
    this.fanOut.toUser(user.id, { type: 'thread-read', room, rootId, seq: stored })
    return stored
  }

  /** The threads of a room the user follows, with the replies by others they have not read. */
  async followed(user: User, room: string): Promise<FollowedThread[]> {
    await this.access.require(room, user.id)
    return this.storage.followedThreads(user.id, room)
  }
}
