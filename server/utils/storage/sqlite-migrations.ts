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
]
