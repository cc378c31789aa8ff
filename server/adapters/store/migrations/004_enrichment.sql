-- Enrichment beyond sentiment (issue 4): resolved language, intent, matched topics, author
-- influence and triage priority on arrival. Rows stored before this migration keep the defaults.
ALTER TABLE mentions ADD COLUMN language TEXT NOT NULL DEFAULT 'und';
ALTER TABLE mentions ADD COLUMN sentiment_scored INTEGER NOT NULL DEFAULT 1;
ALTER TABLE mentions ADD COLUMN intent TEXT NOT NULL DEFAULT 'other';
-- Topic names joined by a newline (names cannot contain one); '' for none.
ALTER TABLE mentions ADD COLUMN topics TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN influence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN influence_tier TEXT NOT NULL DEFAULT 'everyday';
ALTER TABLE mentions ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
