import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'

const CHECKPOINT_EVERY_MS = 250
/** SQLite's own default, restored when the worker cannot run. */
const AUTO_CHECKPOINT_PAGES = 1000

// Runs in the worker: its own connection to the same file, a PASSIVE checkpoint (never waits for the writer) on a timer.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 1000')
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') }
  catch (error) { parentPort.postMessage(String(error && error.message || error)) }
}, workerData.everyMs)
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })
`

export interface Checkpointer {
  stop(): Promise<void>
}

/**
 * Moves WAL checkpoints off the event loop: the main connection stops checkpointing on commit and a worker
 * thread checkpoints the file every 250 ms. If the worker fails, the main connection checkpoints itself again.
 */
export function startCheckpointer(db: Database.Database, path: string): Checkpointer | null {
  const driver = resolveDriver()
  if (!driver) {
    console.warn('[banter] better-sqlite3 not found for the checkpoint worker; SQLite checkpoints on commit')
    return null
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS } })
  worker.unref()
  db.pragma('wal_autocheckpoint = 0')
  const fallBack = (reason: unknown) => {
    console.warn('[banter] SQLite checkpoint worker failed; checkpointing on commit instead:', reason)
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
  }
  worker.on('message', reason => console.warn('[banter] SQLite checkpoint failed:', reason))
  worker.on('error', fallBack)
  const exited = new Promise<void>(resolve => worker.once('exit', () => resolve()))
  return {
    async stop() {
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
