import type Database from 'better-sqlite3'
import type { Room } from '#shared/protocol'
import type { RoomAccess, RoomStorage } from './types'

interface RoomRow {
  name: string
  created_at: number
  created_by: string | null
  kind: RoomAccess['kind'] | null
}

/** A public room gets no `kind` key at all, not `kind: undefined`. */
const toRoom = (row: RoomRow): Room => ({
  name: row.name,
  createdAt: row.created_at,
  createdBy: row.created_by,
  ...(row.kind && { kind: row.kind }),
})

const COLUMNS = 'name, created_at, created_by, kind'
/** "The user (the one parameter) may see this room", as a condition on a row of `rooms`. */
const VISIBLE_TO = '(kind IS NULL OR EXISTS (SELECT 1 FROM room_members WHERE room = rooms.name AND user_id = ?))'

/** Rooms, their kinds and their members, in SQLite. */
export function createSqliteRooms(db: Database.Database): RoomStorage {
  const statements = {
    list: db.prepare<[], RoomRow>(`SELECT ${COLUMNS} FROM rooms ORDER BY name`),
    listFor: db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE ${VISIBLE_TO} ORDER BY name`),
    get: db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE name = ?`),
    insert: db.prepare('INSERT INTO rooms (name, created_at, created_by, kind) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING'),
    addMember: db.prepare('INSERT INTO room_members (room, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    // No row for an unknown room, which the caller reads as false.
    canAccess: db.prepare<[string, string], { ok: number }>(`SELECT ${VISIBLE_TO} AS ok FROM rooms WHERE name = ?`),
    members: db.prepare<[string], { user_id: string }>('SELECT user_id FROM room_members WHERE room = ? ORDER BY user_id'),
  }

  // The room and its members commit together: nobody sees a private room before its members are in it.
  const create = db.transaction((name: string, createdBy: string | null, access?: RoomAccess): Room | null => {
    const row: RoomRow = { name, created_at: Date.now(), created_by: createdBy, kind: access?.kind ?? null }
    if (statements.insert.run(name, row.created_at, createdBy, row.kind).changes === 0) return null
    for (const userId of new Set(access?.memberIds)) statements.addMember.run(name, userId)
    return toRoom(row)
  })

  return {
    async listRooms() {
      return statements.list.all().map(toRoom)
    },
    async getRoom(name) {
      const row = statements.get.get(name)
      return row ? toRoom(row) : null
    },
    async createRoom(name, createdBy, access) {
      return create(name, createdBy, access)
    },
    async listRoomsFor(userId) {
      return statements.listFor.all(userId).map(toRoom)
    },
    async canAccess(room, userId) {
      return statements.canAccess.get(userId, room)?.ok === 1
    },
    async roomMembers(room) {
      return statements.members.all(room).map(row => row.user_id)
    },
  }
}
