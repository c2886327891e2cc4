import type { ServerEvent, User } from '#shared/protocol'
import type { Hub } from '../chat/hub'
import type { PresenceTracker } from '../chat/presence'

/** An event for one user's connections, wherever they are connected. */
export interface UserDelivery {
  userId: string
  event: ServerEvent
}

/** A room's members or settings changed; with `removedUserId`, that user is no longer in it. */
export interface RoomChange {
  room: string
  removedUserId?: string
}

/**
 * The one way the chat's events reach connections: on this instance only (LocalFanOut), or on every
 * instance through the bus (ScaleOutFanOut). Picked once at boot (boot/backends.ts).
 */
export interface FanOut {
  /** This instance's connections and the rooms they are in. */
  readonly hub: Hub
  /** Who is in each room, on every instance this fan-out reaches. */
  readonly presence: PresenceTracker
  /** A room's event for its members; each gets a room's chat events once and in seq order. */
  toRoom(room: string, event: ServerEvent): void
  /** An event for every connection (a new public room). */
  toAll(event: ServerEvent): void
  toUser(userId: string, event: ServerEvent): void
  /** Several users' events at once (the read markers of one turn). */
  toUsers(deliveries: readonly UserDelivery[]): void
  /** Closes a user's sockets, for example after a ban. */
  closeUser(userId: string, code: number, reason: string): void
  /** Closes the sockets of these sessions (their hashes), on every instance. */
  closeSessions(sessionIds: readonly string[], code: number, reason: string): void
  /** A user's new names, for their connections on every instance. */
  updateUser(user: User): void
  /**
   * Tells every instance, this one included, that a room changed: each runs the `onRoomChanged` handlers
   * (forget what it cached of the room; take a removed member's connections out of it).
   */
  roomChanged(change: RoomChange): void
  /** Adds a handler for `roomChanged`, from any instance. */
  onRoomChanged(handler: (change: RoomChange) => void): void
  /** Orders a room's chat events from `lastSeq` on; called before a local connection enters the room. */
  track(room: string, lastSeq: number): void
  /** Forgets a room no local connection is in any more. */
  untrack(room: string): void
  /** Stops its timers: the server is closing. */
  stop(): void
}
