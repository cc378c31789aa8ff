import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessStore } from '../../server/adapters/store/worker-store';
import type { Store } from '../../server/ports';
import { makeMention } from '../helpers/fixtures';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/test-server';

const TOKEN = 'test-token-0123456789abcdef';
const SECRET = 'hmac-secret-0123456789abcdef';

let data: ReturnType<typeof tempDataDir>;
let server: TestServer;

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir, {
    INGEST_TOKEN: TOKEN,
    INGEST_HMAC_SECRET: SECRET,
    INGEST_MAX_BYTES: String(256 * 1024)
  });
});

afterAll(async () => {
  await server.close();
  data.cleanup();
});

interface IngestBody {
  accepted?: number;
  duplicates?: number;
  rejected?: { index: number; errors: { path: string; message: string }[] }[];
  error?: string;
  field?: string;
}

async function post(
  body: string,
  headers: Record<string, string> = {},
  url = server.url
): Promise<{ status: number; body: IngestBody; headers: Headers }> {
  const res = await fetch(`${url}/api/v1/mentions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as IngestBody) : {},
    headers: res.headers
  };
}

function storedCount(): number {
  const db = new Database(join(data.dir, 'mission-control.db'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM mentions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function storedIds(ids: string[]): string[] {
  const db = new Database(join(data.dir, 'mission-control.db'), { readonly: true });
  try {
    const q = db.prepare('SELECT id FROM mentions WHERE source = ? AND id = ?');
    return ids.filter((id) => q.get('test', id) !== undefined);
  } finally {
    db.close();
  }
}

describe('POST /api/v1/mentions', () => {
  it('accepts one JSON mention, committed to SQLite before the 202', async () => {
    const m = makeMention();
    const r = await post(JSON.stringify(m));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    // Read through a separate connection right after the answer: the row is already durable.
    expect(storedIds([m.id])).toEqual([m.id]);
  });

  it('accepts a JSON array and reports invalid items one by one, naming the field', async () => {
    const good = makeMention();
    const bad = { ...makeMention(), author: { ...makeMention().author, followers: 'many' } };
    const r = await post(JSON.stringify([good, bad, { id: 'x' }]));
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(1);
    expect(r.body.rejected?.map((x) => x.index)).toEqual([1, 2]);
    expect(r.body.rejected?.[0]?.errors.map((e) => e.path)).toEqual(['author.followers']);
    expect(storedIds([good.id])).toEqual([good.id]);
  });

  it('accepts NDJSON and reports a broken line by its index', async () => {
    const a = makeMention();
    const b = makeMention({ createdAt: '2026-11-23T10:00:00Z' as unknown as number });
    const body = `${JSON.stringify(a)}\n{not json\n\n${JSON.stringify(b)}\n`;
    const r = await post(body, { 'content-type': 'application/x-ndjson' });
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(2);
    expect(r.body.rejected).toEqual([
      { index: 1, errors: [{ path: '(line)', message: expect.stringMatching(/not valid JSON/) }] }
    ]);
  });

  it('counts the same mention once, however often it is sent (idempotent per source)', async () => {
    const m = makeMention();
    expect((await post(JSON.stringify(m))).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await post(JSON.stringify([m, m]))).body).toMatchObject({ accepted: 0, duplicates: 2 });
    const other = { ...m, source: 'elsewhere' };
    expect((await post(JSON.stringify(other))).body).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it.each([
    ['no valid mention', '[{"id": 1}]', {}, 400, 'no mention in the request is valid'],
    ['an empty array', '[]', {}, 400, 'contains no mentions'],
    ['broken JSON', '{"id": ', {}, 400, 'not valid JSON'],
    ['another content type', 'hello', { 'content-type': 'text/plain' }, 415, 'Content-Type'],
    ['no content type', 'hello', { 'content-type': '' }, 415, 'Content-Type'],
    ['no token', '{}', { authorization: '' }, 401, 'Authorization: Bearer'],
    ['a wrong token', '{}', { authorization: 'Bearer nope' }, 401, 'not valid'],
    ['a body over the limit', 'x'.repeat(300 * 1024), {}, 413, 'INGEST_MAX_BYTES']
  ])('refuses %s with %i and a message', async (_name, body, headers, status, message) => {
    const before = storedCount();
    const r = await post(body, headers);
    expect(r.status).toBe(status);
    expect(r.body.error).toContain(message);
    expect(storedCount()).toBe(before);
  });

  it('says how to turn ingest on when it is off', async () => {
    const d = tempDataDir();
    const off = await startTestServer(d.dir, {}, { noAdminToken: true });
    try {
      const r = await post('{}', {}, off.url);
      expect(r.status).toBe(503);
      expect(r.body.error).toContain('INGEST_TOKEN');
    } finally {
      await off.close();
      d.cleanup();
    }
  });

  it('allows POST to ingest and GET to explore, nothing else', async () => {
    const res = await fetch(`${server.url}/api/v1/mentions`, { method: 'PUT', body: '[]' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    // Reading stored mentions is exploring: a manager's, not an anonymous reader's.
    expect((await fetch(`${server.url}/api/v1/mentions`)).status).toBe(401);
  });
});

describe('signed webhooks', () => {
  function sign(body: string, ts: number, secret = SECRET): Record<string, string> {
    const hex = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    return { authorization: '', 'x-timestamp': String(ts), 'x-signature': `sha256=${hex}` };
  }

  it('accepts a fresh, correctly signed request without a bearer token', async () => {
    const body = JSON.stringify(makeMention());
    const r = await post(body, sign(body, Date.now()));
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(1);
  });

  it.each([
    ['a stale timestamp', (b: string) => sign(b, Date.now() - 6 * 60_000), 'stale'],
    ['a timestamp from the future', (b: string) => sign(b, Date.now() + 6 * 60_000), 'stale'],
    [
      'a wrong secret',
      (b: string) => sign(b, Date.now(), 'another-secret-0123456789'),
      'does not match'
    ],
    ['a tampered body', (b: string) => sign(b + ' ', Date.now()), 'does not match'],
    ['no timestamp', () => ({ authorization: '', 'x-signature': 'sha256=00' }), 'X-Timestamp']
  ])('refuses %s', async (_name, headers, message) => {
    const body = JSON.stringify(makeMention());
    const r = await post(body, headers(body));
    expect(r.status).toBe(401);
    expect(r.body.error).toContain(message);
  });

  it('refuses a replayed signature', async () => {
    const body = JSON.stringify(makeMention());
    const headers = sign(body, Date.now());
    expect((await post(body, headers)).status).toBe(202);
    const again = await post(body, headers);
    expect(again.status).toBe(401);
    expect(again.body.error).toContain('replayed');
  });
});

describe('backpressure', () => {
  it('answers 429 with Retry-After while the pipeline is saturated, and loses nothing', async () => {
    const d = tempDataDir();
    const inner = inProcessStore(join(d.dir, 'mission-control.db'));
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // A store whose first commit waits for the test: the pipeline is "full" meanwhile.
    let first = true;
    const store: Store = {
      ...inner,
      ingestBody: async (...args) => {
        if (first) {
          first = false;
          await gate;
        }
        return inner.ingestBody(...args);
      }
    };
    const busy = await startTestServer(
      d.dir,
      { INGEST_TOKEN: TOKEN, INGEST_MAX_IN_FLIGHT: '1' },
      { store }
    );
    try {
      const m = makeMention();
      const pending = post(JSON.stringify(m), {}, busy.url);
      await new Promise((r) => setTimeout(r, 100));
      const refused = await post(JSON.stringify(makeMention()), {}, busy.url);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      release();
      expect((await pending).status).toBe(202);
      expect(busy.app.pipeline.summary('1m', Date.now()).volume).toBe(1);
    } finally {
      release();
      await busy.close();
      d.cleanup();
    }
  });
});

describe('ingest bodies and source batches at the same time', () => {
  it('commits, answers and counts every one, whatever path it took', async () => {
    const before = server.app.pipeline.ingested;
    const work: Promise<number>[] = [];
    const statuses: number[] = [];
    const accepted = async (body: string): Promise<number> => {
      const r = await post(body);
      statuses.push(r.status);
      return r.body.accepted ?? 0;
    };
    for (let i = 0; i < 40; i++) {
      // Source batches go straight to the writer; bodies through the ingest thread.
      work.push(server.source.push([makeMention(), makeMention()]));
      if (i % 4 === 0) work.push(accepted('{"broken": '));
      else if (i % 4 === 1) work.push(accepted('[{"id": 1}]'));
      else work.push(accepted(JSON.stringify([makeMention(), makeMention(), makeMention()])));
    }
    const settled = await Promise.race([
      Promise.all(work),
      new Promise<null>((r) => setTimeout(() => r(null), 10_000))
    ]);
    expect(settled).not.toBeNull();
    const counts = settled ?? [];
    // Every source batch is new; a body may also meet a full pipeline (429) and count nothing.
    expect(counts.filter((_, i) => i % 2 === 0)).toEqual(new Array(40).fill(2));
    expect(statuses.every((s) => s === 202 || s === 400 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThan(0);
    const total = counts.reduce((a, b) => a + b, 0);
    expect(server.app.pipeline.ingested - before).toBe(total);
    expect(server.app.inFlight).toBe(0);
  });
});
