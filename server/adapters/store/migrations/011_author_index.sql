-- An author's recent mentions (the author card) move from an index on `mentions`, kept inside
-- every ingest transaction, to a table filled by the background job in batches above
-- `meta.author_seq` (adapters/store/explore-queries.ts), like the text index. Authors arrive in
-- random order, so each ingest batch of 1,000 rows touched about as many pages of that index:
-- dropping it took `ingest.http.throughput` from about 38,000 to about 57,000 mentions/s on the
-- reference machine, while the job adds thousands of rows at once to the same pages. Reads stay
-- exact: the author card also scans the few rows above the watermark (byAuthor).
DROP INDEX IF EXISTS mentions_author;
CREATE TABLE mentions_by_author (
  author_handle TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (author_handle, created_at, seq)
) WITHOUT ROWID;
INSERT INTO mentions_by_author (author_handle, created_at, seq)
  SELECT author_handle, created_at, seq FROM mentions ORDER BY author_handle, created_at, seq;
INSERT OR REPLACE INTO meta (key, value)
  SELECT 'author_seq', COALESCE(MAX(seq), 0) FROM mentions;
