import { ackFor, DEFAULT_ROOM, errorMessage, parseClientFrame } from '#shared/protocol'
import type { ChatMessage, ClientEvent, ErrorCode, Room, User } from '#shared/protocol'
import type { AppendResult, ChatStorage } from '../storage/types'
import type { Connection } from '../socket/connection'
import { Hub } from './hub'
import type { ChatLimits } from './limits'
import type { BusMessage, ChatBus } from '../bus/types'
import { RoomSequencer } from './room-sequencer'
import { PresenceTracker } from './presence'
import { TypingTracker } from './typing'
import { isStorageUnavailable } from '../storage/unavailable'
import { mentionCandidates } from '#shared/mentions'

/** A refusal that carries a protocol error code; REST maps it to an HTTP status. */
export class ChatError extends Error {
  constructor(readonly code: ErrorCode, message = errorMessage(code)) {
    super(message)
  }
}

/**
 * The chat's rules, independent of the transport: joining, leaving, posting and room creation.
 * The WebSocket route and the REST routes only translate between the wire and these methods.
 */
export class ChatService {
  readonly hub = new Hub()
  /** Per room seen: null for a public room, else its members. Rooms are never deleted, so this is never stale. */
  private readonly roomAccess = new Map<string, Set<string> | null>()
  private readonly sequencer: RoomSequencer
  readonly presence: PresenceTracker
  private readonly typing: TypingTracker

  /**
   * Every broadcast goes out on the bus and comes back to `deliver` on every instance, this one included;
   * with the in-process bus that round trip is a plain function call.
   */
  constructor(
    private readonly storage: ChatStorage,
    readonly limits: ChatLimits,
    readonly bus: ChatBus,
  ) {
    this.sequencer = new RoomSequencer(
      event => this.hub.toRoom(event.room, event),
      (room, after, limit) => this.storage.messagesAfter(room, after, limit),
    )
    this.presence = new PresenceTracker(this.hub, bus, limits.heartbeatIntervalMs * 3)
    this.typing = new TypingTracker((room, user, active) =>
      bus.publish({ kind: 'event', room, event: { type: 'typing', room, user, active } }))
    bus.onMessage(message => this.deliver(message))
    bus.onReconnect(() => void this.resync())
    bus.publish({ kind: 'presence-sync', instance: this.presence.instance })
  }

  /** Every heartbeat: keeps this instance's presence alive on the others and forgets silent instances. */
  refreshPresence(): void {
    this.presence.refresh()
  }

  /** Delivers anything stored that live events did not bring (a lost publish, a bus outage). */
  resync(): Promise<void> {
    return this.sequencer.resync()
  }

  private deliver(message: BusMessage): void {
    if (message.kind === 'close-user') return this.hub.closeUser(message.userId, message.code, message.reason)
    if (message.kind === 'presence') {
      if (message.instance !== this.presence.instance) this.presence.apply(message)
      return
    }
    if (message.kind === 'user-event') return this.hub.toUser(message.userId, message.event)
    if (message.kind === 'presence-sync') {
      if (message.instance !== this.presence.instance) this.presence.refresh()
      return
    }
    const { room, event } = message
    if (event.type === 'chat') return this.sequencer.accept(event)
    if (room === null) return this.hub.toAll(event)
    this.hub.toRoom(room, event)
  }

  /** Closes a user's sockets on every instance, for example after sign-out. */
  closeUser(userId: string, code: number, reason: string): void {
    this.bus.publish({ kind: 'close-user', userId, code, reason })
  }

  /**
   * Refuses an unknown room (unknown_room) and a private room or direct message to anyone not in it
   * (forbidden). A room's kind and members never change, so the answer is cached per room.
   */
  async requireAccess(room: string, userId: string): Promise<void> {
    let members = this.roomAccess.get(room)
    if (members === undefined) {
      const found = await this.storage.getRoom(room)
      if (!found) throw new ChatError('unknown_room')
      members = found.kind ? new Set(await this.storage.roomMembers(room)) : null
      this.roomAccess.set(room, members)
    }
    if (members && !members.has(userId)) throw new ChatError('forbidden')
  }

  async ensureDefaultRoom(): Promise<void> {
    if (!(await this.storage.getRoom(DEFAULT_ROOM))) await this.storage.createRoom(DEFAULT_ROOM, null)
  }

  connect(connection: Connection): void {
    this.hub.add(connection)
  }

  disconnect(connection: Connection): void {
    connection.markClosed()
    const rooms = [...connection.rooms]
    for (const room of this.hub.remove(connection)) {
      this.typing.stop(room, connection.user)
      this.announce(room, 'leave', connection.user)
    }
    for (const room of rooms) {
      this.presence.update(room, connection.user)
      this.untrackIfEmpty(room)
    }
  }

