/** SQLite schema steps; index N moves `user_version` from N to N + 1. Append, never edit. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE rooms (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    last_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    UNIQUE (room, seq),
    UNIQUE (user_id, client_id)
  );
  CREATE TABLE name_claims (
    name_key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    last_seen INTEGER NOT NULL
  );
  CREATE INDEX name_claims_user ON name_claims (user_id);
  `,
  // Read markers: the last seq each user has seen in each room.
  `
  CREATE TABLE read_markers (
    user_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, room)
  );
  `,
  // Edits, deletions (a tombstone keeps the seq) and reactions. Reactions are listed in rowid order, the order they were made;
  // the primary key's leading message_id column serves as the index on message_id.
  `
  ALTER TABLE messages ADD COLUMN edited_at INTEGER;
  ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
  CREATE TABLE reactions (
    room TEXT NOT NULL,
    message_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    emoji TEXT NOT NULL,
    created_at INTEGER NOT NULL,
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
  // The dedupe constraint leads with client_id: browsers send time-ordered clientIds, so a commit appends to one
  // page of its index where (user_id, client_id) touched one page per user (most of a busy commit's writes).
  // SQLite cannot drop a table's constraint: the table is rebuilt.
  `
  CREATE TABLE messages_next (
    id TEXT PRIMARY KEY,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    edited_at INTEGER,
    deleted_at INTEGER,
    UNIQUE (room, seq),
    UNIQUE (client_id, user_id)
  );
  INSERT INTO messages_next (id, room, seq, user_id, user_name, text, ts, client_id, edited_at, deleted_at)
    SELECT id, room, seq, user_id, user_name, text, ts, client_id, edited_at, deleted_at FROM messages ORDER BY rowid;
  DROP TABLE messages;
  ALTER TABLE messages_next RENAME TO messages;
  `,
  // Accounts (issue 12): users replace name claims, sessions live on the server, and a workspace has settings,
  // invites, roles and an audit log. Guests of name_claims and authors of old messages become guest users in a
  // backfill after this step (storage/account-backfill.ts), which needs the name rules' skeleton.
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
    password_hash TEXT,
    oidc_subject TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    deleted_at INTEGER,
    suspended_until INTEGER,
    legacy_converted_at INTEGER
  );
  -- At most one owner: the first account of a fresh installation takes the role, racing sign-ups cannot both.
  CREATE UNIQUE INDEX users_one_owner ON users (role) WHERE role = 'owner';
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    revoked_at INTEGER
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    counter INTEGER NOT NULL,
    backed_up INTEGER NOT NULL DEFAULT 0,
    transports TEXT NOT NULL DEFAULT '[]',
    name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX passkeys_user ON passkeys (user_id);
  CREATE TABLE auth_challenges (
    key TEXT PRIMARY KEY,
    challenge TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE auth_failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
  );
  CREATE TABLE workspace_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    revoked_at INTEGER
  );
  CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    ts INTEGER NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
  );
  ALTER TABLE rooms ADD COLUMN topic TEXT;
  ALTER TABLE rooms ADD COLUMN slow_mode_seconds INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE room_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member'));
  UPDATE room_members SET role = 'owner' WHERE user_id = (SELECT created_by FROM rooms WHERE rooms.name = room_members.room);
  ALTER TABLE messages ADD COLUMN deleted_by TEXT;
  `,
  // Full-text search (issue 16): an FTS5 index over the messages' text, kept in step by triggers and built here
  // for the messages stored before it. A deleted message's text is '', so it leaves the index. Prefix indexes of
  // 2 and 3 characters keep the last word's prefix query fast while typing. Diacritics are kept, as in the
  // PostgreSQL index ('simple'), so both storages find the same messages.
  `
  CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content = 'messages', content_rowid = 'rowid', prefix = '2 3', tokenize = 'unicode61 remove_diacritics 0'
  );
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
  `,
  // Pinned messages: at most a few per room, listed by the partial index.
  `
  ALTER TABLE messages ADD COLUMN pinned_at INTEGER;
  ALTER TABLE messages ADD COLUMN pinned_by TEXT;
  CREATE INDEX messages_pinned ON messages (room, pinned_at) WHERE pinned_at IS NOT NULL;
  `,
  // The search index off the write path: a new message's rowid is queued and sqlite-search-index.ts indexes
  // the queue in batches (indexing in the insert's trigger cost four times the insert itself). Until then an
  // edit or delete leaves the index alone, since the row's current text is what gets indexed.
  `
  DROP TRIGGER messages_fts_insert;
  DROP TRIGGER messages_fts_delete;
  DROP TRIGGER messages_fts_update;
  CREATE TABLE messages_fts_pending (message_rowid INTEGER PRIMARY KEY);
  CREATE TRIGGER messages_fts_queue AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts_pending (message_rowid) VALUES (new.rowid);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text)
      SELECT 'delete', old.rowid, old.text WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE message_rowid = old.rowid);
    DELETE FROM messages_fts_pending WHERE message_rowid = old.rowid;
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
  WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE message_rowid = old.rowid) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  `,
  // Replies and threads: a reply names the message it quotes, a thread reply its root; the partial index reads a
  // thread's page and its summary without touching the room's other messages.
  `
  ALTER TABLE messages ADD COLUMN reply_to TEXT;
  ALTER TABLE messages ADD COLUMN thread_id TEXT;
  ALTER TABLE messages ADD COLUMN also_to_room INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX messages_thread ON messages (thread_id, seq) WHERE thread_id IS NOT NULL;
  `,
  // Notification levels and mutes (issue 17): one row per user and room where the user left the defaults.
  `
  CREATE TABLE notification_choices (
    user_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    level TEXT,
    muted_until INTEGER,
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
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
  `,
  // Attachments: the files a message carries, as JSON (their names, sizes and urls, as the message shows them);
  // the bytes live in the file store, whose records say which message each file is attached to.
  `
  ALTER TABLE messages ADD COLUMN attachments TEXT;
  `,
  // Thread follows and read places: who follows a thread (following = 1: its root's author, its repliers, the
  // people mentioned in it) and where each user read it up to, so its "N new" follows them to every tab. The index
  // on root_id lets retention drop a removed root's rows.
  `
  CREATE TABLE thread_reads (
    user_id TEXT NOT NULL,
    root_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq INTEGER NOT NULL,
    following INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, root_id)
  );
  CREATE INDEX thread_reads_followed ON thread_reads (user_id, room, root_id) WHERE following = 1;
  CREATE INDEX thread_reads_root ON thread_reads (root_id);
  `,
  // First sights (unread-start-types.ts): where unread starts in a room someone never read. Their own table, not
  // read_markers: they are not reads, and an instance of the previous version, during a rolling upgrade, reads
  // read_markers as reads. unread_since is when they began: rooms made before it count from first sight for
  // accounts made before it, so an upgrade does not turn old history into unread messages.
  `
  CREATE TABLE unread_starts (
    user_id TEXT NOT NULL,
    room TEXT NOT NULL REFERENCES rooms(name),
    seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, room)
  );
  INSERT INTO workspace_settings (key, value) VALUES ('unread_since', CAST(CAST(unixepoch('subsec') * 1000 AS INTEGER) AS TEXT))
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
