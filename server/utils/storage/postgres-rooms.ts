import type { Pool } from 'pg'
import type { Room } from '#shared/protocol'
import { inTransaction } from './postgres-pool'
import type { RoomAccess, RoomStorage } from './types'

/** A `rooms` row as pg returns it: BIGINT arrives as a string. */
interface RoomRow {
  name: string
  created_at: string
  created_by: string | null
  kind: RoomAccess['kind'] | null
}

/** A public room gets no `kind` key at all, not `kind: undefined`. */
const toRoom = (row: RoomRow): Room => ({
  name: row.name,
  createdAt: Number(row.created_at),
  createdBy: row.created_by,
  ...(row.kind && { kind: row.kind }),
})

/** The room statements, with table names qualified by the (already checked and quoted) schema. */
function roomStatements(schema: string) {
  const rooms = `${schema}.rooms`
  const members = `${schema}.room_members`
  const columns = 'name, created_at, created_by, kind'
  /** "User $1 may see this room", as a condition on a row of `rooms`. */
  const visibleTo = `(kind IS NULL OR EXISTS (SELECT 1 FROM ${members} WHERE room = ${rooms}.name AND user_id = $1))`
  return {
    list: `SELECT ${columns} FROM ${rooms} ORDER BY name`,
    listFor: `SELECT ${columns} FROM ${rooms} WHERE ${visibleTo} ORDER BY name`,
    get: `SELECT ${columns} FROM ${rooms} WHERE name = $1`,
    insert: `INSERT INTO ${rooms} (name, created_at, created_by, kind) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
    // unnest takes the whole list in one statement; ON CONFLICT drops repeats.
    addMembers: `INSERT INTO ${members} (room, user_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    // No row for an unknown room, which the caller reads as false.
    canAccess: `SELECT ${visibleTo} AS ok FROM ${rooms} WHERE name = $2`,
    // COLLATE "C" sorts by code point, as SQLite does, whatever the database's locale.
    members: `SELECT user_id FROM ${members} WHERE room = $1 ORDER BY user_id COLLATE "C"`,
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
        const row: RoomRow = { name, created_at: String(Date.now()), created_by: createdBy, kind: access?.kind ?? null }
        const { rowCount } = await client.query(sql.insert, [name, row.created_at, createdBy, row.kind])
        if (rowCount === 0) return null
        if (access) await client.query(sql.addMembers, [name, access.memberIds])
        return toRoom(row)
      })
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
  }
}
