import { KeyedRates } from './user-rates'
import { DEFAULT_ROOM } from '#shared/protocol'
import type { Storage } from 'unstorage'
import { createStorage } from 'unstorage'
import type { ChatMessage, MessageExtras, Room, User } from '#shared/protocol'
import type { AppendResult, ChatStorage } from '../storage/types'
import type { Connection } from '../socket/connection'
import type { FanOut, RoomChange } from '../fan-out/types'
import { ChatError } from './chat-error'
import type { Hub } from './hub'
import type { ChatLimits } from './limits'
import type { PresenceTracker } from './presence'
import { ReadMarkerBatch } from './read-markers'
import { ThreadReads } from './thread-reads'
import { mayActInRoom, RoomAdmin } from './room-admin'
import type { MessageChangeRequest } from './message-change-rules'
import { RoomPolicy } from './room-policy'
import { NotificationChoices } from '../notifications/notification-choices'
import { ReadReceipts } from '../notifications/read-receipts'
import { workspaceSettings } from '../accounts/workspace-settings'
import { SlowMode } from './slow-mode'
import { MessageWriter } from './message-writer'
import { chatMetrics } from '../metrics/metrics'
import { RoomCreationCaps } from './room-creation-caps'
import { localRates } from '../rates/shared-rates'
import type { SharedRatesFactory } from '../rates/shared-rates'
import { createAnnouncedRoom } from './room-creation'
import type { RoomCreator } from './room-creation-caps'
import { TypingTracker } from './typing'
import { JoinLeaveNotices } from './join-leave'
import type { PushNotifier } from '../push/push-notifier'

/**
 * The chat's rules, independent of the transport: who may see a room, joining and leaving, posting,
 * changing a message, read markers and room creation. Each refusal is a thrown ChatError; the socket's frame
 * handler (socket/frame-handler.ts) and the REST routes only translate between the wire and these methods.
 * Everything anyone hears goes out through the fan-out.
 */
export class ChatService {
  readonly hub: Hub
  readonly presence: PresenceTracker
  /** Topic, slow mode and members of a room after its creation. */
  readonly rooms: RoomAdmin
  private readonly access: RoomPolicy
  private readonly slowMode: SlowMode
  private readonly typingTracker: TypingTracker
  private readonly joinLeave: JoinLeaveNotices
  private readonly readMarkers: ReadMarkerBatch

  /** New messages and changes to them. */
  private readonly messages: MessageWriter
  private readonly creationCaps: RoomCreationCaps
  /** REST requests per user: the rate one socket's frames have. */
  readonly requestRates: KeyedRates
  /** Each user's notification level and mute per room, which decide who hears of a mention. */
  readonly notifications: NotificationChoices
  /** "Seen by" in direct messages and small private rooms. */
  readonly receipts: ReadReceipts
  /** Thread follows and read places (thread-reads.ts). */
  readonly threads: ThreadReads

  constructor(
    private readonly storage: ChatStorage,
    readonly limits: ChatLimits,
    private readonly fanOut: FanOut,
    /** Pushes a stored message to who should hear of it with no tab open (push/push-notifier.ts). */
    push: Pick<PushNotifier, 'messageStored'> | null = null,
    /** Uploaded files (the Nitro mount in the server; in memory for unit tests). */
    files: Storage = createStorage(),
    /** Rates that hold for the deployment, for the creation caps (this process's when it is alone). */
    rates: SharedRatesFactory = localRates,
  ) {
    this.hub = fanOut.hub
    this.presence = fanOut.presence
    this.requestRates = new KeyedRates(limits.frameBurst, limits.framesPerSecond)
    this.creationCaps = new RoomCreationCaps(storage, limits, rates)
    this.access = new RoomPolicy(storage)
    this.notifications = new NotificationChoices(storage, this.access, fanOut, async () => (await workspaceSettings()).notificationLevel)
    this.receipts = new ReadReceipts(storage, this.access, fanOut, limits.readReceiptsMaxMembers)
    this.threads = new ThreadReads(storage, this.access, fanOut)
    this.slowMode = new SlowMode(storage, (room, userId) => mayActInRoom(storage, userId, room, 'room.moderate'))
    this.rooms = new RoomAdmin(storage, fanOut, (change) => {
      // This instance forgets at once, before the bus brings the change back: its next request reads the room again.
      this.access.forget(change.room)
      fanOut.roomChanged(change)
    })
    fanOut.onRoomChanged(change => this.roomChanged(change))
    this.typingTracker = new TypingTracker((room, user, active) => fanOut.toRoom(room, { type: 'typing', room, user, active }))
    this.joinLeave = new JoinLeaveNotices((room, kind, user, ts) => fanOut.toRoom(room, { type: 'system', room, kind, user, ts }))
    this.messages = new MessageWriter({
      storage, limits, fanOut, access: this.access, slowMode: this.slowMode, typing: this.typingTracker, notifications: this.notifications,
      messageRates: new KeyedRates(limits.messageBurst, limits.messagesPerSecond), push, files, threads: this.threads,
    })
    this.readMarkers = new ReadMarkerBatch(storage, (markers) => {
      fanOut.toUsers(markers.map(({ userId, room, seq }) => ({ userId, event: { type: 'read', room, seq } })))
      void this.receipts.announce(markers)
    })
  }

