import type { Pool, PoolClient } from 'pg'
import { withClient } from './postgres-pool'

/**
 * PostgreSQL schema steps; index N moves the schema from version N to N + 1. Append, never edit.
 * They run with `search_path` set to the configured schema, so table names stay unqualified.
 * Times are epoch milliseconds in BIGINT, like SQLite's INTEGER columns.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE rooms (
    name TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    created_by TEXT,
    last_seq BIGINT NOT NULL DEFAULT 0
  );
  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    text TEXT NOT NULL,
    ts BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    UNIQUE (room, seq),
    UNIQUE (user_id, client_id)
  );
  CREATE TABLE name_claims (
    name_key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    last_seen BIGINT NOT NULL
  );
  CREATE INDEX name_claims_user ON name_claims (user_id);
  `,
  // Read markers: the last seq each user has seen in each room.
  `
  CREATE TABLE read_markers (
    user_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq BIGINT NOT NULL,
    PRIMARY KEY (user_id, room)
  );
  `,
  // Edits, deletions (a tombstone keeps the seq) and reactions. `position` orders reactions as they were made, which
  // created_at cannot (same millisecond, clocks of different instances); the primary key's leading message_id
  // column serves as the index on message_id.
  `
  ALTER TABLE messages ADD COLUMN edited_at BIGINT;
  ALTER TABLE messages ADD COLUMN deleted_at BIGINT;
  CREATE TABLE reactions (
    position BIGINT GENERATED ALWAYS AS IDENTITY,
    room TEXT NOT NULL,
    message_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    emoji TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji)
  );
  `,
  // Private rooms and direct messages: `kind` is NULL for a public room; only members see the others.
  // The primary key serves lookups by room; the index serves "which rooms is this user in".
  `
  ALTER TABLE rooms ADD COLUMN kind TEXT CHECK (kind IN ('private', 'dm'));
  CREATE TABLE room_members (
    room TEXT NOT NULL REFERENCES rooms(name),
    user_id TEXT NOT NULL,
    PRIMARY KEY (room, user_id)
  );
  CREATE INDEX room_members_user ON room_members (user_id);
  `,
  // Accounts (issue 12): see the SQLite twin. The guest backfill runs after it (storage/account-backfill.ts).
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
    password_hash TEXT,
    oidc_subject TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    deleted_at BIGINT,
    suspended_until BIGINT,
    legacy_converted_at BIGINT
  );
  -- At most one owner: the first account of a fresh installation takes the role, racing sign-ups cannot both.
  CREATE UNIQUE INDEX users_one_owner ON users (role) WHERE role = 'owner';
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    revoked_at BIGINT
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    counter BIGINT NOT NULL,
    backed_up BOOLEAN NOT NULL DEFAULT false,
    transports TEXT NOT NULL DEFAULT '[]',
    name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
  );
  CREATE INDEX passkeys_user ON passkeys (user_id);
  CREATE TABLE auth_challenges (
    key TEXT PRIMARY KEY,
    challenge TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE auth_failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL
  );
  CREATE TABLE workspace_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    revoked_at BIGINT
  );
  CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    ts BIGINT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
  );
  ALTER TABLE rooms ADD COLUMN topic TEXT;
  ALTER TABLE rooms ADD COLUMN slow_mode_seconds INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE room_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member'));
  UPDATE room_members SET role = 'owner' FROM rooms WHERE rooms.name = room_members.room AND rooms.created_by = room_members.user_id;
  ALTER TABLE messages ADD COLUMN deleted_by TEXT;
  `,
  // Full-text search (issue 16): a GIN index on the messages' words, built here for the messages stored before
  // it and kept in step by PostgreSQL itself. An expression index rather than a stored tsvector column: every
  // history query selects m.*, which would carry the tsvector too. 'simple' keeps names and code as written
  // (lowercased, no stemming, no stop words); non-alphanumerics become spaces first, so "example.com" and
  // "foo_bar" are two words each, as in SQLite's unicode61 tokenizer. Queries repeat MESSAGE_SEARCH_VECTOR.
  // Results come newest first: for a common word, walking (ts, id) backwards and stopping at the page's end beats
  // sorting every match (33,000 of 100,000 messages: 2-6 ms against 130 ms, bench/search.mjs), and the planner
  // picks between the two by the word's frequency.
  `
  CREATE INDEX messages_search ON messages USING GIN (to_tsvector('simple'::regconfig, regexp_replace(text, '[^[:alnum:]]+', ' ', 'g')));
  CREATE INDEX messages_newest ON messages (ts, id);
  `,
  // Pinned messages: at most a few per room, listed by the partial index.
  `
  ALTER TABLE messages ADD COLUMN pinned_at BIGINT;
  ALTER TABLE messages ADD COLUMN pinned_by TEXT;
  CREATE INDEX messages_pinned ON messages (room, pinned_at) WHERE pinned_at IS NOT NULL;
  `,
  // Replies and threads: a reply names the message it quotes, a thread reply its root; the partial index reads a
  // thread's page and its summary without touching the room's other messages.
  `
  ALTER TABLE messages ADD COLUMN reply_to TEXT;
  ALTER TABLE messages ADD COLUMN thread_id TEXT;
  ALTER TABLE messages ADD COLUMN also_to_room BOOLEAN NOT NULL DEFAULT false;
  CREATE INDEX messages_thread ON messages (thread_id, seq) WHERE thread_id IS NOT NULL;
  `,
  // Notification levels and mutes (issue 17): one row per user and room where the user left the defaults.
  `
  CREATE TABLE notification_choices (
    user_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    level TEXT CHECK (level IN ('all', 'mentions', 'nothing')),
    muted_until BIGINT,
    PRIMARY KEY (user_id, room)
  );
  `,
  // Read receipts (issue 17): the users who keep theirs to themselves (and then see nobody's).
  `
  CREATE TABLE read_receipt_opt_outs (
    user_id TEXT PRIMARY KEY
  );
  `,
  // Web Push: one row per browser that asked to be told of mentions and direct messages while no tab is open.
  `
  CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
  `,
  // Attachments: the files a message carries, as JSON text (their names, sizes and urls, as the message shows
  // them); the bytes live in the file store, whose records say which message each file is attached to.
  `
  ALTER TABLE messages ADD COLUMN attachments TEXT;
  `,
  // Only the append (postgres-append.ts) inserts messages, and it numbers each from its room's row, locked in the
  // same statement; rooms are never deleted. The foreign key's check locked that row again for every message:
  // a fifth of a 32-message batch's time.
  `
  ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_room_fkey;
  `,
  // Thread follows and read places: who follows a thread (its root's author, its repliers, the people mentioned
  // in it) and where each user read it up to, so its "N new" follows them to every tab. The index on root_id
  // lets retention drop a removed root's rows.
  `
  CREATE TABLE thread_reads (
    user_id TEXT NOT NULL,
    root_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq BIGINT NOT NULL,
    following BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, root_id)
  );
  CREATE INDEX thread_reads_followed ON thread_reads (user_id, room, root_id) WHERE following;
  CREATE INDEX thread_reads_root ON thread_reads (root_id);
  `,
  // First sights (unread-start-types.ts): where unread starts in a room someone never read. Their own table: an
  // instance of the previous version reads read_markers as reads. unread_since is when they began, so an
  // upgrade does not turn old history into unread messages.
  `
  CREATE TABLE unread_starts (
    user_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq BIGINT NOT NULL,
    PRIMARY KEY (user_id, room)
  );
  INSERT INTO workspace_settings (key, value) VALUES ('unread_since', (floor(extract(epoch FROM now()) * 1000)::bigint)::text)
    ON CONFLICT (key) DO NOTHING;
  `,
  // Look-alike room names (server/utils/chat/room-names.ts): rooms are unique on name_key. Rooms from before it
  // start without one; the storage gives each the key at start-up unless an older room already holds it, so
  // look-alikes that exist already keep working (direct messages never get one).
  `
  ALTER TABLE rooms ADD COLUMN name_key TEXT;
  CREATE UNIQUE INDEX rooms_name_key ON rooms (name_key);
  `,
]

/** Double-quotes an identifier that has already been checked by `assertSchemaName`. */
export const quoteIdentifier = (name: string): string => `"${name}"`

