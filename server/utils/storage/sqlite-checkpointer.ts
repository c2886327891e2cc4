import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import { log } from '../log/logger'

// Each checkpoint copies the newest version of every page changed since the last: hot index pages change many
// times a second, so checkpointing every second instead of every 250 ms was 7% more deliveries in a room of 32.
const CHECKPOINT_EVERY_MS = 1000
/** SQLite's own default, restored when the worker cannot do its job. */
const AUTO_CHECKPOINT_PAGES = 1000
/**
 * A PASSIVE checkpoint never waits for the writer, so under steady writes it may never catch up and SQLite never
 * starts the WAL over. Past this many pages the main connection, between two of its own transactions, runs a
 * RESTART checkpoint (from another thread it would pull the WAL from under a transaction: SQLITE_BUSY).
 */
const RESTART_ABOVE_PAGES = 16_384
/** Bytes the WAL file is cut back to after it starts over. */
const WAL_SIZE_LIMIT = 64 * 2 ** 20
const FAILURES_BEFORE_FALLBACK = 3
/** The checkpoint thread's nice value: the lowest priority there is. */
export const WORKER_NICE = 19

// Runs in the worker: its own connection to the same file, checkpointing on a timer; reports failures. At the
// lowest priority (on Linux, the thread's own nice): the event loop takes the core whenever a socket needs it,
// rather than waiting out a checkpoint that shares its core.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
// Elsewhere (macOS) it would lower the whole process.
if (process.platform === 'linux') require('node:os').setPriority(${WORKER_NICE})
const db = new Database(workerData.path)
db.pragma('busy_timeout = 1000')
const timer = setInterval(() => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ ok: true, log })
  }
  catch (error) {
    parentPort.postMessage({ ok: false, reason: String(error && error.message || error) })
  }
}, workerData.everyMs)
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })
`

export interface Checkpointer {
  stop(): Promise<void>
}

/**
 * Moves WAL checkpoints off the event loop: the main connection stops checkpointing on commit and a worker
 * thread checkpoints the file every second (the commit that crossed SQLite's threshold used to run the
 * checkpoint and its fsync). If the worker dies or keeps failing, the main connection checkpoints itself again.
 */
export function startCheckpointer(db: Database.Database, path: string): Checkpointer | null {
  const driver = resolveDriver()
  if (!driver) {
    log.warn('sqlite-checkpointer', 'better-sqlite3 not found for the checkpoint worker; SQLite checkpoints on commit')
    return null
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS },
  })
  worker.unref()
  db.pragma('wal_autocheckpoint = 0')
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`)
  let stopping = false
  let failures = 0
  const fallBack = (reason: unknown) => {
    if (stopping) return
    stopping = true
    log.warn('sqlite-checkpointer', 'SQLite checkpoint worker gave up; checkpointing on commit instead', { reason: String(reason) })
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
    void worker.terminate()
  }
  worker.on('message', (result: { ok: boolean, log?: number, reason?: string }) => {
    failures = result.ok ? 0 : failures + 1
    if (failures >= FAILURES_BEFORE_FALLBACK) fallBack(result.reason)
    // Messages arrive between event-loop tasks, so never inside one of this connection's transactions.
    if (result.ok && result.log! > RESTART_ABOVE_PAGES && db.open) {
      try {
        db.pragma('wal_checkpoint(RESTART)')
      }
      catch (error) {
        log.warn('sqlite-checkpoint-failed', 'SQLite RESTART checkpoint failed', { err: error })
      }
    }
  })
  worker.on('error', fallBack)
  const exited = new Promise<void>(resolve => worker.once('exit', () => resolve()))
  void exited.then(() => fallBack('the worker exited'))
  return {
    async stop() {
      stopping = true
      worker.postMessage('stop')
      await exited
    },
  }
}

/**
 * Where better-sqlite3 lives, for the worker to load. Nitro rewrites `import.meta.url` in its bundle, so resolve
 * from the entry script (.output/server/index.mjs in production, the dev or test runner otherwise), then the cwd.
 */
function resolveDriver(): string | null {
  for (const base of [process.argv[1], join(process.cwd(), 'index.js')]) {
    if (!base) continue
    try {
      return createRequire(resolve(base)).resolve('better-sqlite3')
    }
    catch {
      // try the next base
    }
  }
  return null
}
