-- When a customer mention got its first brand reply (issues 8 and 9): the SLA clock's stop, the
-- "answered" filter, and the cubes' answered counts read this column instead of looking for a
-- reply row each time (a 30-day "unanswered" aggregate walked 10 million rows). It is set when a
-- brand reply is committed (sqlite-store.ts) and, for a mention stored after its reply (imports),
-- by the cube job before it counts the mention (explore-queries.ts). NULL: not answered, or a
-- brand mention.
ALTER TABLE mentions ADD COLUMN answered_at INTEGER;
UPDATE mentions SET answered_at = x.t
  FROM (SELECT source, in_reply_to_id AS id, MIN(created_at) AS t FROM mentions
         WHERE is_brand_reply = 1 GROUP BY 1, 2) AS x
 WHERE mentions.source = x.source AND mentions.id = x.id AND mentions.is_brand = 0;

-- The cubes count customer mentions and answered ones besides all mentions, so that "answered"
-- and "unanswered" aggregates read them too. Both cubes are rebuilt from the stored mentions by
-- the cube job (they were introduced with this same release, so no history beyond the raw
-- mentions' retention is lost).
ALTER TABLE rollup_hour_dims ADD COLUMN customer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_hour_dims ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_hour_topics ADD COLUMN customer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_hour_topics ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
DELETE FROM rollup_hour_dims;
DELETE FROM rollup_hour_topics;
DELETE FROM meta WHERE key IN ('cube_seq', 'topic_cube_seq');