/** Schema names go into SQL text (identifiers cannot be parameters), so only plain names are allowed. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${schema}`)
}

/**
 * Creates the schema if missing and applies the pending migrations, each in its own transaction.
 * A session-level advisory lock keyed on the schema makes instances that start together take turns:
 * the first migrates, the others then find nothing left to do.
 */
export async function migratePostgres(pool: Pool, schema: string, migrations = POSTGRES_MIGRATIONS): Promise<void> {
  assertSchemaName(schema)
  const lockKey = `banter-migrations:${schema}`
  // On failure withClient destroys the connection, which aborts its transaction and frees the lock with the session.
  await withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey])
    await applyPending(client, quoteIdentifier(schema), migrations)
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey])
  })
}

async function applyPending(client: PoolClient, quoted: string, migrations: readonly string[]): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`)
  await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`)
  const { rows } = await client.query<{ version: number }>(`SELECT coalesce(max(version), 0) AS version FROM ${quoted}.schema_migrations`)
  for (let version = rows[0]!.version; version < migrations.length; version++) {
    await client.query('BEGIN')
    await client.query(`SET LOCAL search_path TO ${quoted}`)
    await client.query(migrations[version]!)
    await client.query(`INSERT INTO ${quoted}.schema_migrations (version) VALUES ($1)`, [version + 1])
    await client.query('COMMIT')
  }
}
