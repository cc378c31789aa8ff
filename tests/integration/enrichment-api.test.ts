import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMention, makeReply } from '../helpers/fixtures';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer
} from '../helpers/test-server';

const TOKEN = 'test-token-0123456789abcdef';

let data: ReturnType<typeof tempDataDir>;
let server: TestServer;

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir, {
    INGEST_TOKEN: TOKEN,
    BRAND_HANDLES: '@NorthwindHelp'
  });
});

afterAll(async () => {
  await server.close();
  data.cleanup();
});

async function ingest(mentions: unknown[]): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/mentions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
    body: mentions.map((m) => JSON.stringify(m)).join('\n')
  });
  expect(res.status).toBe(202);
}

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${server.adminToken}` }
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const now = Date.now();
const breach = makeMention({
  source: 'api',
  createdAt: now - 2 * 3_600_000,
  text: 'Your app leaked my card details, this is a data breach and I am calling my lawyer',
  author: { handle: '@famous', name: 'Famous', followers: 3_000_000, verified: true }
});
const question = makeMention({
  source: 'api',
  createdAt: now - 60_000,
  text: 'How do I change the delivery address on my order?'
});
const praise = makeMention({
  source: 'api',
  createdAt: now - 30_000,
  text: 'Thank you so much, the support team was brilliant!'
});
const spanish = makeMention({
  source: 'api',
  createdAt: now - 20_000,
  lang: 'es',
  text: 'El pedido llegó tarde otra vez, qué desastre'
});
const answered = makeMention({ source: 'api', createdAt: now - 50_000 });

describe('enrichment end to end (HTTP ingest → SQLite → API)', () => {
  beforeAll(async () => {
    await ingest([
      breach,
      question,
      praise,
      spanish,
      answered,
      makeReply(answered, { createdAt: now - 10_000 })
    ]);
  });

  it('stores language, intent, topics, influence and priority with every mention', () => {
    const db = new Database(join(data.dir, 'mission-control.db'), { readonly: true });
    try {
      const rows = db
        .prepare(
          'SELECT id, language, sentiment_scored, intent, topics, influence_tier, priority FROM mentions'
        )
        .all() as Record<string, unknown>[];
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      expect(byId.get(breach.id)).toMatchObject({
        intent: 'complaint',
        influence_tier: 'celebrity'
      });
      expect(byId.get(question.id)).toMatchObject({ intent: 'question' });
      expect(String(byId.get(question.id)!.topics)).toMatch(/Delivery/);
      expect(byId.get(praise.id)).toMatchObject({ intent: 'praise' });
      expect(byId.get(spanish.id)).toMatchObject({ language: 'es', sentiment_scored: 0 });
      expect(Number(byId.get(breach.id)!.priority)).toBeGreaterThan(
        Number(byId.get(praise.id)!.priority)
      );
    } finally {
      db.close();
    }
  });

  it('ranks the triage queue by priority now, with reasons, leaving answered mentions out', async () => {
    const { status, body } = await getJson('/api/v1/triage?limit=10');
    expect(status).toBe(200);
    const items = body.items as { mention: { id: string }; priority: number; reasons: string[] }[];
    const ids = items.map((i) => i.mention.id);
    expect(ids[0]).toBe(breach.id);
    expect(ids).not.toContain(answered.id);
    expect(items[0]!.reasons.join(' ')).toMatch(/data breach|lawyer/);
    expect(items[0]!.reasons.join(' ')).toMatch(/wait/i);
    for (let i = 1; i < items.length; i++) {
      expect(items[i - 1]!.priority).toBeGreaterThanOrEqual(items[i]!.priority);
    }
  });

  it('explains a mention: sentiment tokens, intent cues, influence and priority reasons', async () => {
    const { status, body } = await getJson(
      `/api/v1/mentions/explain?source=api&id=${encodeURIComponent(praise.id)}`
    );
    expect(status).toBe(200);
    const sentiment = body.sentiment as { label: string; contributions: { text: string }[] };
    expect(sentiment.label).toBe('positive');
    expect(sentiment.contributions.map((c) => c.text)).toContain('brilliant');
    expect((body.intent as { intent: string; reasons: string[] }).intent).toBe('praise');
    expect((body.intent as { reasons: string[] }).reasons.length).toBeGreaterThan(0);
    expect(body.influence).toMatchObject({ tier: 'everyday' });
  });

  it('says why a mention in another language has no sentiment', async () => {
    const { body } = await getJson(
      `/api/v1/mentions/explain?source=api&id=${encodeURIComponent(spanish.id)}`
    );
    expect(body.sentiment).toMatchObject({ unscored: true, label: 'neutral' });
    expect(String((body.sentiment as { reason: string }).reason)).toMatch(/es/);
  });

  it('refuses bad queries with a 4xx that names the field', async () => {
    const a = await getJson('/api/v1/triage?limit=0');
    expect(a.status).toBe(400);
    expect(a.body.field).toBe('limit');
    const b = await getJson('/api/v1/mentions/explain?source=api');
    expect(b.status).toBe(400);
    expect(b.body.field).toBe('id');
    const c = await getJson('/api/v1/mentions/explain?source=api&id=nope');
    expect(c.status).toBe(404);
    const d = await getJson('/api/v1/triage?limit=5&sort=wrong');
    expect(d.status).toBe(400);
    expect(String(d.body.error)).toMatch(/sort/);
  });

  it('puts top topics on the wall: in the snapshot and on ticks', async () => {
    const client = connectClient(server.url);
    try {
      const snapshot = await nextEvent(client, 'wall:snapshot');
      expect(snapshot.topics.windowMs).toBe(15 * 60_000);
      expect(snapshot.topics.configured.map((t) => t.name).join(' ')).toMatch(/Delivery/);
      const tick = await waitFor(async () => {
        const t = await nextEvent(client, 'wall:tick');
        return t.topics ? t : null;
      }, 10_000);
      expect(tick!.topics!.configured.length).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });

  it('lists hidden influencers: a small account drawing many replies', async () => {
    const small = makeMention({
      source: 'api',
      text: 'Northwind lost my parcel',
      author: { handle: '@tiny', name: 'Tiny', followers: 40, verified: false }
    });
    const replies = Array.from({ length: 30 }, (_, i) =>
      makeMention({
        source: 'api',
        inReplyToId: small.id,
        text: 'same here, mine too',
        author: { handle: `@fan${i}`, name: `Fan ${i}`, followers: 100, verified: false }
      })
    );
    await ingest([small]);
    await ingest(replies);
    const { body } = await getJson('/api/v1/influencers/hidden');
    const authors = body.authors as { handle: string; engagement: number }[];
    expect(authors.map((a) => a.handle)).toContain('tiny');
    expect(authors.find((a) => a.handle === 'tiny')!.engagement).toBe(30);
  });
});
