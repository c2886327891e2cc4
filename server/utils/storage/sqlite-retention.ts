import type Database from 'better-sqlite3'
import type { ChatStorage } from './types'

const nextTurn = () => new Promise(resolve => setImmediate(resolve))

/**
 * Removing old messages from SQLite. better-sqlite3 blocks the event loop, and messages has no index on ts (one
 * would cost every insert): the table is walked in rowid order, `batchSize` rows per step, and each step deletes
 * the old ones among them in one write transaction, with a turn of the event loop in between. A scan that
 * picked old rows with LIMIT would walk the whole table in one go to find that nothing is left: about a second
 * for a million messages on this machine, with every socket waiting.
 */
export function createSqliteRetention(db: Database.Database): Pick<ChatStorage, 'deleteMessagesBefore'> {
  const page = db.prepare<[number, number], { position: number, id: string, ts: number }>(
    'SELECT rowid AS position, id, ts FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?',
  )
  const dropReactions = db.prepare('DELETE FROM reactions WHERE message_id IN (SELECT value FROM json_each(?))')
  const dropThreadReads = db.prepare('DELETE FROM thread_reads WHERE root_id IN (SELECT value FROM json_each(?))')
  const dropMessages = db.prepare('DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))')
  const drop = db.transaction((ids: string): number => {
    dropReactions.run(ids)
    dropThreadReads.run(ids)
    return dropMessages.run(ids).changes
  })
  return {
    async deleteMessagesBefore(cutoff, batchSize) {
      let removed = 0
      for (let after = 0; ;) {
        const rows = page.all(after, batchSize)
        if (rows.length === 0) return removed
        after = rows.at(-1)!.position
        const old = rows.filter(row => row.ts < cutoff).map(row => row.id)
        if (old.length > 0) removed += drop.immediate(JSON.stringify(old))
        await nextTurn()
      }
    },
  }
}
