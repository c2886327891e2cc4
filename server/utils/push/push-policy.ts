import type { AlertKind } from '#shared/notification-levels'
import type { ConnectionCounter } from '../chat/connection-counter'

/** Why someone would be pushed of a message. */
export type PushKind = 'mention' | 'dm' | 'thread-reply'

/** One candidate push: this user, of this kind of event in this room. */
export interface PushEvent {
  userId: string
  room: string
  kind: PushKind
}

/** What the decision consults: the user's sockets on every instance, and their level and mute in the room. */
export interface PushContext {
  connections: Pick<ConnectionCounter, 'count'>
  /** Whether the user's notification level and mute let this kind of event push (shared/notification-levels.ts). */
  levelAllows: (userId: string, room: string, kind: AlertKind) => Promise<boolean>
}

const ALERT_KIND: Record<PushKind, AlertKind> = { 'mention': 'mention', 'dm': 'direct', 'thread-reply': 'thread-reply' }

/**
 * The one decision "push this event to this user?". A user with a tab open on any instance gets the in-app
 * signal instead (the `notification` event, the mention toast), so only a user with no socket anywhere is pushed,
 * and only where their level and mute in the room allow it.
 */
export async function shouldPush(event: PushEvent, context: PushContext): Promise<boolean> {
  if ((await context.connections.count(event.userId)) > 0) return false
  return context.levelAllows(event.userId, event.room, ALERT_KIND[event.kind])
}
