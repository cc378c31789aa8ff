import { describe, expect, it } from 'vitest';
import {
  FACT_COUNT,
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

  /** The store's seqs for the batch: 7, 8, 9, with the reply (8) answering the customer (7). */
  const seqs = [
    [7, 0],
    [8, 7],
    [9, 0]
  ] as const;
  const factsOf = (): unknown[] => {
    const facts: unknown[] = [];
    batch.forEach((e, i) => pushFacts(facts, e, seqs[i]![0], seqs[i]![1]));
    return facts;
  };

  it('round-trips every field the windows use, row seqs included', () => {
    const facts = factsOf();
    expect(facts).toHaveLength(batch.length * FACT_COUNT);
    batch.forEach((e, i) => {
      expect(windowInputFromFacts(facts, i * FACT_COUNT)).toEqual(
        windowInput(e, seqs[i]![0], seqs[i]![1])
      );
    });
  });

  it('countFacts counts exactly like count', () => {
    const a = new Pipeline({ brandHandles: brands });
    const b = new Pipeline({ brandHandles: brands });
    a.count(batch, NOW);
    // In chunks of whole rows, as the store answers: here one row, then two.
    const facts = factsOf();
    b.countFacts([facts.slice(0, FACT_COUNT), facts.slice(FACT_COUNT)], batch, NOW);
    expect(b.summaries(NOW)).toEqual(a.summaries(NOW));
    // The brand reply is matched to its customer mention by seq: one first response, 30 s.
    expect(b.summary('1h', NOW).responseTime.count).toBe(1);
    expect(b.windows.pendingCount).toBe(1);
    expect(b.ingested).toBe(3);
    expect(b.takeRiverBatch()).toEqual(a.takeRiverBatch());
  });
});
