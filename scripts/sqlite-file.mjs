// Shared by backup.mjs and restore.mjs: where the database is, and what a sound copy looks like.
import { resolve } from 'node:path'
import Database from 'better-sqlite3'

/** The live database: --database <path>, else NUXT_DATABASE_PATH, else banter's default (relative to here). */
export function databasePath(args) {
  const flag = args.indexOf('--database')
  const path = flag >= 0 ? args[flag + 1] : process.env.NUXT_DATABASE_PATH || '.data/banter.sqlite'
  if (!path) fail('--database needs a path')
  return resolve(path)
}

/** Opens a copy read-only and checks it page by page; answers its message and room counts. */
export function checkCopy(path) {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') fail(`${path} failed its integrity check: ${integrity}`)
    const messages = db.prepare('SELECT count(*) AS n FROM messages').get().n
    const rooms = db.prepare('SELECT count(*) AS n FROM rooms').get().n
    return { messages, rooms }
  }
  finally {
    db.close()
  }
}

export function fail(message) {
  console.error(`banter: ${message}`)
  process.exit(1)
}

/** Arguments that are not flags or flag values. */
export function positional(args) {
  return args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--database')
}
