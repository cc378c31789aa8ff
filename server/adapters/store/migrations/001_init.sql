-- Mentions as received and enriched. Ids are unique per source.
CREATE TABLE mentions (
  seq INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  channel TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  text TEXT NOT NULL,
  author_handle TEXT NOT NULL,
  author_name TEXT NOT NULL,
  author_followers INTEGER NOT NULL,
  author_verified INTEGER NOT NULL,
  lang TEXT,
  url TEXT,
  in_reply_to_id TEXT,
  geo_lat REAL,
  geo_lon REAL,
  geo_country TEXT,
  sentiment_score REAL NOT NULL,
  sentiment_label TEXT NOT NULL,
  is_brand INTEGER NOT NULL,
  is_brand_reply INTEGER NOT NULL,
  UNIQUE (source, id)
);
CREATE INDEX mentions_created_at ON mentions (created_at);
CREATE INDEX mentions_reply_to ON mentions (source, in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;

-- Per-minute rollups of the rolling windows: counters (JSON array, see server/core/window) and a
-- sparse response-time sketch (JSON array of [bucket, count] pairs, flattened).
CREATE TABLE rollup_minute (
  start INTEGER PRIMARY KEY,
  counts TEXT NOT NULL,
  sketch TEXT NOT NULL
);
