-- Named JSON documents edited at run time: `tracking` (brand, keywords, hashtags, competitors,
-- exclusions) and `sources` (connector settings), seeded from the CONFIG file at start.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
