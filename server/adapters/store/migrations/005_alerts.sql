-- Alerting: rules (editable in the console), alerts (the lifecycle record as a JSON document, with
-- the columns the console filters on) and silences. Documents are validated by the core on read.
CREATE TABLE alert_rules (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL,
  state TEXT NOT NULL,
  drill INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX alerts_by_state ON alerts (state, started_at);
CREATE INDEX alerts_by_start ON alerts (started_at);
