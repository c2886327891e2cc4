import type { Pool } from 'pg'
import { timeOrderedId } from '#shared/time-ordered-id'
import type { ChatMessage } from '#shared/protocol'
import type { AppendResult, NewMessage } from './types'
import { newReplyFields } from './thread-rows'
import { attachmentsColumn, newAttachmentFields } from './attachment-rows'

/**
 * Stores a batch of new messages in one statement (its own transaction): the (user, clientId) pairs already
 * stored are left out, each room's seqs are reserved with one UPDATE … RETURNING (rooms locked in name order,
 * so two instances' batches cannot deadlock), and every row goes in with one INSERT from unnest. Answers,
 * per message in order, its seq, or nothing when the pair was already stored or the room does not exist.
 * A pair stored by another instance after this statement's snapshot fails the INSERT (unique violation):
 * the whole statement rolls back, taking no seq, and is run again.
 *
 * The lookup of stored pairs is a LATERAL … LIMIT 1 rather than NOT EXISTS: a named statement keeps the
 * generic plan made on its connection's first runs, and on a new (empty) table NOT EXISTS became a hash
 * anti-join over a full scan of messages, so every batch read the whole table, slower as it grew. The
 * LATERAL form is a lookup per row, which takes the (user_id, client_id) index even on an empty table.
 */
export function appendStatement(schema: string): { name: string, text: string } {
  // Named, so each connection parses and plans it once rather than on every batch (planning alone took 1.5 ms).
  return { name: `banter-append:${schema}`, text: `WITH wanted AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $8::text[], $9::text[], $10::boolean[], $11::text[])
        WITH ORDINALITY AS w (id, room, user_id, user_name, text, client_id, reply_to, thread_id, also_to_room, attachments, ord)
    ),
    fresh AS (
      SELECT w.* FROM wanted w
      LEFT JOIN LATERAL (
        SELECT true AS stored FROM ${schema}.messages m WHERE m.user_id = w.user_id AND m.client_id = w.client_id LIMIT 1
      ) earlier ON true
      WHERE earlier.stored IS NULL
    ),
    counts AS (SELECT room, count(*) AS n FROM fresh GROUP BY room),
    locked AS MATERIALIZED (
      SELECT r.name FROM ${schema}.rooms r WHERE r.name IN (SELECT room FROM counts) ORDER BY r.name FOR UPDATE
    ),
    bumped AS (
      UPDATE ${schema}.rooms r SET last_seq = r.last_seq + c.n FROM counts c JOIN locked l ON l.name = c.room
      WHERE r.name = c.room
      RETURNING r.name, r.last_seq, c.n
    ),
    numbered AS (
      SELECT f.*, b.last_seq - b.n + row_number() OVER (PARTITION BY f.room ORDER BY f.ord) AS seq
      FROM fresh f JOIN bumped b ON b.name = f.room
    ),
    inserted AS (
      INSERT INTO ${schema}.messages (id, room, seq, user_id, user_name, text, ts, client_id, reply_to, thread_id, also_to_room, attachments)
      SELECT id, room, seq, user_id, user_name, text, $7::bigint, client_id, reply_to, thread_id, also_to_room, attachments FROM numbered
    )
    SELECT ord, seq FROM numbered` }
}

/** Errors after which the same batch, run again, can succeed: a clientId stored meanwhile, or a deadlock. */
const RETRYABLE = new Set(['23505', '40P01', '40001'])
const MAX_ATTEMPTS = 5

async function queryWithRetries<Row extends object>(pool: Pool, statement: { name: string, text: string }, values: unknown[]): Promise<Row[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await pool.query<Row>({ ...statement, values })).rows
    }
    catch (error) {
      const code = (error as { code?: unknown }).code
      if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error
    }
  }
}

/** Finds already stored messages by (user, clientId), with their reactions. */
export type FindStored = (keys: readonly { userId: string, clientId: string }[]) => Promise<Map<string, ChatMessage>>

export const clientKey = (userId: string, clientId: string) => `${userId}\n${clientId}`

/**
 * Writes `messages` with one statement, run again after a retryable error; answers one result or error per
 * message. A repeat of a (user, clientId) within the batch answers the first one's message as a duplicate.
 */
export async function appendBatch(pool: Pool, statement: { name: string, text: string }, findStored: FindStored, messages: readonly NewMessage[]): Promise<(AppendResult | Error)[]> {
  const firstIndex: number[] = []
  const firstByKey = new Map<string, number>()
  const unique: number[] = []
  messages.forEach((message, index) => {
    const key = clientKey(message.user.id, message.clientId)
    const first = firstByKey.get(key)
    firstIndex.push(first ?? index)
    if (first === undefined) {
      firstByKey.set(key, index)
      unique.push(index)
    }
  })
  const batch = unique.map(index => messages[index]!)
  const ts = Date.now()
  const ids = batch.map(() => timeOrderedId(ts))
  const params = [
    ids, batch.map(m => m.room), batch.map(m => m.user.id), batch.map(m => m.user.name), batch.map(m => m.text),
    batch.map(m => m.clientId), ts,
    batch.map(m => m.replyTo?.id ?? null), batch.map(m => m.threadId ?? null), batch.map(m => m.alsoToRoom === true),
    batch.map(attachmentsColumn),
  ]
  const rows = await queryWithRetries<{ ord: string, seq: string }>(pool, statement, params)
  const results: (AppendResult | Error | undefined)[] = Array.from({ length: messages.length })
  for (const row of rows) {
    const position = Number(row.ord) - 1
    const message = batch[position]!
    results[unique[position]!] = {
      message: {
        room: message.room, id: ids[position]!, seq: Number(row.seq), user: message.user, text: message.text, ts, clientId: message.clientId,
        ...newReplyFields(message),
        ...newAttachmentFields(message),
      },
      duplicate: false,
    }
  }
  const left = unique.filter(index => !results[index])
  if (left.length > 0) {
    const stored = await findStored(left.map(index => ({ userId: messages[index]!.user.id, clientId: messages[index]!.clientId })))
    for (const index of left) {
      const { user, clientId, room } = messages[index]!
      const earlier = stored.get(clientKey(user.id, clientId))
      results[index] = earlier ? { message: earlier, duplicate: true } : new Error(`Unknown room: ${room}`)
    }
  }
  return firstIndex.map((first, index) => {
    if (first === index) return results[index]!
    const earlier = results[first]!
    return earlier instanceof Error ? earlier : { message: earlier.message, duplicate: true }
  })
}