  /** Refuses an unknown room (unknown_room) and a private room or direct message to anyone not in it (forbidden). */
  async requireAccess(room: string, userId: string): Promise<void> {
    await this.access.require(room, userId)
  }

  async ensureDefaultRoom(): Promise<void> {
    if (!(await this.storage.getRoom(DEFAULT_ROOM))) await this.storage.createRoom(DEFAULT_ROOM, null)
  }

  /** Closes a user's sockets on every instance, for example after sign-out. */
  closeUser(userId: string, code: number, reason: string): void {
    this.fanOut.closeUser(userId, code, reason)
  }

  /** Closes the sockets of these sessions on every instance (1008: the client does not reconnect). */
  closeSessions(sessionIds: readonly string[], reason: string): void {
    this.fanOut.closeSessions(sessionIds, 1008, reason)
  }

  /** Tells every instance a user's new names. */
  updateUser(user: User): void {
    this.fanOut.updateUser(user)
  }

  connect(connection: Connection): void {
    this.hub.add(connection)
  }

  disconnect(connection: Connection): void {
    connection.markClosed()
    for (const { room, departed } of this.hub.remove(connection)) {
      if (departed) this.departed(room, connection.user, false)
      this.presence.update(room, connection.user)
      this.untrackIfEmpty(room)
    }
  }

  /**
   * Adds a connection to a room, present or (with `follow`) only following it; a join of a room the connection
   * is in switches between the two. With `after`, replays the messages it missed first: the room's live lines
   * are held from before the read until after the replay, so nothing falls in the seam and nothing comes twice.
   */
  async join(connection: Connection, room: string, after?: number, follow = false): Promise<void> {
    await this.access.require(room, connection.user.id)
    if (!this.hub.cursorOf(connection, room) && this.hub.roomCount(connection) >= this.limits.maxRoomsPerConnection) {
      throw new ChatError('too_many_rooms')
    }
    const lastSeqBefore = await this.storage.lastSeq(room)
    // A client can only have seen a seq that existed before it asked.
    if (after !== undefined && after > lastSeqBefore) throw new ChatError('invalid_seq')
    // Ordering starts from a seq read before subscribing: anything newer reaches the room's members.
    this.fanOut.track(room, lastSeqBefore)
    const entry = this.hub.enter(connection, room, follow)
    if (!entry) return this.untrackIfEmpty(room)
    chatMetrics.joined()
    entry.cursor.hold()
    let covered = 0
    try {
      const lastSeq = await this.storage.lastSeq(room)
      if (after === undefined) {
        connection.send({ type: 'joined', room, lastSeq })
      }
      else {
        const recovered = lastSeq - after <= this.limits.resumeLimit
        if (recovered && lastSeq > after) {
          for (const message of await this.storage.messagesAfter(room, after, lastSeq - after)) {
            connection.send({ type: 'chat', ...message })
          }
        }
        connection.send({ type: 'joined', room, lastSeq, recovered })
      }
      covered = lastSeq
      this.presence.update(room, connection.user)
      if (!follow) connection.send({ type: 'presence', room, snapshot: true, users: this.presence.snapshot(room) })
    }
    finally {
      entry.cursor.release(covered)
    }
    // The socket closed (or left the room) while storage answered: its close already told the room.
    if (this.hub.cursorOf(connection, room) !== entry.cursor) return
    if (entry.arrived) this.joinLeave.arrived(room, connection.user)
    if (entry.departed) this.departed(room, connection.user, true)
  }

  leave(connection: Connection, room: string): void {
    if (!this.hub.cursorOf(connection, room)) throw new ChatError('not_joined')
    if (this.hub.leave(connection, room)) this.departed(room, connection.user, true)
    this.presence.update(room, connection.user)
    this.untrackIfEmpty(room)
    connection.send({ type: 'left', room })
  }

