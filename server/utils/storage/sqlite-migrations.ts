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
]
