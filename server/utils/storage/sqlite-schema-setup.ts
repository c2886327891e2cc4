import type Database from 'better-sqlite3'
import { SQLITE_MIGRATIONS } from './sqlite-migrations'
import { LEGACY_GUESTS_SETTING, LEGACY_IDENTITIES_SQL, planLegacyGuests } from './legacy-guests'
import type { LegacyIdentity } from './legacy-guests'
import { log } from '../log/logger'

/** What the SQLite storage runs on a database before it serves: the schema's migrations, then one-off data steps. */

/** Brings the schema up to the newest version, one migration per `user_version` step. */
export function migrateSqlite(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
    const started = Date.now()
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[version]!)
      db.pragma(`user_version = ${version + 1}`)
    })()
    // Some steps rebuild a table: on a big database the server starts that much later, so say why.
    if (current > 0) log.info('sqlite-migrated', `SQLite schema ${version} -> ${version + 1} in ${Date.now() - started} ms`)
  }
}

/** Makes guest accounts of the users from before accounts existed, once (see legacy-guests.ts). */
export function convertSqliteLegacyGuests(db: Database.Database): void {
  const done = db.prepare('SELECT 1 FROM workspace_settings WHERE key = ?')
  if (done.get(LEGACY_GUESTS_SETTING)) return
  const keyTaken = db.prepare('SELECT 1 FROM users WHERE username_key = ?')
  const insert = db.prepare(`INSERT INTO users (id, username, username_key, display_name, role, created_at, last_seen_at)
    VALUES (?, ?, ?, ?, 'guest', ?, ?) ON CONFLICT DO NOTHING`)
  db.transaction(() => {
    const identities = db.prepare<[], LegacyIdentity>(LEGACY_IDENTITIES_SQL.replaceAll('{schema}', '')).all()
    for (const account of planLegacyGuests(identities, key => keyTaken.get(key) !== undefined)) {
      insert.run(account.id, account.username, account.usernameKey, account.displayName, account.now, account.now)
    }
    db.prepare('INSERT INTO workspace_settings (key, value) VALUES (?, ?)').run(LEGACY_GUESTS_SETTING, String(identities.length))
  }).immediate()
}
