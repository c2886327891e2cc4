import type { ServerEvent } from '#shared/protocol'
import { encodeEvent } from '../socket/connection'
import type { Connection } from '../socket/connection'

/**
 * Who is connected and which rooms they are in, indexed both ways so a broadcast
 * touches only the room's members (crossws 0.3 publish scans every peer).
 */
export class Hub {
  private readonly connections = new Set<Connection>()
  private readonly byRoom = new Map<string, Set<Connection>>()
  private readonly byUser = new Map<string, Set<Connection>>()
  /** Per room, how many connections each user has in it: joins and leaves are announced per user, not per tab. */
  private readonly usersByRoom = new Map<string, Map<string, number>>()
  private emptyWaiters: (() => void)[] = []

  get size(): number {
    return this.connections.size
  }

  add(connection: Connection): void {
    this.connections.add(connection)
    addTo(this.byUser, connection.user.id, connection)
  }

  /** Removes a connection; returns the rooms its user no longer has any connection in. */
  remove(connection: Connection): string[] {
    if (!this.connections.delete(connection)) return []
    removeFrom(this.byUser, connection.user.id, connection)
    const emptied = [...connection.rooms].filter(room => this.leave(connection, room))
    if (this.connections.size === 0) this.emptyWaiters.splice(0).forEach(resolve => resolve())
    return emptied
  }

  /** Adds a connection to a room; true when it is the user's first connection there. */
  join(connection: Connection, room: string): boolean {
    if (!connection.addRoom(room)) return false
    addTo(this.byRoom, room, connection)
    return this.countUser(room, connection.user.id, +1) === 1
  }

  /** Takes a connection out of a room; true when the user has no connection left there. */
  leave(connection: Connection, room: string): boolean {
    if (!connection.removeRoom(room)) return false
    removeFrom(this.byRoom, room, connection)
    return this.countUser(room, connection.user.id, -1) === 0
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

  private countUser(room: string, userId: string, change: number): number {
    let users = this.usersByRoom.get(room)
    if (!users) this.usersByRoom.set(room, (users = new Map()))
    const count = (users.get(userId) ?? 0) + change
    if (count > 0) users.set(userId, count)
    else users.delete(userId)
    if (users.size === 0) this.usersByRoom.delete(room)
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
    return this.connections.values()
  }

  /** Sends an event to a room's members, serialized once for all of them. */
  toRoom(room: string, event: ServerEvent): void {
    const members = this.byRoom.get(room)
    if (!members) return
    const line = encodeEvent(event)
    const seq = event.type === 'chat' ? event.seq : undefined
    for (const member of members) member.sendRoomLine(room, seq, line)
  }

  toAll(event: ServerEvent): void {
    const line = encodeEvent(event)
    for (const connection of this.connections) connection.sendLine(line)
  }

  toUser(userId: string, event: ServerEvent): void {
    const line = encodeEvent(event)
    for (const connection of this.byUser.get(userId) ?? []) connection.sendLine(line)
  }

  /** Closes every connection of a user, for example after sign-out. */
  closeUser(userId: string, code: number, reason: string): void {
    for (const connection of [...(this.byUser.get(userId) ?? [])]) connection.close(code, reason)
  }

  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections]) connection.close(code, reason)
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
