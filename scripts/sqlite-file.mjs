// Shared by backup.mjs and restore.mjs: where the database is, and what a sound copy looks like.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'

/** The folder holding scripts/ and .output/: where the server takes a relative NUXT_DATABASE_PATH from. */
const APP_DIRECTORY = dirname(dirname(fileURLToPath(import.meta.url)))

/**
 * The live database: --database <path> (from the working directory, as typed), else NUXT_DATABASE_PATH or
 * banter's default, relative to the app directory as the server reads them (server/utils/config/database-path.ts).
 */
export function databasePath(args) {
  const flag = args.indexOf('--database')
  if (flag >= 0) {
    if (!args[flag + 1]) fail('--database needs a path')
    return resolve(args[flag + 1])
  }
  return resolve(APP_DIRECTORY, process.env.NUXT_DATABASE_PATH || '.data/banter.sqlite')
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
