import { isDirectRoom } from '#shared/protocol'
import { alertsFor, preferenceFor } from '#shared/notification-levels'
import type { AlertKind, Alerts, NotificationChoicesAnswer, NotificationLevel, NotificationPreference, RoomNotificationChoice } from '#shared/notification-levels'
import type { NotificationStorage } from '../storage/notification-types'
import type { FanOut } from '../fan-out/types'
import type { RoomPolicy } from '../chat/room-policy'

/** GET /api/rooms/:room/notifications: the user's own choice and what is in force. */
export interface RoomNotificationState extends RoomNotificationChoice {
  room: string
  /** The level in force: the user's own, else the default below. */
  effectiveLevel: NotificationLevel
  /** What the room follows without a choice of the user's: the workspace default, or all in a direct message. */
  defaultLevel: NotificationLevel
}

/**
 * Each user's notification level and mute per room: read and set by members only, and every change reaches all
 * of the user's tabs. `workspaceDefault` reads the admins' default (cached for a second by workspace-settings.ts).
 */
export class NotificationChoices {
  constructor(
    private readonly storage: NotificationStorage,
    private readonly access: Pick<RoomPolicy, 'require'>,
    private readonly fanOut: Pick<FanOut, 'toUser'>,
    private readonly workspaceDefault: () => Promise<NotificationLevel>,
  ) {}

  /** The user's choice in a room they may read (unknown_room, forbidden otherwise). */
  async stateFor(userId: string, room: string): Promise<RoomNotificationState> {
    await this.access.require(room, userId)
    return this.describe(room, await this.storage.notificationChoice(userId, room))
  }

  /** Stores the user's choice in a room they may read and tells all their tabs. */
  async choose(userId: string, room: string, choice: RoomNotificationChoice): Promise<RoomNotificationState> {
    await this.access.require(room, userId)
    await this.storage.setNotificationChoice(userId, room, choice)
    this.fanOut.toUser(userId, { type: 'notification-choice', room, level: choice.level, mutedUntil: choice.mutedUntil })
    return this.describe(room, choice)
  }

  /** Every choice of the user's, and the workspace default, for the client's badges. */
  async allOf(userId: string): Promise<NotificationChoicesAnswer> {
    const [workspaceDefault, choices] = await Promise.all([this.workspaceDefault(), this.storage.notificationChoices(userId)])
    return { workspaceDefault, choices }
  }

  /** The preference in force for the user in the room: no access check, callers decide who hears. */
  async preferenceOf(userId: string, room: string): Promise<NotificationPreference> {
    const [choice, workspaceDefault] = await Promise.all([this.storage.notificationChoice(userId, room), this.workspaceDefault()])
    return preferenceFor(choice, { workspaceDefault, direct: isDirectRoom(room) })
  }

  /** What an event in the room raises for the user, now. */
  async alertsOf(userId: string, room: string, kind: AlertKind, now = Date.now()): Promise<Alerts> {
    return alertsFor(await this.preferenceOf(userId, room), { kind }, now)
  }

  private async describe(room: string, choice: RoomNotificationChoice | null): Promise<RoomNotificationState> {
    const workspaceDefault = await this.workspaceDefault()
    const direct = isDirectRoom(room)
    const defaultLevel = preferenceFor(null, { workspaceDefault, direct }).level
    const { level, mutedUntil } = choice ?? { level: null, mutedUntil: null }
    return { room, level, mutedUntil, defaultLevel, effectiveLevel: level ?? defaultLevel }
  }
}
