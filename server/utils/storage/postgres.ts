import type { Pool, PoolClient } from 'pg'
import type { ChatMessage } from '#shared/protocol'
import type { ChatStorage, MessageChange } from './types'
import { exceedsReactionCaps, groupReactions, pinRefusal, refusal } from './message-changes'
import type { MessageState, ReactionRow } from './message-changes'
import { assertSchemaName, migratePostgres, quoteIdentifier } from './postgres-migrations'
import { createPool, inTransaction } from './postgres-pool'
import { pageMessage, postgresStatements, toMessage } from './postgres-queries'
import type { MessageRow, PageRow } from './postgres-queries'
import { appendBatch, appendStatement, clientKey } from './postgres-append'
import { createAppendQueue } from './append-queue'
import { createPostgresRooms, keyPostgresRooms } from './postgres-rooms'
import { createPostgresAccounts } from './postgres-accounts'
import { createPostgresPasskeys } from './postgres-passkeys'
import { createPostgresNotifications } from './postgres-notifications'
import { createPostgresReceipts } from './postgres-receipts'
import { createPostgresPushSubscriptions } from './postgres-push-subscriptions'
import { createPostgresInvites } from './postgres-invites'
import { createPostgresRetention } from './postgres-retention'
import { createPostgresSearch } from './postgres-search'
import { createPostgresThreads } from './postgres-threads'
import { createPostgresThreadFollows } from './postgres-thread-follows'
import { createPostgresMentions } from './postgres-mentions'
import { createPostgresUnreadStarts } from './postgres-unread-starts'
import { LEGACY_GUESTS_SETTING, LEGACY_IDENTITIES_SQL, planLegacyGuests } from './legacy-guests'
import type { LegacyIdentity } from './legacy-guests'

/** Where the PostgreSQL storage keeps its tables. */
export interface PostgresStorageOptions {
  /** A `postgres://` URL. */
  connectionString: string
  /** Schema holding every table; created when missing. Letters, digits and `_` only. */
  schema: string
}

/** Makes guest accounts of the users from before accounts existed, once, racing instances included (see legacy-guests.ts). */
async function convertLegacyGuests(pool: Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`banter-legacy-guests:${schema}`])
    const done = await client.query(`SELECT 1 FROM ${schema}.workspace_settings WHERE key = $1`, [LEGACY_GUESTS_SETTING])
    if (done.rowCount) return
    const { rows } = await client.query<LegacyIdentity>(LEGACY_IDENTITIES_SQL.replaceAll('{schema}', `${schema}.`))
    const identities = rows.map(row => ({ ...row, firstSeen: Number(row.firstSeen) }))
    const taken = new Set((await client.query<{ username_key: string }>(`SELECT username_key FROM ${schema}.users`)).rows.map(row => row.username_key))
    for (const account of planLegacyGuests(identities, key => taken.has(key))) {
      await client.query(`INSERT INTO ${schema}.users (id, username, username_key, display_name, role, created_at, last_seen_at)
        VALUES ($1, $2, $3, $4, 'guest', $5, $5) ON CONFLICT DO NOTHING`, [account.id, account.username, account.usernameKey, account.displayName, account.now])
    }
    await client.query(`INSERT INTO ${schema}.workspace_settings (key, value) VALUES ($1, $2)`, [LEGACY_GUESTS_SETTING, String(identities.length)])
  })
}

