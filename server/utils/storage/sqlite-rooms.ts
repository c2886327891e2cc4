import type Database from 'better-sqlite3'
import type { Room } from '#shared/protocol'
import { roomNameKey, storedRoomNameKey } from '../chat/room-names'
import type { RoomAccess, RoomChanges, RoomMembership, RoomRole, RoomStorage } from './types'

interface RoomRow {
  name: string
  created_at: number
  created_by: string | null
  kind: RoomAccess['kind'] | null
  topic: string | null
  slow_mode_seconds: number
}

/** A public room gets no `kind` key at all, not `kind: undefined`; no topic and slow mode off leave theirs out too. */
const toRoom = (row: RoomRow): Room => ({
  name: row.name,
  createdAt: row.created_at,
  createdBy: row.created_by,
  ...(row.kind && { kind: row.kind }),
  ...(row.topic && { topic: row.topic }),
  ...(row.slow_mode_seconds > 0 && { slowModeSeconds: row.slow_mode_seconds }),
})

const COLUMNS = 'name, created_at, created_by, kind, topic, slow_mode_seconds'
/** "The user (the one parameter) may see this room", as a condition on a row of `rooms`. */
const VISIBLE_TO = '(kind IS NULL OR EXISTS (SELECT 1 FROM room_members WHERE room = rooms.name AND user_id = ?))'

/** The creator owns a private room; a direct message has no owner (its two people are equals). */
const creatorRole = (userId: string, createdBy: string | null, kind: RoomAccess['kind']): RoomRole =>
  kind === 'private' && userId === createdBy ? 'owner' : 'member'

/**
 * Gives the rooms made before look-alike keys (or by an older version) theirs, oldest first; a room whose key an
 * older one holds keeps none, so look-alikes that already exist go on working. Direct messages get none.
 */
export function keySqliteRooms(db: Database.Database): void {
  const unkeyed = db.prepare<[], { name: string }>(`SELECT name FROM rooms WHERE name_key IS NULL AND kind IS NOT 'dm'
    ORDER BY created_at, name`)
  const setKey = db.prepare('UPDATE OR IGNORE rooms SET name_key = ? WHERE name = ?')
  db.transaction(() => {
    for (const { name } of unkeyed.all()) setKey.run(roomNameKey(name), name)
  }).immediate()
}

/** Rooms, their kinds and their members, in SQLite. */
export function createSqliteRooms(db: Database.Database): RoomStorage {
  const statements = {
    list: db.prepare<[], RoomRow>(`SELECT ${COLUMNS} FROM rooms ORDER BY name`),
    listFor: db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE ${VISIBLE_TO} ORDER BY name`),
    get: db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE name = ?`),
    createdBy: db.prepare<[string], { count: number }>(`SELECT count(*) AS count FROM rooms WHERE created_by = ? AND (kind IS NULL OR kind = 'private')`),
    // No target: a taken name and a taken look-alike key (rooms_name_key) both leave the room uncreated.
    insert: db.prepare('INSERT INTO rooms (name, created_at, created_by, kind, name_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    insertMember: db.prepare('INSERT INTO room_members (room, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    // Only a non-public room has members.
    addMember: db.prepare(`INSERT INTO room_members (room, user_id, role) SELECT name, ?, ? FROM rooms WHERE name = ? AND kind IS NOT NULL
      ON CONFLICT DO NOTHING`),
    // A newcomer's unread starts at the room's newest seq (a first sight, unread-start-types.ts), even if they
    // read in it before they were taken out: what came meanwhile is history, not unread.
    startUnread: db.prepare(`INSERT INTO unread_starts (user_id, room, seq) SELECT ?, name, last_seq FROM rooms WHERE name = ?
      ON CONFLICT (user_id, room) DO UPDATE SET seq = MAX(unread_starts.seq, excluded.seq)`),
    setRole: db.prepare('UPDATE room_members SET role = ? WHERE room = ? AND user_id = ? AND role <> ?'),
    removeMember: db.prepare('DELETE FROM room_members WHERE room = ? AND user_id = ?'),
    update: db.prepare('UPDATE rooms SET topic = ?, slow_mode_seconds = ? WHERE name = ?'),
    // No row for an unknown room, which the caller reads as false.
    canAccess: db.prepare<[string, string], { ok: number }>(`SELECT ${VISIBLE_TO} AS ok FROM rooms WHERE name = ?`),
    members: db.prepare<[string], { user_id: string, role: RoomRole }>('SELECT user_id, role FROM room_members WHERE room = ? ORDER BY user_id'),
    standing: db.prepare<[string, string, string], { role: RoomRole | null }>(`SELECT CASE WHEN kind IS NULL
        THEN (CASE WHEN created_by = ? THEN 'owner' END)
        ELSE (SELECT role FROM room_members WHERE room = rooms.name AND user_id = ?) END AS role
      FROM rooms WHERE name = ?`),
    // The (room, seq) index read backwards, never more than `lookBack` rows.
    latestBy: db.prepare<[string, number, string], { ts: number, client_id: string }>(`SELECT ts, client_id FROM
      (SELECT ts, client_id, user_id, seq FROM messages WHERE room = ? ORDER BY seq DESC LIMIT ?) WHERE user_id = ? ORDER BY seq DESC LIMIT 1`),
  }

  // The room and its members commit together: nobody sees a private room before its members are in it.
  const create = db.transaction((name: string, createdBy: string | null, access?: RoomAccess): Room | null => {
    const row: RoomRow = { name, created_at: Date.now(), created_by: createdBy, kind: access?.kind ?? null, topic: null, slow_mode_seconds: 0 }
    if (statements.insert.run(name, row.created_at, createdBy, row.kind, storedRoomNameKey(name, access?.kind)).changes === 0) return null
    for (const userId of new Set(access?.memberIds)) statements.insertMember.run(name, userId, creatorRole(userId, createdBy, access!.kind))
    return toRoom(row)
  })

  const update = db.transaction((name: string, changes: RoomChanges): Room | null => {
    const row = statements.get.get(name)
    if (!row) return null
    const next: RoomRow = {
      ...row,
      ...(changes.topic !== undefined && { topic: changes.topic || null }),
      ...(changes.slowModeSeconds !== undefined && { slow_mode_seconds: changes.slowModeSeconds }),
    }
    statements.update.run(next.topic, next.slow_mode_seconds, name)
    return toRoom(next)
  })

  const addMember = db.transaction((room: string, userId: string, role?: RoomRole): boolean => {
    if (statements.addMember.run(userId, role ?? 'member', room).changes > 0) {
      statements.startUnread.run(userId, room)
      return true
    }
    return role !== undefined && statements.setRole.run(role, room, userId, role).changes > 0
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
    async roomsCreatedBy(userId) {
      return statements.createdBy.get(userId)!.count
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
    async roomMemberships(room) {
      return statements.members.all(room).map((row): RoomMembership => ({ userId: row.user_id, role: row.role }))
    },
    async roomStanding(room, userId) {
      return statements.standing.get(userId, userId, room)?.role ?? null
    },
    async updateRoom(name, changes) {
      return update.immediate(name, changes)
    },
    async addMember(room, userId, role) {
      return addMember.immediate(room, userId, role)
    },
    async removeMember(room, userId) {
      return statements.removeMember.run(room, userId).changes > 0
    },
    async latestMessageBy(room, userId, lookBack) {
      const row = statements.latestBy.get(room, lookBack, userId)
      return row ? { ts: row.ts, clientId: row.client_id } : null
    },
  }
}