  private untrackIfEmpty(room: string): void {
    if (!this.hub.hasMembers(room)) this.sequencer.untrack(room)
  }

  /** Handles one text frame from a socket; every refusal becomes an `error` event on that socket. */
  async handleFrame(connection: Connection, raw: string): Promise<void> {
    const now = Date.now()
    const frameWait = connection.frameBucket.take(now)
    if (frameWait > 0) return this.rateLimited(connection, null, frameWait, now)
    const parsed = parseClientFrame(raw)
    if (!parsed.ok) {
      connection.send({ type: 'error', code: parsed.code, message: parsed.message, ref: parsed.ref })
      return
    }
    const event = parsed.event
    const ref = refOf(event)
    try {
      switch (event.type) {
        case 'join':
          return await this.join(connection, event.room, event.after)
        case 'leave':
          return this.leave(connection, event.room)
        case 'typing':
          if (!connection.rooms.has(event.room)) throw new ChatError('not_joined')
          return this.typing.typing(event.room, connection.user)
        case 'read':
          await this.markRead(connection.user, event.room, event.seq)
          return
        case 'edit':
        case 'delete':
        case 'react':
          if (!connection.rooms.has(event.room)) throw new ChatError('not_joined')
          await this.changeMessage(connection.user, event)
          return
        case 'visibility':
          connection.visible = event.visible
          for (const room of connection.rooms) this.presence.update(room, connection.user)
          return
        case 'chat': {
          const messageWait = connection.messageBucket.take(now)
          if (messageWait > 0) return this.rateLimited(connection, ref, messageWait, now)
          return await this.chatFromSocket(connection, event.room, event.text, event.clientId)
        }
      }
    }
    catch (error) {
      if (error instanceof ChatError) {
        connection.send({ type: 'error', code: error.code, message: error.message, ref })
        return
      }
      if (isStorageUnavailable(error)) {
        console.warn(`[banter] storage unavailable: ${(error as Error).message}`)
        connection.send({ type: 'error', code: 'unavailable', message: errorMessage('unavailable'), ref })
        return
      }
      console.error('[banter] failed to handle a frame', error)
      connection.send({ type: 'error', code: 'internal', message: errorMessage('internal'), ref })
    }
  }

  /** Refuses an event over the rate; a connection that keeps pushing past it is closed (1008). */
  private rateLimited(connection: Connection, ref: string | null, retryAfter: number, now: number): void {
    if (connection.strikeBucket.take(now) > 0) {
      console.warn(`[banter] closing ${connection.id} (${connection.user.name}): sustained flood`)
      connection.close(1008, 'too many events')
      return
    }
    connection.send({ type: 'error', code: 'rate_limited', message: errorMessage('rate_limited'), ref, retryAfter })
  }

