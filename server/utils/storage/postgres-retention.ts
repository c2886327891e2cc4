import type { Pool } from 'pg'
import type { ChatStorage } from './types'
import { inTransaction } from './postgres-pool'

/**
 * Removing old messages from PostgreSQL (`schema` already quoted), a batch per transaction. A transaction-scoped
 * advisory lock lets one instance at a time work: another finding it taken leaves the run to the holder.
 */
export function createPostgresRetention(pool: Pool, schema: string): Pick<ChatStorage, 'deleteMessagesBefore'> {
  const lockKey = `banter-retention:${schema}`
  // Data-modifying CTEs all see the same snapshot of `doomed`: reactions and messages go together.
  const deleteBatch = `WITH doomed AS (SELECT id FROM ${schema}.messages WHERE ts < $1 LIMIT $2),
    gone_reactions AS (DELETE FROM ${schema}.reactions WHERE message_id IN (SELECT id FROM doomed)),
    gone_thread_reads AS (DELETE FROM ${schema}.thread_reads WHERE root_id IN (SELECT id FROM doomed))
    DELETE FROM ${schema}.messages WHERE id IN (SELECT id FROM doomed)`
  /** One batch; null when another instance holds the lock. */
  const batch = (cutoff: number, batchSize: number) => inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [lockKey])
    if (!rows[0]?.locked) return null
    return (await client.query(deleteBatch, [cutoff, batchSize])).rowCount ?? 0
  })
  return {
    async deleteMessagesBefore(cutoff, batchSize) {
      let removed = 0
      for (;;) {
        const count = await batch(cutoff, batchSize)
        if (count === null) return removed
        removed += count
        if (count < batchSize) return removed
      }
    },
  }
}
