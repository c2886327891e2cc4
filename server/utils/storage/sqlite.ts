import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { ChatMessage, Reaction } from '#shared/protocol'
import type { AppendResult, ChatStorage, MessageChange, NewMessage, PinChange, ReactionCaps, ReadMarker } from './types'
import { exceedsReactionCaps, groupReactions, pinOf, pinRefusal, refusal, withChanges } from './message-changes'
import type { MessageState, ReactionRow } from './message-changes'
import { createSqliteRooms, keySqliteRooms } from './sqlite-rooms'
import { convertSqliteLegacyGuests, migrateSqlite } from './sqlite-schema-setup'
import { createSqliteAccounts } from './sqlite-accounts'
import { createSqlitePasskeys } from './sqlite-passkeys'
import { createSqliteNotifications } from './sqlite-notifications'
import { createSqliteReceipts } from './sqlite-receipts'
import { createSqlitePushSubscriptions } from './sqlite-push-subscriptions'
import { createSqliteInvites } from './sqlite-invites'
import { authorOf, MESSAGE_WITH_AUTHOR } from './account-rows'
import type { AuthorColumns } from './account-rows'
import { timeOrderedId } from '#shared/time-ordered-id'
import { startCheckpointer } from './sqlite-checkpointer'
import { createSqliteRetention } from './sqlite-retention'
import { createSqliteSearch } from './sqlite-search'
import { createSqliteSearchIndex } from './sqlite-search-index'
import { createSqliteThreads } from './sqlite-threads'
import { createSqliteThreadFollows } from './sqlite-thread-follows'
import { createSqliteMentions } from './sqlite-mentions'
import { createSqliteUnreadStarts } from './sqlite-unread-starts'
import { newReplyFields, threadFieldsOf, type ThreadColumns } from './thread-rows'
import { attachmentFieldsOf, attachmentsColumn, newAttachmentFields, type AttachmentColumns } from './attachment-rows'

interface MessageRow extends AuthorColumns, ThreadColumns, AttachmentColumns {
  id: string
  room: string
  seq: number
  user_id: string
  user_name: string
  text: string
  ts: number
  client_id: string
  edited_at: number | null
  deleted_at: number | null
  deleted_by: string | null
  pinned_at: number | null
  pinned_by: string | null
}

const toMessage = (row: MessageRow, reactions?: Reaction[]): ChatMessage => withChanges({
  room: row.room,
  id: row.id,
  seq: row.seq,
  user: authorOf(row),
  text: row.text,
  ts: row.ts,
  clientId: row.client_id,
  ...threadFieldsOf(row),
  ...attachmentFieldsOf(row),
}, row.edited_at, row.deleted_at, reactions, row.deleted_by, pinOf(row))

/** What the server's wiring lets the SQLite storage tell it. */
export interface SqliteStorageOptions {
  /**
   * Called as a batch of appends is written, before its callers' continuations run (the socket layer's
   * flushAfterThisTask: what they queue goes out in this loop iteration, not the next).
   */
  onBatchWritten?: () => void
}

/**
 * SQLite storage, the default. better-sqlite3 is synchronous: the appends of one event-loop turn are written
 * together in one transaction on the next turn (each room's seqs are taken inside it); the other methods
 * run before their promise is returned.
 */
