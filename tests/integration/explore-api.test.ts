import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExploreMention, Mention } from '../../src/lib/shared/types';
import { makeMention, makeReply } from '../helpers/fixtures';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/test-server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let server: TestServer;
let data: { dir: string; cleanup: () => void };
const now = Date.now();
const from = now - 2 * DAY;
const to = now + 60_000;

async function get(
  path: string,
  token = server.adminToken
): Promise<{ status: number; body: Record<string, unknown>; text: string; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {}
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // CSV
  }
  return { status: res.status, body, text, headers: res.headers };
}

const range = `from=${from}&to=${to}`;

/** The seeded conversation: a complaint, the brand's reply 7 minutes later, a thank-you. */
const complaint = makeMention({
  id: 'c-1',
  source: 'test',
  channel: 'twitter',
  createdAt: now - 3 * HOUR,
  text: 'My X200 charger melted overnight, fire risk! Contoso never did this',
  author: { handle: '@dana', name: 'Dana', followers: 250_000, verified: true },
  geo: { lat: 48.85, lon: 2.35, country: 'FR' }
});
const reply = makeReply(complaint, { id: 'r-1', createdAt: now - 3 * HOUR + 7 * 60_000 });
const thanks = makeMention({
  id: 't-1',
  source: 'test',
  createdAt: now - 2 * HOUR,
  text: 'Thanks for sorting it out so fast',
  author: { handle: '@dana', name: 'Dana', followers: 250_000, verified: true },
  inReplyToId: 'r-1'
});

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir);
  const put = await fetch(`${server.url}/api/v1/settings/tracking`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      brand: { name: 'Northwind', handles: ['@NorthwindHelp'] },
      competitors: [
        { name: 'Contoso', keywords: [], handles: [] },
        { name: 'Fabrikam', keywords: ['fabrikam'], handles: [] }
      ]
    })
  });
  expect(put.status).toBe(200);
  const filler: Mention[] = [];
  for (let i = 0; i < 240; i++) {
    filler.push(
      makeMention({
        id: `f-${i}`,
        source: 'test',
        channel: i % 3 === 0 ? 'reddit' : 'twitter',
        createdAt: now - (i + 1) * 10 * 60_000,
        text:
          i % 10 === 0
            ? `=HYPERLINK("http://evil.example") Fabrikam's delivery was late again ${i}`
            : `Order ${i} arrived, all good with the delivery`,
        geo: i % 4 === 0 ? { lat: 40.7, lon: -74, country: 'US' } : null
      })
    );
  }
  await server.source.push([complaint, ...filler]);
  await server.source.push([reply]);
  await server.source.push([thanks]);
  // Text search sees what the background indexer has indexed: catch up now (not the cube: a
  // test below compares raw counts with the cube's).
  await server.app.refreshIndexes({ cube: false });
}, 60_000);

afterAll(async () => {
  await server.close();
  data.cleanup();
});

