import type { Pool } from 'pg'
import type { NotificationLevel, RoomNotificationChoice } from '#shared/notification-levels'
import type { NotificationStorage } from './notification-types'

/** A `notification_choices` row as pg returns it: BIGINT arrives as a string. */
interface ChoiceRow {
  room: string
  level: NotificationLevel | null
  muted_until: string | null
}

const toChoice = (row: ChoiceRow): RoomNotificationChoice => ({
  level: row.level,
  mutedUntil: row.muted_until === null ? null : Number(row.muted_until),
})

/** Notification levels and mutes, in PostgreSQL; `schema` is already checked and quoted. */
export function createPostgresNotifications(pool: Pool, schema: string): NotificationStorage {
  const choices = `${schema}.notification_choices`
  const sql = {
    one: `SELECT room, level, muted_until FROM ${choices} WHERE user_id = $1 AND room = $2`,
    ofUser: `SELECT room, level, muted_until FROM ${choices} WHERE user_id = $1`,
    roomExists: `SELECT 1 FROM ${schema}.rooms WHERE name = $1`,
    upsert: `INSERT INTO ${choices} (user_id, room, level, muted_until) VALUES ($1, $2, $3, $4)
      ON CONFLICT (user_id, room) DO UPDATE SET level = excluded.level, muted_until = excluded.muted_until`,
    remove: `DELETE FROM ${choices} WHERE user_id = $1 AND room = $2`,
  }
  return {
    async notificationChoice(userId, room) {
      const { rows } = await pool.query<ChoiceRow>(sql.one, [userId, room])
      return rows[0] ? toChoice(rows[0]) : null
    },
    async notificationChoices(userId) {
      const { rows } = await pool.query<ChoiceRow>(sql.ofUser, [userId])
      return Object.fromEntries(rows.map(row => [row.room, toChoice(row)]))
    },
    async setNotificationChoice(userId, room, choice) {
      if ((await pool.query(sql.roomExists, [room])).rowCount === 0) throw new Error(`Unknown room: ${room}`)
      if (choice.level === null && choice.mutedUntil === null) await pool.query(sql.remove, [userId, room])
      else await pool.query(sql.upsert, [userId, room, choice.level, choice.mutedUntil])
    },
  }
}
