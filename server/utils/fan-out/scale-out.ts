import type { ServerEvent, User } from '#shared/protocol'
import type { BusMessage, ChatBus } from '../bus/types'
import type { Hub } from '../chat/hub'
import type { ChatLimits } from '../chat/limits'
import { PresenceTracker } from '../chat/presence'
import type { ChatStorage } from '../storage/types'
import { RoomSequencer } from './room-sequencer'
import type { FanOut, RoomChange, UserDelivery } from './types'

/**
 * Several instances: every event goes out on the bus and comes back to `deliver` on every instance, this one
 * included, where the room sequencer puts chat events back in seq order. A publish can be lost (an instance
 * dying after its write, a bus outage), so every heartbeat and after the bus reconnects the sequencer reads
 * storage for what it missed; and every heartbeat this instance repeats its presence, which the others
 * forget once it stops.
 */
export class ScaleOutFanOut implements FanOut {
  readonly presence: PresenceTracker
  private readonly sequencer: RoomSequencer
  private readonly timer: ReturnType<typeof setInterval>
  private readonly roomHandlers: ((change: RoomChange) => void)[] = []

  constructor(
    readonly hub: Hub,
    private readonly bus: ChatBus,
    storage: Pick<ChatStorage, 'messagesAfter'>,
    limits: Pick<ChatLimits, 'heartbeatIntervalMs'>,
  ) {
    this.sequencer = new RoomSequencer(
      event => hub.toRoom(event.room, event),
      (room, after, limit) => storage.messagesAfter(room, after, limit),
    )
    this.presence = new PresenceTracker(hub, announcement => bus.publish(announcement), limits.heartbeatIntervalMs * 3)
    bus.onMessage(message => this.deliver(message))
    bus.onReconnect(() => void this.sequencer.resync())
    bus.publish({ kind: 'presence-sync', instance: this.presence.instance })
    this.timer = setInterval(() => {
      void this.sequencer.resync()
      this.presence.refresh()
    }, limits.heartbeatIntervalMs)
    this.timer.unref()
  }

  toRoom(room: string, event: ServerEvent): void {
    this.bus.publish({ kind: 'event', room, event })
  }

  toAll(event: ServerEvent): void {
    this.bus.publish({ kind: 'event', room: null, event })
  }

  toUser(userId: string, event: ServerEvent): void {
    this.bus.publish({ kind: 'user-event', userId, event })
  }

  toUsers(deliveries: readonly UserDelivery[]): void {
    if (deliveries.length > 0) this.bus.publish({ kind: 'user-events', deliveries })
  }

  closeUser(userId: string, code: number, reason: string): void {
    this.bus.publish({ kind: 'close-user', userId, code, reason })
  }

  closeSessions(sessionIds: readonly string[], code: number, reason: string): void {
    if (sessionIds.length > 0) this.bus.publish({ kind: 'close-sessions', sessionIds, code, reason })
  }

  updateUser(user: User): void {
    this.bus.publish({ kind: 'user-updated', user })
  }

  roomChanged(change: RoomChange): void {
    this.bus.publish({ kind: 'room-changed', change })
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

  stop(): void {
    clearInterval(this.timer)
  }

  /** What the bus brings from any instance, this one included, to this instance's connections. */
  private deliver(message: BusMessage): void {
    switch (message.kind) {
      case 'event':
        if (message.event.type === 'chat') return this.sequencer.accept(message.event)
        if (message.room === null) return this.hub.toAll(message.event)
        return this.hub.toRoom(message.room, message.event)
      case 'user-event':
        return this.hub.toUser(message.userId, message.event)
      case 'user-events':
        for (const { userId, event } of message.deliveries) this.hub.toUser(userId, event)
        return
      case 'close-user':
        return this.hub.closeUser(message.userId, message.code, message.reason)
      case 'close-sessions':
        return this.hub.closeSessions(message.sessionIds, message.code, message.reason)
      case 'user-updated':
        return this.hub.updateUser(message.user)
      case 'room-changed':
        for (const handler of this.roomHandlers) handler(message.change)
        return
      case 'presence':
        // This instance applied its own announcements when it made them.
        if (message.instance !== this.presence.instance) this.presence.apply(message)
        return
      case 'presence-sync':
        if (message.instance !== this.presence.instance) this.presence.refresh()
    }
  }
}
