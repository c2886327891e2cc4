import type { Pool } from 'pg'
import type { ReceiptStorage } from './receipt-types'

/** Read receipts' reads and the opt-outs, in PostgreSQL; `schema` is already checked and quoted. */
export function createPostgresReceipts(pool: Pool, schema: string): ReceiptStorage {
  const sql = {
    roomSeqs: `SELECT user_id, seq FROM ${schema}.read_markers WHERE room = $1`,
    optOuts: `SELECT user_id FROM ${schema}.read_receipt_opt_outs WHERE user_id = ANY($1::text[])`,
    optOut: `INSERT INTO ${schema}.read_receipt_opt_outs (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING`,
    optIn: `DELETE FROM ${schema}.read_receipt_opt_outs WHERE user_id = $1`,
  }
  return {
    async roomReadSeqs(room) {
      const { rows } = await pool.query<{ user_id: string, seq: string | number }>(sql.roomSeqs, [room])
      return Object.fromEntries(rows.map(row => [row.user_id, Number(row.seq)]))
    },
    async readReceiptOptOuts(userIds) {
      const { rows } = await pool.query<{ user_id: string }>(sql.optOuts, [[...userIds]])
      return rows.map(row => row.user_id)
    },
    async setReadReceiptsShared(userId, shared) {
      await pool.query(shared ? sql.optIn : sql.optOut, [userId])
    },
  }
}
