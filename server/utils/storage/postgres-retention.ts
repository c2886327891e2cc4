import type { Pool } from 'pg'
import type { ChatStorage } from './types'
import { inTransaction } from './postgres-pool'

/**
 * Removing old messages from PostgreSQL (`schema` already quoted). A transaction-scoped advisory lock lets one
 * instance at a time work: the others get 0 for the batch and leave the run to it.
 */
export function createPostgresRetention(pool: Pool, schema: string): Pick<ChatStorage, 'deleteMessagesBefore'> {
  const lockKey = `banter-retention:${schema}`
  // Data-modifying CTEs all see the same snapshot of `doomed`: reactions and messages go together.
  const deleteBatch = `WITH doomed AS (SELECT id FROM ${schema}.messages WHERE ts < $1 LIMIT $2),
    gone_reactions AS (DELETE FROM ${schema}.reactions WHERE message_id IN (SELECT id FROM doomed))
    DELETE FROM ${schema}.messages WHERE id IN (SELECT id FROM doomed)`
  return {
    deleteMessagesBefore(cutoff, limit) {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [lockKey])
        if (!rows[0]?.locked) return 0
        return (await client.query(deleteBatch, [cutoff, limit])).rowCount ?? 0
      })
    },
  }
}
