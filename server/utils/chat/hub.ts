import type { ServerEvent, User } from '#shared/protocol'
import { encodeEvent } from '../socket/connection'
import type { Connection } from '../socket/connection'
import { RoomCursor } from './room-cursor'
import { currentTurn } from '../socket/flush-queue'
import { RoomTurn } from '../socket/room-turn'
import { chatMetrics } from '../metrics/metrics'

/** How a connection entering a room, or changing how it is there, changed its user's presence in it. */
export interface RoomEntry {
  cursor: RoomCursor
  /** It is the user's first present connection there: the room hears of the join. */
  arrived: boolean
  /** It was the user's last present connection there and now follows: the room hears of the leave. */
  departed: boolean
}

/** A room a closing connection was in; `departed` when its user has no present connection left there. */
export interface RoomExit {
  room: string
  departed: boolean
}

/**
 * Who is connected and which rooms they are in, indexed by connection, room and user so a broadcast touches
 * only the room's members. A connection is in a room present (counted in presence, announced) or following
 * (it gets the room's messages and their changes, nothing else).
 */
export class Hub {
  /** Each connection and its cursor per room (null until its first join: an idle connection costs little). */
  private readonly connections = new Map<Connection, Map<string, RoomCursor> | null>()
  private readonly byRoom = new Map<string, Set<RoomCursor>>()
  private readonly byUser = new Map<string, Set<Connection>>()
  /** Per room, how many present connections each user has in it: joins and leaves are announced per user, not per tab. */
  private readonly presentByRoom = new Map<string, Map<string, number>>()
  private emptyWaiters: (() => void)[] = []
  /** Each room's lines of the current event-loop turn (`turnsOf`), framed once for the members sent all of them. */
  private readonly turns = new Map<string, RoomTurn>()
  private turnsOf = -1

  get size(): number {
    return this.connections.size
  }

  add(connection: Connection): void {
    this.connections.set(connection, null)
    addTo(this.byUser, connection.user.id, connection)
  }

  /** Removes a connection from the hub and every room it was in. */
  remove(connection: Connection): RoomExit[] {
    const rooms = this.connections.get(connection)
    if (rooms === undefined) return []
    this.connections.delete(connection)
    removeFrom(this.byUser, connection.user.id, connection)
    const exits: RoomExit[] = []
    for (const [room, cursor] of rooms ?? []) exits.push({ room, departed: this.unseat(room, cursor) })
    if (this.connections.size === 0) this.emptyWaiters.splice(0).forEach(resolve => resolve())
    return exits
  }

  /**
   * Puts a connection in a room, present or following, or changes how it is there; null when the
   * connection is no longer connected (it closed while its join waited for storage).
   */
  enter(connection: Connection, room: string, following: boolean): RoomEntry | null {
    let rooms = this.connections.get(connection)
    if (rooms === undefined) return null
    const userId = connection.user.id
    let cursor = rooms?.get(room)
    if (!cursor) {
      cursor = new RoomCursor(connection, following)
      if (!rooms) this.connections.set(connection, (rooms = new Map()))
      rooms.set(room, cursor)
      addTo(this.byRoom, room, cursor)
      return { cursor, arrived: !following && this.countPresent(room, userId, +1) === 1, departed: false }
    }
    if (cursor.following === following) return { cursor, arrived: false, departed: false }
    cursor.following = following
    if (following) return { cursor, arrived: false, departed: this.countPresent(room, userId, -1) === 0 }
    return { cursor, arrived: this.countPresent(room, userId, +1) === 1, departed: false }
  }

  /** Takes a connection out of a room; true when its user has no present connection left there. */
  leave(connection: Connection, room: string): boolean {
    const rooms = this.connections.get(connection)
    const cursor = rooms?.get(room)
    if (!cursor) return false
    rooms!.delete(room)
    return this.unseat(room, cursor)
  }

  private unseat(room: string, cursor: RoomCursor): boolean {
    removeFrom(this.byRoom, room, cursor)
    return !cursor.following && this.countPresent(room, cursor.connection.user.id, -1) === 0
  }

