-- Exploration (issue 8).
-- Full-text search over mention text: an external-content FTS5 index. It is filled by a
-- background job in batches above `meta.fts_seq` (adapters/store/explore-queries.ts), not by a
-- trigger: indexing row by row inside each ingest transaction made ingest ten times slower, while
-- indexing thousands of rows at once keeps up with it, a few seconds behind. unicode61 folds case
-- and diacritics, so "cafe" finds "Café".
CREATE VIRTUAL TABLE mentions_fts USING fts5(
  text,
  content = 'mentions',
  content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2'
);

-- An author's recent mentions (the author card).
CREATE INDEX mentions_author ON mentions (author_handle, created_at);

-- Hourly counts by the dimensions explore filters on: a cube that answers a 30-day aggregate
-- without touching millions of rows, and that outlives the raw mentions' retention. Filled from
-- the mentions above `meta.cube_seq` by a periodic job (adapters/store/explore-queries.ts).
CREATE TABLE rollup_hour_dims (
  hour INTEGER NOT NULL,
  channel TEXT NOT NULL,
  sentiment TEXT NOT NULL,
  intent TEXT NOT NULL,
  language TEXT NOT NULL,
  tier TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (hour, channel, sentiment, intent, language, tier)
) WITHOUT ROWID;
