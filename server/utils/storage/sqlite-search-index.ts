import type Database from 'better-sqlite3'
import { log } from '../log/logger'

/** How long new messages wait to be indexed: long enough to index many in one transaction. */
const INDEX_AFTER_MS = 250
/** Rows per indexing transaction, so one run never holds the event loop for long. */
const ROWS_PER_RUN = 1000

export interface SqliteSearchIndex {
  /** New messages were stored: index them shortly. */
  soon(): void
  /** Indexes everything queued, now (before a search, so it finds what was just sent). */
  catchUp(): void
  stop(): void
}

/**
 * Adds queued messages (`messages_fts_pending`, filled by a trigger: sqlite-migrations.ts) to the FTS5 index in
 * batches, off the write path: one statement for up to a thousand rows costs a sixth of a trigger's per row.
 */
export function createSqliteSearchIndex(db: Database.Database): SqliteSearchIndex {
  const lastQueued = db.prepare<[number], { last: number | null }>(
    'SELECT MAX(message_rowid) AS last FROM (SELECT message_rowid FROM messages_fts_pending ORDER BY message_rowid LIMIT ?)',
  )
  const index = db.prepare<[number]>(`
    INSERT INTO messages_fts (rowid, text)
    SELECT m.rowid, m.text FROM messages_fts_pending p JOIN messages m ON m.rowid = p.message_rowid
    WHERE p.message_rowid <= ? ORDER BY p.message_rowid`)
  const dequeue = db.prepare<[number]>('DELETE FROM messages_fts_pending WHERE message_rowid <= ?')
  /** Indexes up to ROWS_PER_RUN queued rows; false when the queue was empty. */
  const run = db.transaction((): boolean => {
    const last = lastQueued.get(ROWS_PER_RUN)?.last
    if (last == null) return false
    index.run(last)
    dequeue.run(last)
    return true
  })

  let timer: NodeJS.Timeout | null = null
  const runLater = () => {
    timer = null
    try {
      // More left: the rest goes in the next turn, so sockets are served in between.
      if (run.immediate()) timer = setTimeout(runLater, 0)
    }
    catch (error) {
      // The messages stay queued; the next store or search tries again.
      log.warn('search-index-failed', 'could not add new messages to the search index', { err: error })
    }
  }

  const soon = () => {
    // Unref'd: a queue left at exit is indexed after the next start.
    timer ??= setTimeout(runLater, INDEX_AFTER_MS).unref()
  }
  soon()

  return {
    soon,
    catchUp() {
      while (run.immediate());
    },
    stop() {
      if (timer) clearTimeout(timer)
      timer = null
    },
  }
}