/**
 * PostgreSQL storage, for several instances sharing one database. Migrates the schema before resolving.
 * A room's seq comes from `rooms.last_seq`, incremented in the same transaction as the insert, so concurrent
 * writers to one room queue on its row and every committed message gets the next number with no gap.
 * The appends of one event-loop turn (or of the time the previous write took) are one statement.
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<ChatStorage> {
  assertSchemaName(options.schema)
  const sql = postgresStatements(quoteIdentifier(options.schema))
  const pool = createPool(options.connectionString)
  try {
    await migratePostgres(pool, options.schema)
    await convertLegacyGuests(pool, quoteIdentifier(options.schema))
    await keyPostgresRooms(pool, quoteIdentifier(options.schema))
  }
  catch (error) {
    await pool.end()
    throw error
  }

  const threads = createPostgresThreads<MessageRow>(quoteIdentifier(options.schema), row => toMessage(row))
  /** Messages with their reactions, quotes and thread summaries, read for the whole page at once. */
  const withReactions = async (client: Pool | PoolClient, rows: MessageRow[]): Promise<ChatMessage[]> => {
    if (rows.length === 0) return []
    const reactions = groupReactions((await client.query<ReactionRow>(sql.reactionsOf, [rows.map(row => row.id)])).rows)
    return threads.decorate(client, rows, rows.map(row => toMessage(row, reactions.get(row.id))))
  }
  /** A history page, whose reactions came with its rows. */
  const page = async (rows: PageRow[]) => threads.decorate(pool, rows, rows.map(pageMessage))

  const findStored = async (keys: readonly { userId: string, clientId: string }[]) => {
    const { rows } = await pool.query<MessageRow>(sql.findByClientIds, [keys.map(key => key.userId), keys.map(key => key.clientId)])
    const messages = await withReactions(pool, rows)
    return new Map(messages.map(message => [clientKey(message.user.id, message.clientId), message]))
  }
  const appendSql = appendStatement(quoteIdentifier(options.schema))
  const appends = createAppendQueue(messages => appendBatch(pool, appendSql, findStored, messages))

  /** Checks, then changes, one message in a transaction that holds its row lock: changes from every instance take turns. */
  const change = (room: string, id: string, userId: string, ownerOnly: boolean, write: (client: PoolClient, state: MessageState) => Promise<ChatMessage>) =>
    inTransaction(pool, async (client): Promise<MessageChange> => {
      const { rows } = await client.query<MessageState>(sql.lockMessage, [id, room])
      return refusal(rows[0], userId, ownerOnly) ?? { ok: true, message: await write(client, rows[0]!) }
    })
  const reread = async (client: PoolClient, id: string) =>
    (await withReactions(client, (await client.query<MessageRow>(sql.getMessage, [id])).rows))[0]!

  let closing: Promise<void> | undefined

  return {
    ...createPostgresRooms(pool, quoteIdentifier(options.schema)),
    ...createPostgresAccounts(pool, quoteIdentifier(options.schema)),
    ...createPostgresPasskeys(pool, quoteIdentifier(options.schema)),
    ...createPostgresNotifications(pool, quoteIdentifier(options.schema)),
    ...createPostgresReceipts(pool, quoteIdentifier(options.schema)),
    ...createPostgresPushSubscriptions(pool, quoteIdentifier(options.schema)),
    ...createPostgresInvites(pool, quoteIdentifier(options.schema)),
    ...createPostgresRetention(pool, quoteIdentifier(options.schema)),
    ...createPostgresSearch(pool, quoteIdentifier(options.schema), withReactions),
    ...threads.storage(pool, withReactions),
    ...createPostgresThreadFollows(pool, quoteIdentifier(options.schema)),
    ...createPostgresMentions(pool, quoteIdentifier(options.schema)),
    ...createPostgresUnreadStarts(pool, quoteIdentifier(options.schema)),
    appendMessage(message) {
      return appends.append(message)
    },
    async messagesBefore(room, before, limit) {
      return page((await pool.query<PageRow>(sql.before, [room, before, limit])).rows.reverse())
    },
    async messagesAfter(room, after, limit) {
      return page((await pool.query<PageRow>(sql.after, [room, after, limit])).rows)
    },
    async lastSeq(room) {
      const { rows } = await pool.query<{ last_seq: string }>(sql.lastSeq, [room])
      return rows[0] ? Number(rows[0].last_seq) : 0
    },
    editMessage(room, id, userId, text, now) {
      return change(room, id, userId, true, async (client) => {
        await client.query(sql.edit, [text, now, id])
        return reread(client, id)
      })
    },
    deleteMessage(room, id, userId, now, asModerator = false) {
      return change(room, id, userId, !asModerator, async (client, state) => {
        await client.query(sql.removeReactions, [id])
        await client.query(sql.delete, [now, state.user_id === userId ? null : userId, id])
        return reread(client, id)
      })
    },
    toggleReaction(room, id, userId, emoji, caps) {
      // The message's row lock makes toggles take turns, so the caps are read and kept in one go.
      return inTransaction(pool, async (client): Promise<MessageChange> => {
        const { rows } = await client.query<MessageState>(sql.lockMessage, [id, room])
        const refused = refusal(rows[0], userId, false)
        if (refused) return refused
        const removed = await client.query(sql.removeReaction, [id, userId, emoji])
        if (removed.rowCount === 0) {
          const existing = (await client.query<ReactionRow>(sql.reactionsOf, [[id]])).rows
          if (exceedsReactionCaps(existing, userId, emoji, caps)) return { ok: false, reason: 'reaction_limit' }
          await client.query(sql.addReaction, [room, id, userId, emoji, Date.now()])
        }
        return { ok: true, message: await reread(client, id) }
      })
    },
    setPinned(room, id, userId, pin, now, change) {
      // The message's row lock makes pins take turns; two pins of different messages may both pass a cap of one
      // left, which costs a pin past the cap at worst.
      return inTransaction(pool, async (client): Promise<MessageChange> => {
        const { rows } = await client.query<MessageState>(sql.lockMessage, [id, room])
        const refused = refusal(rows[0], userId, false)
          ?? pinRefusal(rows[0]!, pin, (await client.query<{ count: number }>(sql.pinnedCount, [room])).rows[0]!.count, change)
        if (refused) return refused
        if (pin) await client.query(sql.pin, [now, userId, id])
        else await client.query(sql.unpin, [id])
        return { ok: true, message: await reread(client, id) }
      })
    },
    async pinnedMessages(room) {
      return withReactions(pool, (await pool.query<MessageRow>(sql.pinned, [room])).rows)
    },
    async setReadSeqs(markers) {
      if (markers.length === 0) return []
      const { rows } = await pool.query<{ user_id: string, room: string, seq: string }>(sql.setReadSeqs, [
        markers.map(marker => marker.userId), markers.map(marker => marker.room), markers.map(marker => marker.seq),
      ])
      const stored = new Map(rows.map(row => [`${row.user_id}\n${row.room}`, Number(row.seq)]))
      return markers.map(({ userId, room }) => {
        const seq = stored.get(`${userId}\n${room}`)
        if (seq === undefined) throw new Error(`Unknown room: ${room}`)
        return seq
      })
    },
    async readSeqs(userId) {
      const { rows } = await pool.query<{ room: string, seq: string }>(sql.readSeqs, [userId])
      return Object.fromEntries(rows.map(row => [row.room, Number(row.seq)]))
    },
    async roomSeqs() {
      const { rows } = await pool.query<{ name: string, last_seq: string }>(sql.roomSeqs)
      return Object.fromEntries(rows.map(row => [row.name, Number(row.last_seq)]))
    },
    async ping() {
      try {
        await pool.query('SELECT 1')
        return true
      }
      catch {
        return false
      }
    },
    close() {
      closing ??= appends.drain().catch(() => undefined).then(() => pool.end())
      return closing
    },
  }
}
