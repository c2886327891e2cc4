import type Database from 'better-sqlite3'
import type { ChatStorage } from './types'

/** Removing old messages from SQLite, a batch per write transaction so senders wait for one batch at most. */
export function createSqliteRetention(db: Database.Database): Pick<ChatStorage, 'deleteMessagesBefore'> {
  // The rows of a batch are picked once, so the reactions and the messages deleted are the same set.
  const pick = db.prepare<[number, number], { id: string }>('SELECT id FROM messages WHERE ts < ? LIMIT ?')
  const dropReactions = db.prepare('DELETE FROM reactions WHERE message_id IN (SELECT value FROM json_each(?))')
  const dropMessages = db.prepare('DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))')
  const deleteBatch = db.transaction((cutoff: number, limit: number): number => {
    const ids = JSON.stringify(pick.all(cutoff, limit).map(row => row.id))
    dropReactions.run(ids)
    return dropMessages.run(ids).changes
  })
  return {
    async deleteMessagesBefore(cutoff, limit) {
      return deleteBatch.immediate(cutoff, limit)
    },
  }
}
