import type Database from 'better-sqlite3'
import type { ReceiptStorage } from './receipt-types'

/** Read receipts' reads and the opt-outs, in SQLite. */
export function createSqliteReceipts(db: Database.Database): ReceiptStorage {
  const statements = {
    roomSeqs: db.prepare<[string], { user_id: string, seq: number }>('SELECT user_id, seq FROM read_markers WHERE room = ?'),
    optOuts: db.prepare<[string], { user_id: string }>('SELECT user_id FROM read_receipt_opt_outs WHERE user_id IN (SELECT value FROM json_each(?))'),
    optOut: db.prepare('INSERT INTO read_receipt_opt_outs (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING'),
    optIn: db.prepare('DELETE FROM read_receipt_opt_outs WHERE user_id = ?'),
  }
  return {
    async roomReadSeqs(room) {
      return Object.fromEntries(statements.roomSeqs.all(room).map(row => [row.user_id, row.seq]))
    },
    async readReceiptOptOuts(userIds) {
      return statements.optOuts.all(JSON.stringify(userIds)).map(row => row.user_id)
    },
    async setReadReceiptsShared(userId, shared) {
      if (shared) statements.optIn.run(userId)
      else statements.optOut.run(userId)
    },
  }
}
