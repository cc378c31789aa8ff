import { describe, expect, it } from 'vitest';
import {
  FACT_COUNT,
  mentionKey,
  Pipeline,
  pushFacts,
  windowInput,
  windowInputFromFacts
} from '../../../server/core/pipeline';
import { makeMention, makeReply } from '../../helpers/fixtures';

const NOW = 1_800_000_000_000;

describe('flat facts for counting across threads', () => {
  const brands = ['@NorthwindHelp'];
  const p = new Pipeline({ brandHandles: brands });
  const customer = makeMention({ createdAt: NOW - 60_000, text: 'this is terrible' });
  const batch = p.enrichBatch([
    customer,
    makeReply(customer, { createdAt: NOW - 30_000 }),
    makeMention({ createdAt: NOW - 1000, channel: 'bluesky', text: 'love it, thanks!' })
  ]);

  it('round-trips every field the windows use', () => {
    const facts: unknown[] = [];
    for (const e of batch) pushFacts(facts, e);
    expect(facts).toHaveLength(batch.length * FACT_COUNT);
    batch.forEach((e, i) => {
      expect(windowInputFromFacts(facts, i * FACT_COUNT)).toEqual(windowInput(e));
    });
  });

  it('countFacts counts exactly like count', () => {
    const a = new Pipeline({ brandHandles: brands });
    const b = new Pipeline({ brandHandles: brands });
    a.count(batch, NOW);
    const facts: unknown[] = [];
    for (const e of batch) pushFacts(facts, e);
    const keys = b.countFacts(facts, batch, NOW);
    // One key per mention, in order: the care queue shares these strings.
    expect(keys).toEqual(batch.map((e) => mentionKey(e.source, e.id)));
    expect(b.summaries(NOW)).toEqual(a.summaries(NOW));
    expect(b.ingested).toBe(3);
    expect(b.takeRiverBatch()).toEqual(a.takeRiverBatch());
  });
});
