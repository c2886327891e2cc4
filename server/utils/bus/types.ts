import type { ServerEvent, User } from '#shared/protocol'
import type { PresenceAnnouncement } from '../chat/presence'
import type { RoomChange, UserDelivery } from '../fan-out/types'

/** What instances tell each other: an event for one room (or for everyone when `room` is null), or to close a user's sockets. */
export type BusMessage =
  | { kind: 'event', room: string | null, event: ServerEvent }
  | { kind: 'close-user', userId: string, code: number, reason: string }
  /** Close the sockets of these sessions (hashes): signed out, revoked, or ended by a password change. */
  | { kind: 'close-sessions', sessionIds: readonly string[], code: number, reason: string }
  /** A user renamed themselves: their connections carry the new names. */
  | { kind: 'user-updated', user: User }
  /** The workspace settings changed: every instance forgets its cached copy (accounts/workspace-settings.ts). */
  | { kind: 'settings-changed' }
  /** An event for one user's connections only, wherever they are connected. */
  | { kind: 'user-event', userId: string, event: ServerEvent }
  /** Events for several users' connections, sent together (the read markers of one turn). */
  | { kind: 'user-events', deliveries: readonly UserDelivery[] }
  /** A room's members or settings changed: forget what is cached of it, and drop a removed member's connections from it. */
  | { kind: 'room-changed', change: RoomChange }
  | PresenceAnnouncement
  /** A new instance asks the others to repeat their presence announcements. */
  | { kind: 'presence-sync', instance: string }

/**
 * Carries live events between server instances. Every instance publishes what happens on it and
 * delivers what it receives (its own messages included) to its local connections.
 */
export interface ChatBus {
  readonly kind: 'memory' | 'redis'
  /** Settles once this instance receives what is published (its subscription is in place). */
  readonly ready: Promise<void>
  publish(message: BusMessage): void
  /** Adds a handler for every message this instance receives; each registered handler gets each message. */
  onMessage(handler: (message: BusMessage) => void): void
  /** Adds a handler called when the bus is back after an outage, once subscribed again: what it carried meanwhile is lost. */
  onReconnect(handler: () => void): void
  ping(): Promise<boolean>
  close(): Promise<void>
}
