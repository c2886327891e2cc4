import type Database from 'better-sqlite3'
import type { NotificationLevel, RoomNotificationChoice } from '#shared/notification-levels'
import type { NotificationStorage } from './notification-types'

interface ChoiceRow {
  room: string
  level: NotificationLevel | null
  muted_until: number | null
}

const toChoice = (row: ChoiceRow): RoomNotificationChoice => ({ level: row.level, mutedUntil: row.muted_until })

/** Notification levels and mutes, in SQLite. */
export function createSqliteNotifications(db: Database.Database): NotificationStorage {
  const statements = {
    one: db.prepare<[string, string], ChoiceRow>('SELECT room, level, muted_until FROM notification_choices WHERE user_id = ? AND room = ?'),
    ofUser: db.prepare<[string], ChoiceRow>('SELECT room, level, muted_until FROM notification_choices WHERE user_id = ?'),
    roomExists: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM rooms WHERE name = ?'),
    upsert: db.prepare(`INSERT INTO notification_choices (user_id, room, level, muted_until) VALUES (?, ?, ?, ?)
      ON CONFLICT (user_id, room) DO UPDATE SET level = excluded.level, muted_until = excluded.muted_until`),
    remove: db.prepare('DELETE FROM notification_choices WHERE user_id = ? AND room = ?'),
  }
  return {
    async notificationChoice(userId, room) {
      const row = statements.one.get(userId, room)
      return row ? toChoice(row) : null
    },
    async notificationChoices(userId) {
      return Object.fromEntries(statements.ofUser.all(userId).map(row => [row.room, toChoice(row)]))
    },
    async setNotificationChoice(userId, room, choice) {
      if (!statements.roomExists.get(room)) throw new Error(`Unknown room: ${room}`)
      if (choice.level === null && choice.mutedUntil === null) statements.remove.run(userId, room)
      else statements.upsert.run(userId, room, choice.level, choice.mutedUntil)
    },
  }
}
