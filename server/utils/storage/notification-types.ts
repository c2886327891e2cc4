import type { RoomNotificationChoice } from '#shared/notification-levels'

/** Each user's notification choice per room (level override and mute), as every storage keeps it. */
export interface NotificationStorage {
  /** The user's choice in the room, or null when they follow the defaults there. */
  notificationChoice(userId: string, room: string): Promise<RoomNotificationChoice | null>
  /** The user's choices in every room where they made one, by room name. */
  notificationChoices(userId: string): Promise<Record<string, RoomNotificationChoice>>
  /** Stores the choice; one with neither a level nor a mute is forgotten. Throws `Unknown room: <name>`. */
  setNotificationChoice(userId: string, room: string, choice: RoomNotificationChoice): Promise<void>
}