  /** The connection's cursor in `room`, present or following; undefined when it is not in the room. */
  cursorOf(connection: Connection, room: string): RoomCursor | undefined {
    return this.connections.get(connection)?.get(room)
  }

  /** In the room and counted in its presence (not only following it). */
  isPresent(connection: Connection, room: string): boolean {
    const cursor = this.cursorOf(connection, room)
    return cursor !== undefined && !cursor.following
  }

  /** The rooms a connection is in, present or following. */
  roomsOf(connection: Connection): Iterable<string> {
    return this.connections.get(connection)?.keys() ?? []
  }

  roomCount(connection: Connection): number {
    return this.connections.get(connection)?.size ?? 0
  }

  /** A user's connections on this instance. */
  connectionsOf(userId: string): Iterable<Connection> {
    return this.byUser.get(userId) ?? []
  }

  isConnected(connection: Connection): boolean {
    return this.connections.has(connection)
  }

  hasMembers(room: string): boolean {
    return this.byRoom.has(room)
  }

  private countPresent(room: string, userId: string, change: number): number {
    let users = this.presentByRoom.get(room)
    if (!users) this.presentByRoom.set(room, (users = new Map()))
    const count = (users.get(userId) ?? 0) + change
    if (count > 0) users.set(userId, count)
    else users.delete(userId)
    if (users.size === 0) this.presentByRoom.delete(room)
    return count
  }

  /** Resolves when the last connection is gone. */
  whenEmpty(): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve()
    return new Promise(resolve => this.emptyWaiters.push(resolve))
  }

  /** How many connections a user has open. */
  connectionCount(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0
  }

  all(): IterableIterator<Connection> {
    return this.connections.keys()
  }

  /**
   * Sends an event to a room's members, serialized once for all of them. Following connections get only the
   * room's messages and their changes: no presence, typing or join and leave lines.
   */
  toRoom(room: string, event: ServerEvent): void {
    const members = this.byRoom.get(room)
    if (!members) return
    const line = encodeEvent(event)
    const seq = event.type === 'chat' ? event.seq : undefined
    const followersToo = seq !== undefined || event.type === 'update'
    if (seq !== undefined) chatMetrics.delivered(members.size)
    const turn = this.turnOf(room)
    const index = turn.add(line)
    for (const cursor of members) {
      if (followersToo || !cursor.following) cursor.deliver(seq, line, turn, index)
    }
  }

  private turnOf(room: string): RoomTurn {
    const now = currentTurn()
    if (this.turnsOf !== now) {
      // A new turn: the last one's lines have all been written.
      this.turns.clear()
      this.turnsOf = now
    }
    let turn = this.turns.get(room)
    if (!turn) this.turns.set(room, (turn = new RoomTurn()))
    return turn
  }

  toAll(event: ServerEvent): void {
    const line = encodeEvent(event)
    for (const connection of this.connections.keys()) connection.sendLine(line)
  }

  toUser(userId: string, event: ServerEvent): void {
    const line = encodeEvent(event)
    for (const connection of this.byUser.get(userId) ?? []) connection.sendLine(line)
  }

  /** Closes every connection of a user, for example after sign-out. */
  closeUser(userId: string, code: number, reason: string): void {
    for (const connection of [...(this.byUser.get(userId) ?? [])]) connection.close(code, reason)
  }

  /** Closes the connections opened with any of these sessions (signed out, revoked, password changed). */
  closeSessions(sessionIds: readonly string[], code: number, reason: string): void {
    const ids = new Set(sessionIds)
    for (const connection of [...this.connections.keys()]) if (ids.has(connection.sessionId)) connection.close(code, reason)
  }

  /** Gives a user's connections their new names; what they send from now on carries them. */
  updateUser(user: User): void {
    for (const connection of this.byUser.get(user.id) ?? []) connection.user = user
  }

  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections.keys()]) connection.close(code, reason)
  }
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key)
  if (!set) index.set(key, (set = new Set()))
  set.add(value)
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key)
  if (!set) return
  set.delete(value)
  if (set.size === 0) index.delete(key)
}