describe('GET /api/v1/mentions', () => {
  it('pages newest first with a cursor until the end, no mention twice', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(`/api/v1/mentions?${range}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      const items = r.body.items as ExploreMention[];
      for (let i = 1; i < items.length; i++) {
        expect(items[i]!.createdAt).toBeLessThanOrEqual(items[i - 1]!.createdAt);
      }
      seen.push(...items.map((m) => m.id));
      cursor = r.body.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(243);
    expect(new Set(seen).size).toBe(243);
    expect(pages).toBe(5);
  });

  it.each([
    ['channel', 'channel=reddit', (m: ExploreMention) => m.channel === 'reddit', 80],
    [
      'full text, with a phrase',
      'q=%22charger%20melted%22',
      (m: ExploreMention) => m.id === 'c-1',
      1
    ],
    [
      'full text, accent- and case-blind',
      'q=DELIVERY',
      (m: ExploreMention) => /delivery/i.test(m.text),
      240
    ],
    ['answered', 'answered=true', (m: ExploreMention) => m.id === 'c-1', 1],
    ['author', 'author=dana', (m: ExploreMention) => m.author.handle === '@dana', 2],
    [
      'a competitor',
      'competitor=Fabrikam',
      (m: ExploreMention) => m.competitors.includes('Fabrikam'),
      24
    ],
    ['about competitors', 'about=competitor', (m: ExploreMention) => m.competitors.length > 0, 25]
  ])('filters by %s', async (_name, query, check, count) => {
    const r = await get(`/api/v1/mentions?${range}&${query}&limit=500`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const items = r.body.items as ExploreMention[];
    expect(items).toHaveLength(count);
    expect(items.every(check)).toBe(true);
  });

  it('refuses bad filters naming the field, and viewers', async () => {
    for (const [q, field] of [
      ['channel=myspace', 'channel'],
      ['cursor=forged', 'cursor'],
      ['limit=0', 'limit'],
      ['colour=red', 'colour']
    ]) {
      const r = await get(`/api/v1/mentions?${range}&${q}`);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(field);
    }
    expect((await get(`/api/v1/mentions?to=1`)).body.field).toBe('from');
    // Anonymous loopback readers are viewers: exploring stored mentions needs a manager.
    expect((await get(`/api/v1/mentions?${range}`, '')).status).toBe(401);
  });
});

describe('aggregates', () => {
  it('volume by channel adds up to the total, and the cube gives the same answer as raw rows', async () => {
    const raw = await get(`/api/v1/explore/volume?from=${now - 13 * DAY}&to=${to}&by=channel`);
    expect(raw.status).toBe(200);
    expect(raw.body.bucketMs).toBe(HOUR);
    expect(raw.body.total).toBe(243);
    const sum = (raw.body.series as { counts: number[] }[]).reduce(
      (a, s) => a + s.counts.reduce((x, y) => x + y, 0),
      0
    );
    expect(sum).toBe(243);
    const variants = [
      'by=channel',
      'by=topic',
      `by=sentiment&topic=${encodeURIComponent('Delivery & shipping')}`,
      'by=topic&channel=twitter'
    ];
    const before = await Promise.all(
      variants.map((v) => get(`/api/v1/explore/volume?from=${now - 13 * DAY}&to=${to}&${v}`))
    );
    await server.app.refreshIndexes();
    const cubed = await get(`/api/v1/explore/volume?from=${now - 13 * DAY}&to=${to}&by=channel`);
    expect(cubed.body).toEqual(raw.body);
    // The topic cube answers topic series and topic filters exactly as the raw rows did.
    for (const [i, v] of variants.entries()) {
      const after = await get(`/api/v1/explore/volume?from=${now - 13 * DAY}&to=${to}&${v}`);
      expect(after.body, v).toEqual(before[i]!.body);
    }
    expect((before[1]!.body.series as unknown[]).length).toBeGreaterThan(0);
    expect(before[2]!.body.total).toBeGreaterThan(0);
    const filtered = await get(
      `/api/v1/explore/volume?from=${now - 13 * DAY}&to=${to}&by=sentiment&channel=reddit`
    );
    expect(filtered.body.total).toBe(80);
  });

  it('answered and unanswered counts agree between the cubes and the raw rows, however replies arrive', async () => {
    // Forty days back, away from the other tests' ranges; on whole hours so the cubes answer.
    const base = Math.floor((now - 40 * DAY) / HOUR) * HOUR;
    const customer = (
      id: string,
      at: number,
      text = 'A quick question about my account'
    ): Mention => makeMention({ id, source: 'ans', channel: 'twitter', createdAt: at, text });
    const a = customer('a', base + 5 * 60_000);
    const b = customer('b', base + 10 * 60_000, 'My delivery is late and the courier lost it');
    const c = customer('c', base + HOUR + 5 * 60_000, 'My delivery never came');
    const d = customer('d', base + HOUR + 9 * 60_000);
    const e = customer('e', base + 2 * HOUR + 1_000);
    // A's reply is committed before the cubes count A; B's after; E's before E itself is stored
    // (an import out of order); C gets two replies and D none.
    await server.source.push([a, b, c, d]);
    await server.source.push([makeReply(a, { id: 'ra', createdAt: a.createdAt + 60_000 })]);
    await server.source.push([
      makeReply(c, { id: 'rc1', createdAt: c.createdAt + 60_000 }),
      makeReply(c, { id: 'rc2', createdAt: c.createdAt + 120_000 })
    ]);
    await server.app.refreshIndexes();
    await server.source.push([makeReply(b, { id: 'rb', createdAt: b.createdAt + 60_000 })]);
    await server.source.push([makeReply(e, { id: 're', createdAt: e.createdAt + 60_000 })]);
    await server.source.push([e]);
    // The text index's job (seconds) marks E answered; the cubes have not counted E yet.
    await server.app.refreshIndexes({ cube: false });
    const span = `from=${base}&to=${base + 3 * HOUR}`;
    const volume = async (q: string, r = span): Promise<Record<string, unknown>> =>
      (await get(`/api/v1/explore/volume?${r}&${q}`)).body;
    const ranges = {
      // Hour buckets over four days: whole hours come from the cubes.
      cube: `from=${base - DAY}&to=${base + 3 * DAY}`,
      // Minute buckets over three hours: raw rows.
      raw: span
    };
    const variants = [
      'answered=true',
      'answered=false',
      'answered=true&by=topic',
      'answered=false&by=sentiment',
      `answered=true&topic=${encodeURIComponent('Delivery & shipping')}`
    ];
    const expected = [4, 1, null, 1, 2];
    const before: Record<string, unknown>[] = [];
    for (const [i, v] of variants.entries()) {
      const raw = await volume(v, ranges.raw);
      const cubed = await volume(v, ranges.cube);
      expect(cubed.total, v).toBe(raw.total);
      if (expected[i] !== null) expect(raw.total, v).toBe(expected[i]);
      before.push(cubed);
    }
    // After the cube job has run again (E counted with its early answer): the same answers.
    await server.app.refreshIndexes();
    for (const [i, v] of variants.entries()) {
      expect(await volume(v, ranges.cube), v).toEqual(before[i]);
    }
    // The list says which ones are answered.
    const page = await get(`/api/v1/mentions?${span}`);
    const answered = Object.fromEntries(
      (page.body.items as ExploreMention[])
        .filter((m) => m.source === 'ans' && m.id.length === 1)
        .map((m) => [m.id, m.answered])
    );
    expect(answered).toEqual({ a: true, b: true, c: true, d: false, e: true });
  });

  it('brand and competitor volumes split the total, bucket by bucket', async () => {
    const q = `from=${now - 13 * DAY}&to=${to}&by=channel`;
    const all = (await get(`/api/v1/explore/volume?${q}`)).body;
    const brand = (await get(`/api/v1/explore/volume?${q}&about=brand`)).body;
    const rivals = (await get(`/api/v1/explore/volume?${q}&about=competitor`)).body;
    expect(rivals.total).toBeGreaterThan(0);
    expect(brand.total).toBe((all.total as number) - (rivals.total as number));
    type S = { key: string; counts: number[] }[];
    for (const s of all.series as S) {
      const b = (brand.series as S).find((x) => x.key === s.key)!.counts;
      const r = (rivals.series as S).find((x) => x.key === s.key)?.counts;
      expect(s.counts.map((n, i) => n - (r?.[i] ?? 0))).toEqual(b);
    }
    // The same as listing the brand's mentions one by one.
    const listed = await get(
      `/api/v1/mentions?from=${now - 13 * DAY}&to=${to}&about=brand&limit=500`
    );
    expect((listed.body.items as unknown[]).length).toBe(brand.total);
  });

  it('volume by topic and in minute buckets over a short range', async () => {
    const r = await get(`/api/v1/explore/volume?from=${now - 5 * HOUR}&to=${to}&by=topic`);
    expect(r.body.bucketMs).toBe(60_000);
    expect((r.body.series as { key: string }[]).length).toBeGreaterThan(0);
  });

  it('top topics, terms and authors', async () => {
    const r = await get(`/api/v1/explore/top?${range}`);
    const terms = (r.body.terms as { term: string }[]).map((t) => t.term);
    expect(terms).toContain('delivery');
    expect(terms).not.toContain('the');
    const authors = r.body.authors as { handle: string; count: number }[];
    expect(authors[0]).toMatchObject({ handle: '@dana', count: 2 });
  });

  it('geo points and countries of located mentions', async () => {
    const r = await get(`/api/v1/explore/geo?${range}`);
    expect(r.body).toMatchObject({ located: 61, total: 243 });
    expect(r.body.countries).toEqual([
      { country: 'US', count: 60 },
      { country: 'FR', count: 1 }
    ]);
    expect(r.body.points).toContainEqual({ lat: 49, lon: 2, count: 1, negative: 1 });
  });

  it('compares with the same range a week earlier and gives share of voice', async () => {
    const r = await get(`/api/v1/explore/compare?${range}`);
    expect(r.body).toMatchObject({ previous: { total: 0 }, previousFrom: from - 7 * DAY });
    expect((r.body.current as { total: number }).total).toBe(243);
    const sov = r.body.shareOfVoice as { name: string; count: number; share: number }[];
    expect(sov.map((s) => [s.name, s.count])).toEqual([
      ['brand', 218],
      ['Contoso', 1],
      ['Fabrikam', 24]
    ]);
    expect(sov.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1);
  });
});

describe('detail and export', () => {
  it('a mention with its author, thread and response time, and why it was enriched so', async () => {
    const r = await get('/api/v1/mentions/test/r-1');
    expect(r.status).toBe(200);
    const thread = r.body.thread as { mention: ExploreMention; responseMs: number | null }[];
    expect(thread.map((t) => t.mention.id)).toEqual(['c-1', 'r-1', 't-1']);
    expect(thread[1]!.responseMs).toBe(7 * 60_000);
    expect(thread[0]!.mention.answered).toBe(true);
    const author = r.body.author as { handle: string };
    expect(author.handle).toBe('@NorthwindHelp');
    const c = await get('/api/v1/mentions/test/c-1');
    expect((c.body.author as { recent: ExploreMention[] }).recent.map((m) => m.id)).toEqual([
      't-1',
      'c-1'
    ]);
    expect(c.body.explain).toMatchObject({ intent: { intent: 'complaint' } });
    expect((await get('/api/v1/mentions/test/nope')).status).toBe(404);
  });

  it('text search finds a mention right after it arrives, and forgets pruned ones', async () => {
    await server.source.push([
      makeMention({ id: 'late-1', source: 'test', text: 'zanzibar outage right now' }),
      makeMention({
        id: 'old-1',
        source: 'test',
        createdAt: now - 100 * DAY,
        text: 'zanzibar outage long ago'
      })
    ]);
    // Not indexed by the background job yet: the search indexes the small backlog first.
    const wide = `from=${now - 120 * DAY}&to=${to}`;
    expect(
      ((await get(`/api/v1/mentions?${wide}&q=zanzibar`)).body.items as ExploreMention[]).map(
        (m) => m.id
      )
    ).toEqual(['late-1', 'old-1']);
    // Retention (90 days by default) deletes the old one from the table and the index.
    expect(await server.app.prune()).toBe(1);
    expect(
      ((await get(`/api/v1/mentions?${wide}&q=zanzibar`)).body.items as ExploreMention[]).map(
        (m) => m.id
      )
    ).toEqual(['late-1']);
  });

  it('streams CSV for any filter, formulas neutralised', async () => {
    const r = await get(`/api/v1/mentions/export.csv?${range}&channel=reddit`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="mentions-/);
    const lines = r.text.trim().split('\n');
    expect(lines[0]).toBe(
      'created_at,source,id,channel,author_handle,author_name,followers,text,sentiment,score,intent,language,topics,influence_tier,priority,answered,url'
    );
    expect(lines).toHaveLength(81);
    expect(r.text).toContain(`"'=HYPERLINK(""http://evil.example"")`);
    expect(r.text).not.toMatch(/,=HYPERLINK/);
  });
});
