import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, rowChunks } from '../../server/adapters/store/sqlite-store';
import { inProcessStore, openWorkerStore } from '../../server/adapters/store/worker-store';
import { CHUNK_VALUES } from '../../server/core/flat-rows';
import { enrich, enrichContext, FACT_COUNT, Pipeline } from '../../server/core/pipeline';
import type { BatchIngested, Store } from '../../server/ports';
import type { EnrichedMention } from '../../src/lib/shared/types';
import { makeMention, makeReply } from '../helpers/fixtures';
import { tempDataDir } from '../helpers/test-server';

const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });

/** The ids of the new mentions an answer counts, in order. */
const ids = (r: BatchIngested): unknown[] => r.facts.flat().filter((_, i) => i % FACT_COUNT === 1);

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

  it("gives each new row its seq and a reply its customer mention's seq", async () => {
    const store = await openStore();
    const refs = (r: BatchIngested): [unknown, unknown][] =>
      ids(r).map((_, i) => {
        const f = r.facts.flat();
        return [f[i * FACT_COUNT + 16], f[i * FACT_COUNT + 17]];
      });
    const customer = makeMention({ text: 'where is my order' });
    const post = makeMention({
      author: { handle: '@NorthwindHelp', name: 'Northwind', followers: 50_000, verified: true }
    });
    const first = await store.ingestMentions(
      [customer, makeReply(customer), post],
      pipeline.enrichConfig,
      60
    );
    const [c, reply, p] = refs(first);
    // Seqs increase in commit order; a brand reply in the same batch names its customer mention.
    expect(c![0]).toBeGreaterThan(0);
    expect(reply).toEqual([(c![0] as number) + 1, c![0]]);
    expect(p).toEqual([(c![0] as number) + 2, 0]);
    const later = await store.ingestMentions(
      [
        makeReply(customer), // a second brand reply, in a later batch: still names it
        makeMention({ inReplyToId: customer.id }), // another customer's reply (hidden influencers)
        makeReply(post), // the brand answering itself: not a customer mention, 0
        makeMention({ inReplyToId: 'never-stored' }),
        makeMention({ source: 'elsewhere', inReplyToId: customer.id }) // ids are per source
      ],
      pipeline.enrichConfig,
      60
    );
    expect(refs(later).map(([, parent]) => parent)).toEqual([c![0], c![0], 0, 0, 0]);
    expect(refs(later).map(([seq]) => seq)).toEqual(
      [3, 4, 5, 6, 7].map((k) => (c![0] as number) + k)
    );
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

  it('carries thousands of rows in chunks under V8 large-object size, in order', async () => {
    const store = await openStore();
    const batch = Array.from({ length: 2_500 }, (_, i) =>
      makeMention({ text: `mention ${i}`, createdAt: Date.now() - 60_000 + i })
    );
    const body = new TextEncoder().encode(batch.map((m) => JSON.stringify(m)).join('\n'));
    const r = await store.ingestBody(body, 'application/x-ndjson', pipeline.enrichConfig, 60);
    if (!r.ok) throw new Error(r.error.message);
    expect(r).toMatchObject({ valid: 2_500, fresh: 2_500 });
    expect(r.facts.length).toBeGreaterThan(1);
    for (const f of r.facts) {
      expect(f.length % FACT_COUNT).toBe(0);
      expect(f.length).toBeLessThanOrEqual(CHUNK_VALUES);
    }
    expect(ids(r)).toEqual(batch.map((m) => m.id));
    expect(r.newest.map((m) => m.id)).toEqual(batch.slice(-60).map((m) => m.id));
    expect(store.getMention(batch[2_499]!.source, batch[2_499]!.id)?.text).toBe('mention 2499');
  });
});

