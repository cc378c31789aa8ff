import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessStore, openWorkerStore } from '../../server/adapters/store/worker-store';
import { FACT_COUNT, Pipeline } from '../../server/core/pipeline';
import type { BatchIngested, Store } from '../../server/ports';
import { makeMention, makeReply } from '../helpers/fixtures';
import { tempDataDir } from '../helpers/test-server';

const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });

/** The ids of the new mentions an answer counts, in order. */
const ids = (r: BatchIngested): unknown[] => r.facts.filter((_, i) => i % FACT_COUNT === 1);

describe.each([
  ['worker threads', (file: string) => openWorkerStore(file, () => {})],
  ['in process', async (file: string) => inProcessStore(file)]
])('Store.ingestMentions (%s)', (_name, open) => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  async function openStore(): Promise<Store> {
    const d = tempDataDir();
    const store = await open(join(d.dir, 'mission-control.db'));
    cleanup = async () => {
      await store.close();
      d.cleanup();
    };
    return store;
  }

  it('enriches, commits once and answers with what counting needs', async () => {
    const store = await openStore();
    const customer = makeMention({ text: 'my order never arrived, terrible' });
    const batch = [customer, makeReply(customer), makeMention({ text: 'love it' })];
    const r = await store.ingestMentions(batch, pipeline.enrichConfig, 2);
    expect(r).toMatchObject({ ok: true, items: 3, valid: 3, rejected: [], fresh: 3 });
    expect(r.lastSeq).toBeGreaterThan(0);
    expect(ids(r)).toEqual(batch.map((m) => m.id));
    expect(r.newest.map((m) => m.id)).toEqual([batch[1]!.id, batch[2]!.id]);
    expect(r.newest[0]).toMatchObject({ isBrand: true, isBrandReply: true });
    const stored = store.getMention(customer.source, customer.id);
    expect(stored).toMatchObject({ text: customer.text, intent: 'complaint' });
    expect(stored?.sentiment.label).toBe('negative');

    // The same ids again are duplicates: committed (a commit number is taken), nothing new.
    const again = await store.ingestMentions(
      [batch[2]!, makeMention({ text: 'new one' })],
      pipeline.enrichConfig,
      60
    );
    expect(again).toMatchObject({ valid: 2, fresh: 1 });
    expect(again.newest).toHaveLength(1);
    expect(again.lastSeq).toBeGreaterThan(r.lastSeq);
    const empty = await store.ingestMentions([], pipeline.enrichConfig, 60);
    expect(empty).toMatchObject({ fresh: 0, facts: [], lastSeq: 0 });
  });

  it('answers bodies and mention batches in commit order', async () => {
    const store = await openStore();
    const seqs: number[] = [];
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      const ms = Array.from({ length: 50 }, () => makeMention());
      const p =
        i % 2 === 0
          ? store.ingestMentions(ms, pipeline.enrichConfig, 60)
          : store.ingestBody(
              new TextEncoder().encode(ms.map((m) => JSON.stringify(m)).join('\n')),
              'application/x-ndjson',
              pipeline.enrichConfig,
              60
            );
      pending.push(
        p.then((r) => {
          if (!r.ok) throw new Error(r.error.message);
          seqs.push(r.lastSeq);
        })
      );
    }
    await Promise.all(pending);
    expect(seqs).toHaveLength(20);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(seqs.at(-1)).toBe(20 * 50);
  });
});
