-- Who wrote a brand reply (issue 9), when the ingested data says so (the mention's `agent`
-- field). Replies without it are attributed at read time by the signature convention
-- (server/core/care/agents.ts), so a changed convention applies to history too.
ALTER TABLE mentions ADD COLUMN agent TEXT;

-- Mentions by when they were first answered: the care side's "answered today" reads (agents,
-- value, the scene's restart) find them without walking every mention of the days before.
CREATE INDEX mentions_answered ON mentions (answered_at) WHERE answered_at IS NOT NULL;