describe('group commits and checkpoints', () => {
  const ctx = enrichContext(['@NorthwindHelp'], undefined);
  const rows = (ms: readonly ReturnType<typeof makeMention>[]): unknown[][] =>
    rowChunks(ms.map((m) => enrich(m, ctx)));

  it('insertGroups commits several batches at once, each with its own flags', () => {
    const d = tempDataDir();
    const store = openSqliteStore(join(d.dir, 'g.db'));
    try {
      const [a, b, c] = [makeMention(), makeMention(), makeMention()];
      // The second batch repeats a mention of the first: a duplicate within the same commit.
      const results = store.insertGroups([rows([a!, b!]), rows([b!, c!]), []]);
      expect(results.map((r) => [...r.flags])).toEqual([[1, 1], [0, 1], []]);
      expect(results.map((r) => r.lastSeq)).toEqual([2, 3, 0]);
      expect(store.getMention(c!.source, c!.id)?.text).toBe(c!.text);
      // All or nothing: a batch that cannot be stored rolls back the whole group.
      const bad = rows([makeMention()]);
      bad[0]![4] = { text: 'not a string' }; // a value SQLite cannot bind
      const good = makeMention();
      expect(() => store.insertGroups([rows([good]), bad])).toThrow(/parameter/);
      expect(store.getMention(good.source, good.id)).toBeNull();
    } finally {
      store.close();
      d.cleanup();
    }
  });

  it('the writer thread answers concurrent batches in order, a bad one failing alone', async () => {
    const d = tempDataDir();
    const store = await openWorkerStore(join(d.dir, 'mission-control.db'), () => {});
    try {
      const e = (): EnrichedMention => enrich(makeMention(), ctx);
      const shared = e();
      const batches = Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0 ? [shared, e()] : [e(), e()]
      );
      const bad = { ...e(), text: { not: 'a string' } } as unknown as EnrichedMention;
      // All sent before any is answered, so the writer receives them together.
      const sent = batches.map((b) => store.insertMentions(b));
      const failed = store.insertMentions([bad]).then(
        () => 'stored',
        (e: Error) => e.message
      );
      const after = store.insertMentions([e()]);
      const results = await Promise.all(sent);
      expect(results.map((r) => r.fresh.length)).toEqual(
        batches.map((_, i) => (i === 0 ? 2 : i % 3 === 0 ? 1 : 2))
      );
      const seqs = results.map((r) => r.lastSeq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(await failed).toMatch(/parameter/);
      expect((await after).fresh).toHaveLength(1);
      // A setting sent after inserts is committed after them.
      const last = store.insertMentions([e()]);
      await store.putSetting('probe', { ok: true }, 1);
      expect((await last).lastSeq).toBeGreaterThan((await after).lastSeq);
    } finally {
      await store.close();
      d.cleanup();
    }
  });

  it('the checkpoint thread copies committed rows into the database file', async () => {
    const d = tempDataDir();
    const file = join(d.dir, 'mission-control.db');
    const warnings: string[] = [];
    const store = await openWorkerStore(
      file,
      () => {},
      (w) => warnings.push(w)
    );
    try {
      const ms = Array.from({ length: 500 }, () => enrich(makeMention(), ctx));
      await store.insertMentions(ms);
      // The writer itself checkpoints only past 5,000 WAL pages; this batch is far below that,
      // so rows reach the main file only through the checkpoint thread (every 500 ms).
      let inFile = 0;
      for (let i = 0; i < 40 && inFile < ms.length; i++) {
        await new Promise((r) => setTimeout(r, 100));
        // A copy of the database file alone, without its WAL: what has been checkpointed.
        const copy = join(d.dir, `copy-${i}.db`);
        copyFileSync(file, copy);
        const db = new Database(copy, { readonly: true });
        try {
          // Before the first checkpoint the file does not even hold the schema yet.
          const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'mentions'").get();
          inFile = table
            ? (db.prepare('SELECT COUNT(*) AS n FROM mentions').get() as { n: number }).n
            : 0;
        } catch (err) {
          // A copy taken while a checkpoint was writing the file can be torn (its header ahead
          // of its pages): read again at the next try. The last copy must be whole.
          const code = (err as { code?: string }).code;
          if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') throw err;
        } finally {
          db.close();
        }
      }
      expect(warnings).toEqual([]);
      expect(inFile).toBe(ms.length);
    } finally {
      await store.close();
      d.cleanup();
    }
  });
});
