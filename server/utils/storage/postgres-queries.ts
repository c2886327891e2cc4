import type { ChatMessage, Reaction } from '#shared/protocol'
import { groupReactions, pinOf, withChanges } from './message-changes'
import { authorOf, MESSAGE_WITH_AUTHOR } from './account-rows'
import type { AuthorColumns } from './account-rows'
import { threadFieldsOf } from './thread-rows'
import type { ThreadColumns } from './thread-rows'
import { attachmentFieldsOf } from './attachment-rows'
import type { AttachmentColumns } from './attachment-rows'

/** A page row: a message with its reactions as [user id, emoji] pairs in the order they were made, or null for none. */
export interface PageRow extends MessageRow {
  reactions: [string, string][] | null
}

/** A page row as the chat sees it. */
export const pageMessage = (row: PageRow): ChatMessage =>
  toMessage(row, row.reactions ? groupReactions(row.reactions.map(([user_id, emoji]) => ({ message_id: row.id, user_id, emoji }))).get(row.id) : undefined)

/** A `messages` row as pg returns it: BIGINT columns arrive as strings. */
export interface MessageRow extends AuthorColumns, ThreadColumns, AttachmentColumns {
  id: string
  room: string
  seq: string
  user_id: string
  user_name: string
  text: string
  ts: string
  client_id: string
  edited_at: string | null
  deleted_at: string | null
  deleted_by: string | null
  pinned_at: string | null
  pinned_by: string | null
}

// Epoch milliseconds and seqs stay far below 2^53, so Number() is exact.
export const toMessage = (row: MessageRow, reactions?: Reaction[]): ChatMessage => withChanges({
  room: row.room,
  id: row.id,
  seq: Number(row.seq),
  user: authorOf(row),
  text: row.text,
  ts: Number(row.ts),
  clientId: row.client_id,
  ...threadFieldsOf(row),
  ...attachmentFieldsOf(row),
}, row.edited_at === null ? null : Number(row.edited_at), row.deleted_at === null ? null : Number(row.deleted_at), reactions, row.deleted_by, pinOf(row))

/** The PostgreSQL storage's statements, except the room ones (`postgres-rooms.ts`), with table names qualified by the (already checked) schema. */
export function postgresStatements(schema: string) {
  const rooms = `${schema}.rooms`
  const messages = `${schema}.messages`
  const withAuthor = `${MESSAGE_WITH_AUTHOR} FROM ${schema}.messages m LEFT JOIN ${schema}.users u ON u.id = m.user_id`
  // A page of history with each message's reactions in one round trip (replays after a reconnect read many pages).
  const pageWithReactions = `${MESSAGE_WITH_AUTHOR}, (SELECT json_agg(json_build_array(r.user_id, r.emoji) ORDER BY r.position)
    FROM ${schema}.reactions r WHERE r.message_id = m.id) AS reactions
    FROM ${schema}.messages m LEFT JOIN ${schema}.users u ON u.id = m.user_id`
  const markers = `${schema}.read_markers`
  const reactions = `${schema}.reactions`
  return {
    findByClientIds: `SELECT ${withAuthor} WHERE (m.user_id, m.client_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    before: `SELECT ${pageWithReactions} WHERE m.room = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3`,
    after: `SELECT ${pageWithReactions} WHERE m.room = $1 AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`,
    lastSeq: `SELECT last_seq FROM ${rooms} WHERE name = $1`,
    // One atomic statement for a whole batch, so instances racing on one marker can only raise it. A marker
    // given twice is merged first (one statement cannot update a row twice); no row back means no such room.
    setReadSeqs: `INSERT INTO ${markers} AS marker (user_id, room, seq)
      SELECT wanted.user_id, r.name, GREATEST(0, LEAST(MAX(wanted.seq), r.last_seq))
      FROM unnest($1::text[], $2::text[], $3::bigint[]) AS wanted (user_id, room, seq)
      JOIN ${rooms} r ON r.name = wanted.room
      GROUP BY wanted.user_id, r.name, r.last_seq
      ON CONFLICT (user_id, room) DO UPDATE SET seq = GREATEST(marker.seq, EXCLUDED.seq)
      RETURNING user_id, room, seq`,
    readSeqs: `SELECT room, seq FROM ${markers} WHERE user_id = $1`,
    roomSeqs: `SELECT name, last_seq FROM ${rooms}`,
    // The row lock makes changes to one message (edits, deletes, toggles, from any instance) take turns.
    lockMessage: `SELECT user_id, deleted_at, pinned_by FROM ${messages} WHERE id = $1 AND room = $2 FOR UPDATE`,
    pin: `UPDATE ${messages} SET pinned_at = $1, pinned_by = $2 WHERE id = $3 AND pinned_at IS NULL`,
    unpin: `UPDATE ${messages} SET pinned_at = NULL, pinned_by = NULL WHERE id = $1`,
    pinnedCount: `SELECT count(*)::int AS count FROM ${messages} WHERE room = $1 AND pinned_at IS NOT NULL`,
    pinned: `SELECT ${withAuthor} WHERE m.room = $1 AND m.pinned_at IS NOT NULL AND m.deleted_at IS NULL ORDER BY m.pinned_at DESC, m.seq DESC`,
    getMessage: `SELECT ${withAuthor} WHERE m.id = $1`,
    edit: `UPDATE ${messages} SET text = $1, edited_at = $2 WHERE id = $3`,
    delete: `UPDATE ${messages} SET text = '', deleted_at = $1, deleted_by = $2, pinned_at = NULL, pinned_by = NULL, attachments = NULL WHERE id = $3`,
    removeReactions: `DELETE FROM ${reactions} WHERE message_id = $1`,
    removeReaction: `DELETE FROM ${reactions} WHERE message_id = $1 AND user_id = $2 AND emoji = $3 RETURNING emoji`,
    addReaction: `INSERT INTO ${reactions} (room, message_id, user_id, emoji, created_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (message_id, user_id, emoji) DO NOTHING`,
    // One query for a whole page; position is the order the reactions were made.
    reactionsOf: `SELECT message_id, user_id, emoji FROM ${reactions} WHERE message_id = ANY($1::text[]) ORDER BY position`,
  }
}
