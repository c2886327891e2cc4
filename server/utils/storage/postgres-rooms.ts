import type { Pool } from 'pg'
import type { Room } from '#shared/protocol'
import { roomNameKey, storedRoomNameKey } from '../chat/room-names'
import { inTransaction } from './postgres-pool'
import type { RoomAccess, RoomRole, RoomStorage } from './types'

/** A `rooms` row as pg returns it: BIGINT arrives as a string. */
interface RoomRow {
  name: string
  created_at: string
  created_by: string | null
  kind: RoomAccess['kind'] | null
  topic: string | null
  slow_mode_seconds: number
}

/** A public room gets no `kind` key at all, not `kind: undefined`; no topic and slow mode off leave theirs out too. */
const toRoom = (row: RoomRow): Room => ({
  name: row.name,
  createdAt: Number(row.created_at),
  createdBy: row.created_by,
  ...(row.kind && { kind: row.kind }),
  ...(row.topic && { topic: row.topic }),
  ...(row.slow_mode_seconds > 0 && { slowModeSeconds: row.slow_mode_seconds }),
})

/** The room statements, with table names qualified by the (already checked and quoted) schema. */
function roomStatements(schema: string) {
  const rooms = `${schema}.rooms`
  const members = `${schema}.room_members`
  const columns = 'name, created_at, created_by, kind, topic, slow_mode_seconds'
  /** "User $1 may see this room", as a condition on a row of `rooms`. */
  const visibleTo = `(kind IS NULL OR EXISTS (SELECT 1 FROM ${members} WHERE room = ${rooms}.name AND user_id = $1))`
  return {
    list: `SELECT ${columns} FROM ${rooms} ORDER BY name`,
    listFor: `SELECT ${columns} FROM ${rooms} WHERE ${visibleTo} ORDER BY name`,
    get: `SELECT ${columns} FROM ${rooms} WHERE name = $1`,
    createdBy: `SELECT count(*)::int AS count FROM ${rooms} WHERE created_by = $1 AND (kind IS NULL OR kind = 'private')`,
    // No target: a taken name and a taken look-alike key (rooms_name_key) both leave the room uncreated.
    insert: `INSERT INTO ${rooms} (name, created_at, created_by, kind, name_key) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    // unnest takes the whole list in one statement; ON CONFLICT drops repeats. The creator owns a private room.
    addMembers: `INSERT INTO ${members} (room, user_id, role)
      SELECT $1, id, CASE WHEN $3 = 'private' AND id = $4 THEN 'owner' ELSE 'member' END FROM unnest($2::text[]) AS id
      ON CONFLICT DO NOTHING`,
    // Only a non-public room has members.
    addMember: `INSERT INTO ${members} (room, user_id, role) SELECT name, $2, $3 FROM ${rooms} WHERE name = $1 AND kind IS NOT NULL
      ON CONFLICT DO NOTHING`,
    // A newcomer's unread starts at the room's newest seq (a first sight, unread-start-types.ts), even if they
    // read in it before they were taken out: what came meanwhile is history, not unread.
    startUnread: `INSERT INTO ${schema}.unread_starts AS start (user_id, room, seq) SELECT $2, name, last_seq FROM ${rooms} WHERE name = $1
      ON CONFLICT (user_id, room) DO UPDATE SET seq = GREATEST(start.seq, EXCLUDED.seq)`,
    setRole: `UPDATE ${members} SET role = $3 WHERE room = $1 AND user_id = $2 AND role <> $3`,
    removeMember: `DELETE FROM ${members} WHERE room = $1 AND user_id = $2`,
    // COALESCE keeps what the change leaves out; NULLIF turns '' into no topic.
    update: `UPDATE ${rooms} SET
        topic = CASE WHEN $2 THEN NULLIF($3, '') ELSE topic END,
        slow_mode_seconds = COALESCE($4, slow_mode_seconds)
      WHERE name = $1 RETURNING ${columns}`,
    // No row for an unknown room, which the caller reads as false.
    canAccess: `SELECT ${visibleTo} AS ok FROM ${rooms} WHERE name = $2`,
    // COLLATE "C" sorts by code point, as SQLite does, whatever the database's locale.
    members: `SELECT user_id, role FROM ${members} WHERE room = $1 ORDER BY user_id COLLATE "C"`,
    standing: `SELECT CASE WHEN kind IS NULL THEN (CASE WHEN created_by = $2 THEN 'owner' END)
        ELSE (SELECT role FROM ${members} WHERE room = ${rooms}.name AND user_id = $2) END AS role
      FROM ${rooms} WHERE name = $1`,
    // The (room, seq) index read backwards, never more than `lookBack` rows.
    latestBy: `SELECT ts, client_id FROM (SELECT ts, client_id, user_id, seq FROM ${schema}.messages WHERE room = $1 ORDER BY seq DESC LIMIT $2) AS recent
      WHERE user_id = $3 ORDER BY seq DESC LIMIT 1`,
  }
}

/**
 * Gives the rooms made before look-alike keys (or by an older instance) theirs, oldest first; a room whose key an
 * older one holds keeps none, so look-alikes that already exist go on working. Direct messages get none. Each
 * update stands alone, so instances starting together, or a room created meanwhile, only make one of them a no-op.
 */
export async function keyPostgresRooms(pool: Pool, schema: string): Promise<void> {
  const rooms = `${schema}.rooms`
  const { rows } = await pool.query<{ name: string }>(`SELECT name FROM ${rooms}
    WHERE name_key IS NULL AND kind IS DISTINCT FROM 'dm' ORDER BY created_at, name`)
  for (const { name } of rows) {
    const key = roomNameKey(name)
    await pool.query(`UPDATE ${rooms} SET name_key = $1 WHERE name = $2 AND NOT EXISTS (SELECT 1 FROM ${rooms} WHERE name_key = $1)`, [key, name])
      .catch((error: { code?: string }) => {
        // 23505: another instance gave the key to a look-alike between the check and the update.
        if (error.code !== '23505') throw error
      })
  }
}

/** Rooms, their kinds and their members, in PostgreSQL. */
export function createPostgresRooms(pool: Pool, schema: string): RoomStorage {
  const sql = roomStatements(schema)
  return {
    async listRooms() {
      return (await pool.query<RoomRow>(sql.list)).rows.map(toRoom)
    },
    async getRoom(name) {
      const { rows } = await pool.query<RoomRow>(sql.get, [name])
      return rows[0] ? toRoom(rows[0]) : null
    },
    // The room and its members commit together: nobody sees a private room before its members are in it.
    createRoom(name, createdBy, access) {
      return inTransaction(pool, async (client) => {
        const row: RoomRow = { name, created_at: String(Date.now()), created_by: createdBy, kind: access?.kind ?? null, topic: null, slow_mode_seconds: 0 }
        const { rowCount } = await client.query(sql.insert, [name, row.created_at, createdBy, row.kind, storedRoomNameKey(name, access?.kind)])
        if (rowCount === 0) return null
        if (access) await client.query(sql.addMembers, [name, access.memberIds, access.kind, createdBy])
        return toRoom(row)
      })
    },
    async roomsCreatedBy(userId) {
      return (await pool.query<{ count: number }>(sql.createdBy, [userId])).rows[0]!.count
    },
    async listRoomsFor(userId) {
      return (await pool.query<RoomRow>(sql.listFor, [userId])).rows.map(toRoom)
    },
    async canAccess(room, userId) {
      const { rows } = await pool.query<{ ok: boolean }>(sql.canAccess, [userId, room])
      return rows[0]?.ok === true
    },
    async roomMembers(room) {
      return (await pool.query<{ user_id: string }>(sql.members, [room])).rows.map(row => row.user_id)
    },
    async roomMemberships(room) {
      const { rows } = await pool.query<{ user_id: string, role: RoomRole }>(sql.members, [room])
      return rows.map(row => ({ userId: row.user_id, role: row.role }))
    },
    async roomStanding(room, userId) {
      const { rows } = await pool.query<{ role: RoomRole | null }>(sql.standing, [room, userId])
      return rows[0]?.role ?? null
    },
    async updateRoom(name, changes) {
      const { rows } = await pool.query<RoomRow>(sql.update, [name, changes.topic !== undefined, changes.topic ?? null, changes.slowModeSeconds ?? null])
      return rows[0] ? toRoom(rows[0]) : null
    },
    addMember(room, userId, role) {
      return inTransaction(pool, async (client) => {
        if (((await client.query(sql.addMember, [room, userId, role ?? 'member'])).rowCount ?? 0) > 0) {
          await client.query(sql.startUnread, [room, userId])
          return true
        }
        return role !== undefined && ((await client.query(sql.setRole, [room, userId, role])).rowCount ?? 0) > 0
      })
    },
    async removeMember(room, userId) {
      return ((await pool.query(sql.removeMember, [room, userId])).rowCount ?? 0) > 0
    },
    async latestMessageBy(room, userId, lookBack) {
      const { rows } = await pool.query<{ ts: string, client_id: string }>(sql.latestBy, [room, lookBack, userId])
      return rows[0] ? { ts: Number(rows[0].ts), clientId: rows[0].client_id } : null
    },
  }
}