export function createSqliteStorage(path: string, options: SqliteStorageOptions = {}): ChatStorage {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  migrateSqlite(db)
  convertSqliteLegacyGuests(db)
  keySqliteRooms(db)
  // Checkpoints (copying the WAL back into the file, with an fsync) would stall whichever commit crosses
  // the threshold; a worker thread runs them instead.
  const checkpointer = path === ':memory:' ? null : startCheckpointer(db, path)
  const searchIndex = createSqliteSearchIndex(db)

  const WITH_AUTHOR = `${MESSAGE_WITH_AUTHOR} FROM messages m LEFT JOIN users u ON u.id = m.user_id`
  const statements = {
    findByClientId: db.prepare<[string, string], MessageRow>(`SELECT ${WITH_AUTHOR} WHERE m.user_id = ? AND m.client_id = ?`),
    takeSeqs: db.prepare<[number, string], { last_seq: number }>('UPDATE rooms SET last_seq = last_seq + ? WHERE name = ? RETURNING last_seq'),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, room, seq, user_id, user_name, text, ts, client_id, reply_to, thread_id, also_to_room, attachments)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    before: db.prepare<[string, number, number], MessageRow>(`SELECT ${WITH_AUTHOR} WHERE m.room = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`),
    after: db.prepare<[string, number, number], MessageRow>(`SELECT ${WITH_AUTHOR} WHERE m.room = ? AND m.seq > ? ORDER BY m.seq ASC LIMIT ?`),
    lastSeq: db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM rooms WHERE name = ?'),
    // One statement: no row comes back when the room does not exist. The WHERE before ON CONFLICT is required by SQLite's parser.
    setReadSeq: db.prepare<[string, number, string], { seq: number }>(
      `INSERT INTO read_markers (user_id, room, seq) SELECT ?, name, MAX(0, MIN(?, last_seq)) FROM rooms WHERE name = ?
      ON CONFLICT(user_id, room) DO UPDATE SET seq = MAX(read_markers.seq, excluded.seq) RETURNING seq`,
    ),
    readSeqs: db.prepare<[string], { room: string, seq: number }>('SELECT room, seq FROM read_markers WHERE user_id = ?'),
    roomSeqs: db.prepare<[], { name: string, last_seq: number }>('SELECT name, last_seq FROM rooms'),
    messageState: db.prepare<[string, string], MessageState>('SELECT user_id, deleted_at, pinned_by FROM messages WHERE id = ? AND room = ?'),
    pin: db.prepare('UPDATE messages SET pinned_at = ?, pinned_by = ? WHERE id = ? AND pinned_at IS NULL'),
    unpin: db.prepare('UPDATE messages SET pinned_at = NULL, pinned_by = NULL WHERE id = ?'),
    pinnedCount: db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM messages WHERE room = ? AND pinned_at IS NOT NULL'),
    edit: db.prepare('UPDATE messages SET text = ?, edited_at = ? WHERE id = ?'),
    delete: db.prepare(`UPDATE messages SET text = '', deleted_at = ?, deleted_by = ?, pinned_at = NULL, pinned_by = NULL, attachments = NULL WHERE id = ?`),
    getMessage: db.prepare<[string], MessageRow>(`SELECT ${WITH_AUTHOR} WHERE m.id = ?`),
    pinned: db.prepare<[string], MessageRow>(`SELECT ${WITH_AUTHOR} WHERE m.room = ? AND m.pinned_at IS NOT NULL AND m.deleted_at IS NULL ORDER BY m.pinned_at DESC, m.seq DESC`),
    removeReactions: db.prepare('DELETE FROM reactions WHERE message_id = ?'),
    removeReaction: db.prepare('DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?'),
    addReaction: db.prepare('INSERT INTO reactions (room, message_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?, ?)'),
    // A JSON array of ids keeps one prepared statement for a page of any size; rowid order is reaction order.
    reactionsOf: db.prepare<[string], ReactionRow>(
      'SELECT message_id, user_id, emoji FROM reactions WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY rowid',
    ),
  }

  const threads = createSqliteThreads<MessageRow>(db, rows => rows.map(row => toMessage(row)))
  /** Messages with their reactions, quotes and thread summaries, each read in one query for the whole page. */
  const withReactions = (rows: MessageRow[]): ChatMessage[] => {
    if (rows.length === 0) return []
    const reactions = groupReactions(statements.reactionsOf.all(JSON.stringify(rows.map(row => row.id))))
    return threads.decorate(rows, rows.map(row => toMessage(row, reactions.get(row.id))))
  }

  // Each change checks, then writes, in one transaction; run with `.immediate`, it takes the write lock before the
  // check, so another instance on the same file cannot change the message in between.
  const editMessage = db.transaction((room: string, id: string, userId: string, text: string, now: number): MessageChange => {
    const refused = refusal(statements.messageState.get(id, room), userId, true)
    if (refused) return refused
    statements.edit.run(text, now, id)
    return { ok: true, message: withReactions([statements.getMessage.get(id)!])[0]! }
  })
  const deleteMessage = db.transaction((room: string, id: string, userId: string, now: number, asModerator: boolean): MessageChange => {
    const state = statements.messageState.get(id, room)
    const refused = refusal(state, userId, !asModerator)
    if (refused) return refused
    statements.removeReactions.run(id)
    statements.delete.run(now, state!.user_id === userId ? null : userId, id)
    return { ok: true, message: withReactions([statements.getMessage.get(id)!])[0]! }
  })
  const setPinned = db.transaction((room: string, id: string, userId: string, pin: boolean, now: number, change: PinChange): MessageChange => {
    const state = statements.messageState.get(id, room)
    const refused = refusal(state, userId, false) ?? pinRefusal(state!, pin, statements.pinnedCount.get(room)!.count, change)
    if (refused) return refused
    if (pin) statements.pin.run(now, userId, id)
    else statements.unpin.run(id)
    return { ok: true, message: withReactions([statements.getMessage.get(id)!])[0]! }
  })
  const toggleReaction = db.transaction((room: string, id: string, userId: string, emoji: string, caps: ReactionCaps): MessageChange => {
    const refused = refusal(statements.messageState.get(id, room), userId, false)
    if (refused) return refused
    if (statements.removeReaction.run(id, userId, emoji).changes === 0) {
      if (exceedsReactionCaps(statements.reactionsOf.all(JSON.stringify([id])), userId, emoji, caps)) return { ok: false, reason: 'reaction_limit' }
      statements.addReaction.run(room, id, userId, emoji, Date.now())
    }
    return { ok: true, message: withReactions([statements.getMessage.get(id)!])[0]! }
  })

  /** Writes a new message and returns it as the chat sees it (positional parameters: cheaper to bind than named). */
  const insert = (message: NewMessage, seq: number, ts: number): AppendResult => {
    const { room, user, text, clientId } = message, id = timeOrderedId(ts)
    statements.insertMessage.run(id, room, seq, user.id, user.name, text, ts, clientId, message.replyTo?.id ?? null, message.threadId ?? null, message.alsoToRoom ? 1 : 0, attachmentsColumn(message))
    return { message: { room, id, seq, user, text, ts, clientId, ...newReplyFields(message), ...newAttachmentFields(message) }, duplicate: false }
  }

  /**
   * Stores a batch in one transaction: each room's seq is taken once for all its new messages, and a
   * (user, clientId) already stored, or sent twice in the batch, is answered with the earlier message.
   */
  const appendAll = db.transaction((messages: NewMessage[]): AppendResult[] => {
    const results: (AppendResult | undefined)[] = Array.from({ length: messages.length })
    /** Per message, the index of the batch's first message with the same (user, clientId). */
    const firstIndex: number[] = []
    const firstByKey = new Map<string, number>()
    const newPerRoom = new Map<string, number[]>()
    messages.forEach((message, index) => {
      const key = `${message.user.id}\n${message.clientId}`
      const first = firstByKey.get(key)
      firstIndex.push(first ?? index)
      if (first !== undefined) return
      firstByKey.set(key, index)
      const earlier = statements.findByClientId.get(message.user.id, message.clientId)
      if (earlier) results[index] = { message: withReactions([earlier])[0]!, duplicate: true }
      else if (newPerRoom.has(message.room)) newPerRoom.get(message.room)!.push(index)
      else newPerRoom.set(message.room, [index])
    })
    const ts = Date.now()
    for (const [room, indexes] of newPerRoom) {
      const last = statements.takeSeqs.get(indexes.length, room)?.last_seq
      if (last === undefined) throw new Error(`Unknown room: ${room}`)
      indexes.forEach((index, i) => (results[index] = insert(messages[index]!, last - indexes.length + 1 + i, ts)))
    }
    return firstIndex.map((first, index) => first === index ? results[index]! : { message: results[first]!.message, duplicate: true })
  })
  // `.immediate` takes the write lock at BEGIN: a deferred transaction that reads first and then writes fails at
  // once with SQLITE_BUSY (no busy wait) when another connection has restarted the WAL in between.
  const append = (message: NewMessage): AppendResult => appendAll.immediate([message])[0]!

  // Messages that arrive in one event-loop turn (from many sockets) are written in one transaction:
  // a commit per message was most of the server's time under load. Each caller still gets its own result.
  let batch: { message: NewMessage, resolve: (result: AppendResult) => void, reject: (error: unknown) => void }[] = []
  const writeBatch = () => {
    const current = batch
    batch = []
    // This runs from a setImmediate, and the batch fans out in its callers' continuations.
    options.onBatchWritten?.()
    try {
      const results = appendAll.immediate(current.map(item => item.message))
      current.forEach((item, index) => item.resolve(results[index]!))
      searchIndex.soon()
    }
    catch {
      // One bad message (say, a room that vanished) must not fail the others: write them one by one.
      for (const item of current) {
        try {
          item.resolve(append(item.message))
          searchIndex.soon()
        }
        catch (error) {
          item.reject(error)
        }
      }
    }
  }

  const setReadSeqs = db.transaction((markers: readonly ReadMarker[]): number[] => markers.map(({ userId, room, seq }) => {
    const row = statements.setReadSeq.get(userId, seq, room)
    if (!row) throw new Error(`Unknown room: ${room}`)
    return row.seq
  }))

  return {
    ...createSqliteRooms(db),
    ...createSqliteAccounts(db),
    ...createSqlitePasskeys(db),
    ...createSqliteNotifications(db),
    ...createSqliteReceipts(db),
    ...createSqlitePushSubscriptions(db),
    ...createSqliteInvites(db),
    ...createSqliteRetention(db),
    ...createSqliteSearch(db, withReactions, searchIndex),
    ...threads.storage(withReactions),
    ...createSqliteThreadFollows(db),
    ...createSqliteMentions(db),
    ...createSqliteUnreadStarts(db),
    appendMessage(message) {
      return new Promise((resolve, reject) => {
        if (batch.length === 0) setImmediate(writeBatch)
        batch.push({ message, resolve, reject })
      })
    },
    async messagesBefore(room, before, limit) {
      return withReactions(statements.before.all(room, before, limit).reverse())
    },
    async messagesAfter(room, after, limit) {
      return withReactions(statements.after.all(room, after, limit))
    },
    async lastSeq(room) {
      return statements.lastSeq.get(room)?.last_seq ?? 0
    },
    async editMessage(room, id, userId, text, now) {
      return editMessage.immediate(room, id, userId, text, now)
    },
    async deleteMessage(room, id, userId, now, asModerator = false) {
      return deleteMessage.immediate(room, id, userId, now, asModerator)
    },
    async toggleReaction(room, id, userId, emoji, caps) {
      return toggleReaction.immediate(room, id, userId, emoji, caps)
    },
    async setPinned(room, id, userId, pin, now, change) {
      return setPinned.immediate(room, id, userId, pin, now, change)
    },
    async pinnedMessages(room) {
      return withReactions(statements.pinned.all(room))
    },
    async setReadSeqs(markers) {
      return setReadSeqs.immediate(markers)
    },
    async readSeqs(userId) {
      return Object.fromEntries(statements.readSeqs.all(userId).map(row => [row.room, row.seq]))
    },
    async roomSeqs() {
      return Object.fromEntries(statements.roomSeqs.all().map(row => [row.name, row.last_seq]))
    },
    async ping() {
      return db.prepare('SELECT 1 AS ok').get() !== undefined
    },
    async close() {
      if (batch.length > 0) writeBatch()
      searchIndex.stop()
      if (db.open) searchIndex.catchUp()
      await checkpointer?.stop()
      if (db.open) db.close()
    },
  }
}
