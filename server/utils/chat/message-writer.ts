import type { Storage } from 'unstorage'
import type { ChatMessage, MessageExtras, User } from '#shared/protocol'
import type { AppendResult, ChatStorage } from '../storage/types'
import type { FanOut } from '../fan-out/types'
import { ChatError } from './chat-error'
import type { ChatLimits } from './limits'
import type { KeyedRates } from './user-rates'
import { applyMessageChange } from './message-change-rules'
import type { MessageChangeRequest } from './message-change-rules'
import type { RoomPolicy } from './room-policy'
import type { SlowMode } from './slow-mode'
import type { TypingTracker } from './typing'
import { notifyMentioned } from './mention-notifications'
import { announceThread, resolveReply } from './replies'
import type { ThreadReads } from './thread-reads'
import type { NotificationChoices } from '../notifications/notification-choices'
import { chatMetrics } from '../metrics/metrics'
import type { PushNotifier } from '../push/push-notifier'
import { removeMessageFiles, storeWithFiles } from '../files/message-files'

export interface MessageWriterParts {
  storage: ChatStorage
  limits: ChatLimits
  fanOut: FanOut
  access: RoomPolicy
  slowMode: SlowMode
  typing: TypingTracker
  notifications: NotificationChoices
  /** Chat messages, edits, deletes and reactions per user, over REST and every socket of theirs together. */
  messageRates: KeyedRates
  push: Pick<PushNotifier, 'messageStored'> | null
  files: Storage
  threads: Pick<ThreadReads, 'replied'>
}

/**
 * New messages and changes to stored ones, with what comes with them: the message rate, room access, replies,
 * files, slow mode, mentions, threads and push. ChatService checks the socket side and hands them here.
 */
export class MessageWriter {
  constructor(private readonly parts: MessageWriterParts) {}

  /**
   * Stores a message (once per user and clientId) and broadcasts it to the room.
   * The write completes before anyone, the sender included, hears of the message. `queued` is called once the
   * message is handed to the storage, which stores messages in the order they were handed to it. A reply (a quote,
   * a thread reply) is a message of the room like any other: same rate, seq, dedupe and fan-out (replies.ts).
   * Its text may be blank only when it carries attachments (message-files.ts checks them).
   */
  async post(user: User, room: string, text: string, clientId: string, queued?: () => void, extras: MessageExtras = {}): Promise<AppendResult> {
    const { storage, limits, fanOut, access, slowMode, files } = this.parts
    const { attachments: fileIds = [], ...reply } = extras
    if (fileIds.length === 0 && text.trim() === '') throw new ChatError('empty_text')
    this.requireMessageRate(user)
    const facts = await access.require(room, user.id)
    const target = await resolveReply(storage, room, reply)
    const started = performance.now()
    const result = await storeWithFiles(files, user, room, clientId, fileIds, limits.maxAttachmentsPerMessage, attachments =>
      slowMode.guard(room, user.id, clientId, facts.slowModeSeconds, () => {
        const stored = storage.appendMessage({ room, user, text, clientId, ...target, ...(attachments && { attachments }) })
        queued?.()
        return stored
      }))
    this.parts.typing.stop(room, user)
    if (!result.duplicate) {
      chatMetrics.stored((performance.now() - started) / 1000)
      fanOut.toRoom(room, { type: 'chat', ...result.message })
      void notifyMentioned(storage, fanOut, result.message, facts, this.parts.notifications)
      void announceThread(storage, fanOut, result.message, root => this.parts.threads.replied(result.message, root, facts))
      this.parts.push?.messageStored(result.message, facts)
    }
    return result
  }

  /**
   * Changes a stored message (message-change-rules.ts says who may do what) and shows the room the result.
   * Each change reaches every watcher of the room, as a message does: it draws on the same rate.
   */
  async change(user: User, change: MessageChangeRequest): Promise<ChatMessage> {
    const { storage, limits, fanOut, access, files } = this.parts
    this.requireMessageRate(user)
    await access.require(change.room, user.id)
    const before = change.type === 'delete' ? await storage.messageIn(change.room, change.id) : null
    const message = await applyMessageChange(storage, limits, user, change)
    if (before?.attachments) await removeMessageFiles(files, before.attachments)
    fanOut.toRoom(change.room, { type: 'update', message })
    return message
  }

  private requireMessageRate(user: User): void {
    const wait = this.parts.messageRates.take(user.id)
    if (wait > 0) {
      chatMetrics.refused('messages')
      throw new ChatError('rate_limited', undefined, wait)
    }
  }
}
