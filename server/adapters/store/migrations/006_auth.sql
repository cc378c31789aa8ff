-- Access control: users, sessions, API and display tokens as JSON documents keyed by kind and id
-- (the auth service validates them on read and keeps them in memory; secrets are stored only as
-- SHA-256 hashes, passwords only as argon2id hashes), and the append-only audit log.
CREATE TABLE auth_records (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  via TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL,
  ip TEXT NOT NULL
);
