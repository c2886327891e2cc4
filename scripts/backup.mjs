#!/usr/bin/env node
// npm run backup -- <file or folder> [--database <path>]
// A consistent copy of banter's SQLite database while banter runs. Copying the file alone is not a backup: with
// WAL, the newest commits live in banter.sqlite-wal until a checkpoint. SQLite's online backup reads through
// both, as one snapshot; in WAL mode that read holds up no writer.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { checkCopy, databasePath, fail, positional } from './sqlite-file.mjs'

const args = process.argv.slice(2)
if (process.env.NUXT_DATABASE_URL) {
  fail('NUXT_DATABASE_URL is set: history is in PostgreSQL. Back it up with pg_dump (docs/operations.md):\n'
    + '  pg_dump --format=custom --schema="${NUXT_DATABASE_SCHEMA:-banter}" --file=banter.dump "$NUXT_DATABASE_URL"')
}
const [target] = positional(args)
if (!target) fail('usage: npm run backup -- <file or folder> [--database <path>]')
const source = databasePath(args)
if (!existsSync(source)) fail(`no database at ${source} (set NUXT_DATABASE_PATH or --database)`)

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
const dest = existsSync(target) && statSync(target).isDirectory() ? join(target, `banter-${stamp}.sqlite`) : target
const partial = `${dest}.partial`
rmSync(partial, { force: true })

const db = new Database(source, { fileMustExist: true })
// banter holds the write lock for a batch at a time: wait for it rather than fail.
db.pragma('busy_timeout = 5000')
try {
  // The whole database in one step: a copy made in small steps starts over whenever banter commits in
  // between, which under steady traffic might never end. One step reads one snapshot.
  await db.backup(partial, { progress: () => 0x7fffffff })
}
catch (error) {
  rmSync(partial, { force: true })
  fail(`backup of ${source} failed: ${error.message}`)
}
finally {
  db.close()
}
const { messages, rooms } = checkCopy(partial)
renameSync(partial, dest)
console.log(`banter: backed up ${source} to ${dest} (${rooms} rooms, ${messages} messages)`)
