import type { ConnectionCounter } from '../chat/connection-counter'

/** Why someone would be pushed of a message. */
export type PushKind = 'mention' | 'dm' | 'thread-reply'

/** One candidate push: this user, of this kind of event in this room. */
export interface PushEvent {
  userId: string
  room: string
  kind: PushKind
}

/** What the decision may consult. Per-room notification levels and mute are meant to join here. */
export interface PushContext {
  connections: Pick<ConnectionCounter, 'count'>
}

/**
 * The one decision "push this event to this user?". A user with a tab open on any instance gets the in-app
 * signal instead (the `notification` event, the mention toast), so only a user with no socket anywhere is pushed.
 */
export async function shouldPush(event: PushEvent, context: PushContext): Promise<boolean> {
  return (await context.connections.count(event.userId)) === 0
}