  /** The user is typing in a room this connection is present in (a follower is not listed there). */
  typing(connection: Connection, room: string): void {
    if (!this.hub.isPresent(connection, room)) throw new ChatError('not_joined')
    this.typingTracker.typing(room, connection.user)
  }

  /** The tab was shown or hidden: a user whose tabs in a room are all hidden is away there. */
  setVisible(connection: Connection, visible: boolean): void {
    connection.visible = visible
    for (const room of this.hub.roomsOf(connection)) this.presence.update(room, connection.user)
  }

  /** Posts from a socket, which must be in the room; resolves with the stored message (to ack). `queued`: see postMessage. */
  async postFrom(connection: Connection, room: string, text: string, clientId: string, queued?: () => void, extras: MessageExtras = {}): Promise<ChatMessage> {
    if (!this.hub.cursorOf(connection, room)) {
      await this.access.require(room, connection.user.id)
      throw new ChatError('not_joined')
    }
    return (await this.postMessage(connection.user, room, text, clientId, queued, extras)).message
  }

  /** Stores a message and broadcasts it to the room (message-writer.ts). `queued`: once storage has taken it, in order. */
  postMessage(user: User, room: string, text: string, clientId: string, queued?: () => void, extras: MessageExtras = {}): Promise<AppendResult> {
    return this.messages.post(user, room, text, clientId, queued, extras)
  }

  /** Changes a message from a socket, which must be in the room. */
  changeFrom(connection: Connection, change: MessageChangeRequest): Promise<ChatMessage> {
    if (!this.hub.cursorOf(connection, change.room)) throw new ChatError('not_joined')
    return this.changeMessage(connection.user, change)
  }

  /** Edits, deletes, reacts to or pins a stored message, as its rules allow (message-writer.ts). */
  changeMessage(user: User, change: MessageChangeRequest): Promise<ChatMessage> {
    return this.messages.change(user, change)
  }

  /** The room's pinned messages, newest pin first, for a user who may read the room. */
  async pinnedMessages(user: User, room: string): Promise<ChatMessage[]> {
    await this.access.require(room, user.id)
    return this.storage.pinnedMessages(room)
  }

  /**
   * A room changed, on any instance: forget what is cached of it; a removed member's connections here leave
   * it now (the room hears they left), and each of their tabs hears `room-removed`.
   */
  private roomChanged({ room, removedUserId }: RoomChange): void {
    this.access.forget(room)
    if (removedUserId === undefined) return
    for (const connection of [...this.hub.connectionsOf(removedUserId)]) {
      if (this.hub.cursorOf(connection, room)) {
        if (this.hub.leave(connection, room)) this.departed(room, connection.user, true)
        this.presence.update(room, connection.user)
        this.untrackIfEmpty(room)
      }
      connection.send({ type: 'room-removed', room })
    }
  }

  /**
   * Moves the user's read marker (never backwards) and tells all their tabs and devices; the markers of
   * one event-loop turn are written together and each user hears once per room.
   */
  async markRead(user: User, room: string, seq: number): Promise<number> {
    await this.access.require(room, user.id)
    return this.readMarkers.raise(user.id, room, seq)
  }

  /** A room made on a user's request: refused past the creation caps (room-creation-caps.ts), else as `createRoom`. */
  async createRoomAs(creator: RoomCreator, name: string, createdBy: User, access?: { kind: 'private', members: User[] }): Promise<Room | null> {
    await this.creationCaps.requireRoomAllowed(creator)
    return this.createRoom(name, createdBy, access)
  }

  /** A new direct conversation on a user's request: refused past the creation rate, else as `createRoom`. */
  async createDirectMessageAs(creator: RoomCreator, name: string, createdBy: User, other: User): Promise<Room | null> {
    await this.creationCaps.requireDirectMessageAllowed(creator)
    return this.createRoom(name, createdBy, { kind: 'dm', members: [other] })
  }

  /** Creates a room, announced to whoever may see it (room-creation.ts); null when the name is taken. */
  createRoom(name: string, createdBy: User, access?: { kind: 'private' | 'dm', members: User[] }): Promise<Room | null> {
    return createAnnouncedRoom(this.storage, this.fanOut, name, createdBy, access)
  }

  /**
   * The user's last present connection in the room is gone: they stop typing there and the room hears they left,
   * at once if they `chose` to (a leave, a removal), else unless they come back soon (join-leave.ts).
   */
  private departed(room: string, user: User, chose: boolean): void {
    this.typingTracker.stop(room, user)
    if (chose) this.joinLeave.left(room, user)
    else this.joinLeave.disconnected(room, user)
  }

  private untrackIfEmpty(room: string): void {
    if (!this.hub.hasMembers(room)) this.fanOut.untrack(room)
  }
}
