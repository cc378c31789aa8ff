-- Hourly counts per topic (a mention with two topics counts once in each), by the same
-- dimensions as rollup_hour_dims: a 30-day series of one topic, or of every topic, reads this
-- instead of millions of mentions. Filled above `meta.topic_cube_seq`.
CREATE TABLE rollup_hour_topics (
  hour INTEGER NOT NULL,
  topic TEXT NOT NULL,
  channel TEXT NOT NULL,
  sentiment TEXT NOT NULL,
  intent TEXT NOT NULL,
  language TEXT NOT NULL,
  tier TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (topic, hour, channel, sentiment, intent, language, tier)
) WITHOUT ROWID;
