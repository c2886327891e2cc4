import type { ServerEvent, User } from '#shared/protocol'
import type { Hub } from '../chat/hub'
import { PresenceTracker } from '../chat/presence'
import type { ChatStorage } from '../storage/types'
import { RoomSequencer } from './room-sequencer'
import type { FanOut, RoomChange, UserDelivery } from './types'

/**
 * One instance: events go straight to this process's hub. Chat events still pass the room sequencer, since
 * a storage used by concurrent writers (PostgreSQL) may finish two appends of one room out of seq order.
 */
export class LocalFanOut implements FanOut {
  readonly presence: PresenceTracker
  private readonly sequencer: RoomSequencer
  private readonly roomHandlers: ((change: RoomChange) => void)[] = []

  constructor(readonly hub: Hub, storage: Pick<ChatStorage, 'messagesAfter'>) {
    this.sequencer = new RoomSequencer(
      event => hub.toRoom(event.room, event),
      (room, after, limit) => storage.messagesAfter(room, after, limit),
    )
    // No other instance to tell, and nothing of this one's can go stale.
    this.presence = new PresenceTracker(hub, () => {}, Number.POSITIVE_INFINITY)
  }

  toRoom(room: string, event: ServerEvent): void {
    if (event.type === 'chat') this.sequencer.accept(event)
    else this.hub.toRoom(room, event)
  }

  toAll(event: ServerEvent): void {
    this.hub.toAll(event)
  }

  toUser(userId: string, event: ServerEvent): void {
    this.hub.toUser(userId, event)
  }

  toUsers(deliveries: readonly UserDelivery[]): void {
    for (const { userId, event } of deliveries) this.hub.toUser(userId, event)
  }

  closeUser(userId: string, code: number, reason: string): void {
    this.hub.closeUser(userId, code, reason)
  }

  closeSessions(sessionIds: readonly string[], code: number, reason: string): void {
    this.hub.closeSessions(sessionIds, code, reason)
  }

  updateUser(user: User): void {
    this.hub.updateUser(user)
  }

  roomChanged(change: RoomChange): void {
    for (const handler of this.roomHandlers) handler(change)
  }

  onRoomChanged(handler: (change: RoomChange) => void): void {
    this.roomHandlers.push(handler)
  }

  track(room: string, lastSeq: number): void {
    this.sequencer.track(room, lastSeq)
  }

  untrack(room: string): void {
    this.sequencer.untrack(room)
  }

  stop(): void {}
}
