-- Small key/value facts about the database. `rollups_seq`: every mention with seq at or below it
-- is included in the stored minute rollups; rows above it were committed after the last rollup
-- flush (a crash in between) and their minutes are recomputed from raw mentions at start.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