  /**
   * Adds a connection to a room. With `after`, replays the messages it missed first: live events are held
   * from before the read until after the replay, so nothing falls in the seam and nothing comes twice.
   */
  async join(connection: Connection, room: string, after?: number): Promise<void> {
    await this.requireAccess(room, connection.user.id)
    if (!connection.rooms.has(room) && connection.rooms.size >= this.limits.maxRoomsPerConnection) {
      throw new ChatError('too_many_rooms')
    }
    const lastSeqBefore = await this.storage.lastSeq(room)
    // A client can only have seen a seq that existed before it asked.
    if (after !== undefined && after > lastSeqBefore) throw new ChatError('invalid_seq')
    // Ordering starts from a seq read before subscribing: anything newer reaches the room's members.
    this.sequencer.track(room, lastSeqBefore)
    connection.hold(room)
    const first = this.hub.join(connection, room)
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
      connection.send({ type: 'presence', room, snapshot: true, users: this.presence.snapshot(room) })
    }
    finally {
      connection.release(room, covered)
    }
    if (first) this.announce(room, 'join', connection.user)
  }

  leave(connection: Connection, room: string): void {
    if (!connection.rooms.has(room)) throw new ChatError('not_joined')
    if (this.hub.leave(connection, room)) {
      this.typing.stop(room, connection.user)
      this.announce(room, 'leave', connection.user)
    }
    this.presence.update(room, connection.user)
    this.untrackIfEmpty(room)
    connection.send({ type: 'left', room })
  }

  private async chatFromSocket(connection: Connection, room: string, text: string, clientId: string): Promise<void> {
    if (!connection.rooms.has(room)) {
      await this.requireAccess(room, connection.user.id)
      throw new ChatError('not_joined')
    }
    const { message } = await this.postMessage(connection.user, room, text, clientId)
    connection.send(ackFor(message))
  }

  /**
   * Stores a message (once per user and clientId) and broadcasts it to the room.
   * The write completes before anyone, the sender included, hears of the message.
   */
  async postMessage(user: User, room: string, text: string, clientId: string): Promise<AppendResult> {
    await this.requireAccess(room, user.id)
    const result = await this.storage.appendMessage({ room, user, text, clientId })
    this.typing.stop(room, user)
    if (!result.duplicate) {
      this.bus.publish({ kind: 'event', room, event: { type: 'chat', ...result.message } })
      void this.notifyMentioned(result.message)
    }
    return result
  }

  /** Tells each @mentioned user (not the author), in every tab they have open. */
  private async notifyMentioned(message: ChatMessage): Promise<void> {
    const candidates = mentionCandidates(message.text)
    if (candidates.length === 0) return
    try {
      const members = this.roomAccess.get(message.room)
      for (const user of await this.storage.usersByNames(candidates)) {
        // Nobody hears of a private conversation they are not in, not even that they were named in it.
        if (user.id === message.user.id || (members && !members.has(user.id))) continue
        this.bus.publish({ kind: 'user-event', userId: user.id, event: { type: 'notification', message } })
      }
    }
    catch (error) {
      console.warn('[banter] could not deliver mention notifications', error)
    }
  }

  /** Edits, deletes or reacts to a stored message and shows the room the result; refusals are ChatErrors. */
  async changeMessage(user: User, change: MessageChangeRequest): Promise<ChatMessage> {
    await this.requireAccess(change.room, user.id)
    const result = change.type === 'edit'
      ? await this.storage.editMessage(change.room, change.id, user.id, change.text, Date.now())
      : change.type === 'delete'
        ? await this.storage.deleteMessage(change.room, change.id, user.id, Date.now())
        : await this.storage.toggleReaction(change.room, change.id, user.id, change.emoji)
    if (!result.ok) throw new ChatError(CHANGE_REFUSALS[result.reason])
    this.bus.publish({ kind: 'event', room: change.room, event: { type: 'update', message: result.message } })
    return result.message
  }

  /** Moves the user's read marker (never backwards) and tells all their tabs and devices. */
  async markRead(user: User, room: string, seq: number): Promise<number> {
    await this.requireAccess(room, user.id)
    const stored = await this.storage.setReadSeq(user.id, room, seq)
    this.bus.publish({ kind: 'user-event', userId: user.id, event: { type: 'read', room, seq: stored } })
    return stored
  }

  /**
   * Creates a room; null when the name is taken. A public room is announced to every connection;
   * a private room or direct message only to its members (the creator is always one).
   */
  async createRoom(name: string, createdBy: User, access?: { kind: 'private' | 'dm', members: User[] }): Promise<Room | null> {
    if (!access) {
      const room = await this.storage.createRoom(name, createdBy.name)
      if (room) this.bus.publish({ kind: 'event', room: null, event: { type: 'room', room } })
      return room
    }
    const members = uniqueUsers([createdBy, ...access.members])
    const stored = await this.storage.createRoom(name, createdBy.name, { kind: access.kind, memberIds: members.map(member => member.id) })
    if (!stored) return null
    const room: Room = { ...stored, members }
    for (const member of members) this.bus.publish({ kind: 'user-event', userId: member.id, event: { type: 'room', room } })
    return room
  }

  private announce(room: string, kind: 'join' | 'leave', user: User): void {
    this.bus.publish({ kind: 'event', room, event: { type: 'system', room, kind, user, ts: Date.now() } })
  }
}

/** An edit, delete or reaction, from the socket or REST. */
export type MessageChangeRequest =
  | { type: 'edit', room: string, id: string, text: string }
  | { type: 'delete', room: string, id: string }
  | { type: 'react', room: string, id: string, emoji: string }

const CHANGE_REFUSALS = { not_found: 'not_found', not_owner: 'not_owner', deleted: 'message_deleted' } as const satisfies Record<string, ErrorCode>

function uniqueUsers(users: User[]): User[] {
  return [...new Map(users.map(user => [user.id, user])).values()]
}

/** What an `error` answering this event refers to: the message's clientId or id, else the room. */
function refOf(event: ClientEvent): string | null {
  switch (event.type) {
    case 'chat': return event.clientId
    case 'edit':
    case 'delete':
    case 'react': return event.id
    case 'visibility': return null
    default: return event.room
  }
}
