import { describe, expect, it } from 'vitest';
import type { Mention } from '../../src/lib/shared/types';
import {
  MENTION_VALUE_COUNT,
  mentionsFromValues,
  pushMention
} from '../../server/adapters/store/body-ingest';
import {
  ANSWER_FACT_COUNT,
  commitAnswer,
  FACT_TABLE_COLUMNS
} from '../../server/adapters/store/commit-answer';
import {
  COLUMN_COUNT,
  rowValues,
  ROW_TABLE_COLUMNS,
  type InsertedRows
} from '../../server/adapters/store/sqlite-store';
import { tableColumns, untableColumns } from '../../server/adapters/store/string-table';
import { StringTable } from '../../server/core/string-table';
import { FACT_COUNT, Pipeline, pushFacts } from '../../server/core/pipeline';
import { makeMention, makeReply } from '../helpers/fixtures';

const NOW = 1_800_000_000_000;

/** Mentions that exercise every field: geo with and without country, unscored, topics, replies. */
function variety(): Mention[] {
  const customer = makeMention({
    createdAt: NOW - 60_000,
    text: 'My order never arrived and I was charged twice, the app keeps crashing',
    geo: { lat: 51.5, lon: -0.12, country: 'GB' },
    url: 'https://x.example/status/1'
  });
  return [
    customer,
    makeReply(customer, { createdAt: NOW - 30_000, geo: { lat: -33.9, lon: 151.2 } }),
    makeMention({ lang: 'ja', text: '注文がまだ届きません', channel: 'bluesky' }),
    makeMention({
      text: 'love it, thanks!',
      author: { handle: '@Star', name: 'Star', followers: 2_500_000, verified: true },
      lang: null
    }),
    makeMention({ text: '', inReplyToId: 'someone-else' })
  ];
}

describe('flat mentions across threads (pushMention)', () => {
  it('round-trip through a structured clone, field for field', () => {
    const ms = variety();
    const values: unknown[] = [];
    const table = new StringTable();
    for (const m of ms) pushMention(values, m, table);
    expect(values).toHaveLength(ms.length * MENTION_VALUE_COUNT);
    // Source, channel, lang and country travel as indexes: 'test', 'twitter', 'en', 'GB', …
    expect(table.strings.length).toBeLessThan(10);
    const copy = structuredClone({ values, strings: table.strings });
    expect(mentionsFromValues(copy.values, copy.strings)).toEqual(ms);
  });
});

/**
 * What the store answers for rows inserted with these 0/1 flags: new rows get seqs from 100 up,
 * and the reply (row 1) names the customer mention (row 0) it answers when both are new.
 */
function inserted(flags: Uint8Array, lastSeq: number): InsertedRows {
  const refs = new Float64Array(2 * flags.length);
  let seq = 100;
  flags.forEach((f, i) => {
    if (f === 1) refs[2 * i] = seq++;
  });
  if (flags[1] === 1) refs[3] = refs[0]!;
  return { flags, lastSeq, refs };
}

/** Flat values cut into chunks of `rows` whole rows of `width` values. */
function split(values: readonly unknown[], width: number, rows: number): unknown[][] {
  const out: unknown[][] = [];
  for (let o = 0; o < values.length; o += rows * width) out.push(values.slice(o, o + rows * width));
  return out;
}

// The same answers whether a batch's rows arrive in one chunk or across several (flat-rows.ts).
describe.each([
  ['one chunk', 5],
  ['chunks of two rows', 2],
  ['a row per chunk', 1]
])('commitAnswer: what counting needs, built from committed row values (%s)', (_, perChunk) => {
  const p = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  const enriched = p.enrichBatch(variety());
  const flat: unknown[] = [];
  for (const e of enriched) flat.push(...rowValues(e));
  const values = split(flat, COLUMN_COUNT, perChunk);

  it('has the layout of pushFacts, value for value', () => {
    expect(ANSWER_FACT_COUNT).toBe(FACT_COUNT);
    expect(values.flat()).toHaveLength(enriched.length * COLUMN_COUNT);
    expect(values).toHaveLength(Math.ceil(enriched.length / perChunk));
    expect(enriched.some((e) => e.topics.length > 1)).toBe(true);
    expect(enriched.some((e) => e.sentiment.unscored)).toBe(true);
    const flags = Uint8Array.from(enriched.map((_, i) => (i === 2 ? 0 : 1)));
    const ins = inserted(flags, 42);
    const r = commitAnswer(values, ins, { items: 7, rejected: [], riverSize: 60 });
    const facts: unknown[] = [];
    enriched.forEach((e, i) => {
      if (flags[i] === 1) pushFacts(facts, e, ins.refs[2 * i], ins.refs[2 * i + 1]);
    });
    expect(r.facts.flat()).toEqual(facts);
    // The reply carries its own seq and its customer mention's.
    expect(r.facts.flat().slice(FACT_COUNT + 16, 2 * FACT_COUNT)).toEqual([101, 100]);
    expect(r).toMatchObject({ ok: true, items: 7, valid: enriched.length, fresh: 4, lastSeq: 42 });
  });

  it('returns the new ones among the last riverSize in full, in order', () => {
    const flags = Uint8Array.from(enriched.map((_, i) => (i === 3 ? 0 : 1)));
    const r = commitAnswer(values, inserted(flags, 9), { items: 5, rejected: [], riverSize: 3 });
    expect(r.newest).toEqual([enriched[2], enriched[4]]);
    const all = commitAnswer(values, inserted(new Uint8Array(5).fill(1), 9), {
      items: 5,
      rejected: [],
      riverSize: 60
    });
    expect(all.newest).toEqual(enriched);
  });

  it('counts exactly like counting the enriched mentions', () => {
    const a = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
    const b = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
    a.count(enriched, NOW);
    const r = commitAnswer(values, inserted(new Uint8Array(5).fill(1), 5), {
      items: 5,
      rejected: [],
      riverSize: 60
    });
    b.countFacts(r.facts, r.newest, NOW);
    expect(b.summaries(NOW)).toEqual(a.summaries(NOW));
    expect(b.topTopics(NOW)).toEqual(a.topTopics(NOW));
    expect(b.takeRiverBatch()).toEqual(a.takeRiverBatch());
    // The reply was timed on both sides: the store's seqs and count's own references agree.
    expect(b.summary('1h', NOW).responseTime.count).toBe(1);
  });

  it('sends few-valued columns as table indexes and gets the same rows and facts back', () => {
    const rows = structuredClone(values);
    const strings = tableColumns(rows, COLUMN_COUNT, ROW_TABLE_COLUMNS);
    expect(rows).not.toEqual(values);
    expect(strings.length).toBeLessThan(flat.length / 4);
    untableColumns(rows, COLUMN_COUNT, ROW_TABLE_COLUMNS, strings);
    expect(rows).toEqual(values);

    const ins = inserted(new Uint8Array(5).fill(1), 3);
    const meta = { items: 5, rejected: [], riverSize: 60 };
    const table = new StringTable();
    const r = commitAnswer(values, ins, meta, table);
    untableColumns(r.facts, ANSWER_FACT_COUNT, FACT_TABLE_COLUMNS, table.strings);
    expect(r).toEqual(commitAnswer(values, ins, meta));
  });
});
