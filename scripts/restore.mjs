#!/usr/bin/env node
// npm run restore -- <backup file> [--database <path>]
// Puts a backup (npm run backup) in place of banter's SQLite database. Stop banter first: a running server
// keeps the old file open. The old -wal and -shm files go too: left beside the restored file, SQLite would
// replay the old database's last commits onto it.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { checkCopy, databasePath, fail, positional } from './sqlite-file.mjs'

const args = process.argv.slice(2)
const [backup] = positional(args)
if (!backup) fail('usage: npm run restore -- <backup file> [--database <path>]')
if (!existsSync(backup)) fail(`no backup at ${backup}`)
const target = databasePath(args)
const { messages, rooms } = checkCopy(backup)

mkdirSync(dirname(target), { recursive: true })
const partial = `${target}.restoring`
copyFileSync(backup, partial)
for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true })
renameSync(partial, target)
console.log(`banter: restored ${backup} to ${target} (${rooms} rooms, ${messages} messages); start banter now`)
