import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMention } from '../helpers/fixtures';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/test-server';

const TOKEN = 'fuzz-token-0123456789abcdef';
const COUNT = 1000;

/** A seeded PRNG: the same 1,000 payloads on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Payload {
  kind: string;
  body: Buffer;
  contentType: string;
}

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -1,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER * 10,
  '',
  'x'.repeat(20_000),
  [],
  {},
  { $gt: '' },
  '<script>alert(1)</script>',
  '\u0000\u0001',
  ['nested', ['deeper']]
];
const FIELDS = [
  'id',
  'source',
  'channel',
  'createdAt',
  'text',
  'author',
  'lang',
  'url',
  'inReplyToId',
  'geo'
];

/** Builds one hostile payload: each kind is malformed in a way a careless parser would trip on. */
function hostile(random: () => number, i: number): Payload {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const json = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
  const base = makeMention({ id: `fuzz-${i}` }) as unknown as Record<string, unknown>;
  const kinds: (() => Payload)[] = [
    () => {
      const text = JSON.stringify(base);
      return {
        kind: 'truncated',
        body: json(text.slice(0, Math.floor(random() * (text.length - 1)))),
        contentType: 'application/json'
      };
    },
    () => {
      // A value of a type the field cannot hold (valid text may be anything, so types differ).
      const field = pick(['id', 'source', 'channel', 'createdAt', 'text', 'author', 'geo']);
      const wrong: Record<string, unknown[]> = {
        id: [null, 1, [], {}, ''],
        source: [null, 2, [], {}, ''],
        channel: ['myspace', 3, null, [], 'TWITTER'],
        createdAt: [null, [], {}, true, 'soon'],
        text: [null, 4, [], {}, false],
        author: [null, 'me', 5, [], { handle: 6 }],
        geo: ['here', 7, [], { lat: 'x', lon: 0 }, { lat: 100, lon: 0 }]
      };
      return {
        kind: 'wrong type',
        body: json({ ...base, [field]: pick(wrong[field]!) }),
        contentType: 'application/json'
      };
    },
    () => {
      const copy = { ...base };
      delete copy[pick(FIELDS.filter((f) => !['lang', 'url', 'inReplyToId', 'geo'].includes(f)))];
      return { kind: 'missing field', body: json(copy), contentType: 'application/json' };
    },
    () => ({
      kind: 'huge string',
      body: json({ ...base, text: 'A'.repeat(10_001 + Math.floor(random() * 50_000)) }),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'deep nesting',
      body: json('['.repeat(5_000 + Math.floor(random() * 100_000))),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'deep object',
      body: json('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'invalid utf-8',
      body: Buffer.concat([json('{"id":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), json('"}')]),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'proto pollution',
      body: json(
        `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"id":"p${i}"}`
      ),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'proto in author',
      body: json(
        JSON.stringify(base).replace('"author":{', '"author":{"__proto__":{"isAdmin":true},')
      ),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'scalar',
      body: json(JSON.stringify(pick(HOSTILE_VALUES))),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'array of garbage',
      body: json(Array.from({ length: 1 + Math.floor(random() * 20) }, () => pick(HOSTILE_VALUES))),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'ndjson garbage',
      body: json(
        Array.from({ length: 1 + Math.floor(random() * 20) }, () =>
          pick(['{', 'null', '[]', '"x"', '{"id":1}', '\u0000'])
        ).join('\n')
      ),
      contentType: 'application/x-ndjson'
    }),
    () => ({
      kind: 'bad date',
      body: json({
        ...base,
        createdAt: pick(['yesterday', '2026-13-45T99:00:00Z', -5, 'NaN', ''])
      }),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'bad url',
      body: json({
        ...base,
        url: pick(['javascript:alert(1)', 'data:text/html,x', 'not a url', 'https://'])
      }),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'extra keys',
      body: json({ ...base, admin: true }),
      contentType: 'application/json'
    }),
    () => ({
      kind: 'content type',
      body: json(base),
      contentType: pick([
        'text/plain',
        'application/xml',
        'multipart/form-data',
        'application/jsonx'
      ])
    }),
    () => ({
      kind: 'random bytes',
      body: Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 2000) }, () => Math.floor(random() * 256))
      ),
      contentType: pick(['application/json', 'application/x-ndjson'])
    })
  ];
  return kinds[i % kinds.length]!();
}

let data: ReturnType<typeof tempDataDir>;
let server: TestServer;

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir, { INGEST_TOKEN: TOKEN });
});

afterAll(async () => {
  await server.close();
  data.cleanup();
});

describe('ingest fuzz', () => {
  it(`answers ${COUNT} hostile payloads with a 4xx that says why, stores nothing, and stays up`, async () => {
    const random = rng(20261123);
    const statuses = new Map<number, number>();
    const kinds = new Set<string>();
    for (let i = 0; i < COUNT; i++) {
      const p = hostile(random, i);
      kinds.add(p.kind);
      const res = await fetch(`${server.url}/api/v1/mentions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': p.contentType },
        body: new Uint8Array(p.body)
      });
      const body = (await res.json()) as { error?: string };
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${p.kind} #${i}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${p.kind} #${i}`).toBeLessThan(500);
      expect(body.error, `${p.kind} #${i}`).toMatch(/\w/);
    }
    expect(kinds.size).toBe(17);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const db = new Database(join(data.dir, 'mission-control.db'), { readonly: true });
    const n = (db.prepare('SELECT COUNT(*) AS n FROM mentions').get() as { n: number }).n;
    db.close();
    expect(n).toBe(0);
    expect([...statuses.keys()].every((s) => [400, 413, 415].includes(s))).toBe(true);
  }, 120_000);
});
