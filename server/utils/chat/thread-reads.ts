import type { ChatMessage, ThreadsEverywhere, User } from '#shared/protocol'
import type { FanOut } from '../fan-out/types'
import type { ChatStorage } from '../storage/types'
import type { FollowedThread } from '../storage/thread-follow-types'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { ChatError } from './chat-error'
import { mentionedReaders } from './mention-notifications'
import type { RoomFacts, RoomPolicy } from './room-policy'

/** How many threads the Threads view lists (and so the most its sidebar count can reach). */
export const MAX_THREADS_LISTED = 50

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
    return (await this.storage.followedThreads(user.id, room)).map(({ rootId, readSeq, unread }) => ({ rootId, readSeq, unread }))
  }

  /**
   * The threads the user follows in the rooms they may read now (a room they left, or that went private without
   * them, shows nothing), in the storage's order: those with new replies first, then by latest reply.
   */
  async everywhere(user: User): Promise<ThreadsEverywhere['threads']> {
    const readable = await this.readableOf(user, await this.storage.roomsWithFollowedThreads(user.id))
    const listed = await this.storage.followedThreadsIn(user.id, readable, MAX_THREADS_LISTED)
    const roots = new Map((await this.storage.messagesIn(listed.map(thread => ({ room: thread.room, id: thread.rootId })))).map(root => [root.id, root]))
    return listed.flatMap(({ rootId, readSeq, unread }) => {
      const root = roots.get(rootId)
      return root && root.threadId === undefined ? [{ root, readSeq, unread }] : []
    })
  }

  /** Of `rooms`, those the user may read, by the same rule as every other room request. */
  private async readableOf(user: User, rooms: readonly string[]): Promise<string[]> {
    const verdicts = await Promise.all(rooms.map(room => this.access.require(room, user.id).then(() => true, (error: unknown) => {
      if (error instanceof ChatError) return false
      throw error
    })))
    return rooms.filter((_room, index) => verdicts[index])
  }
}
