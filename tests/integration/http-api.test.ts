import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOWS } from '../../src/lib/shared/types';
import { makeMention } from '../helpers/fixtures';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/test-server';

let data: ReturnType<typeof tempDataDir>;
let server: TestServer;

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir);
  await server.source.push([
    makeMention({ text: 'I love this, thank you!' }),
    makeMention({ channel: 'review', text: 'Worst purchase ever, broken on arrival' })
  ]);
});

afterAll(async () => {
  await server.close();
  data.cleanup();
});

describe('GET /healthz', () => {
  it('reports ok as JSON', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; ingested: number };
    expect(body.status).toBe('ok');
    expect(body.ingested).toBe(2);
  });
});

describe('GET /metrics', () => {
  it('exposes Prometheus metrics for ingest, lag, clients and the event loop', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^mc_mentions_ingested_total\{source="test"\} 2$/m);
    expect(text).toContain('mc_pipeline_lag_seconds');
    expect(text).toContain('mc_connected_clients');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('GET /api/v1/summary', () => {
  it.each(WINDOWS)('returns the %s window in the documented shape', async (w) => {
    const res = await fetch(`${server.url}/api/v1/summary?window=${w}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        'asOf',
        'byChannel',
        'perMinute',
        'responseTime',
        'sentiment',
        'unanswered',
        'volume',
        'window'
      ].sort()
    );
    expect(body.window).toBe(w);
    expect(body.volume).toBe(2);
    expect(body.byChannel).toMatchObject({ twitter: 1, review: 1 });
    expect(Object.keys(body.sentiment as object).sort()).toEqual([
      'negative',
      'net',
      'neutral',
      'positive'
    ]);
    expect(Object.keys(body.responseTime as object).sort()).toEqual(['count', 'p50Ms', 'p90Ms']);
  });

  it.each([
    ['window=2m', 'window'],
    ['window=', 'window'],
    ['windw=5m', 'windw']
  ])('refuses ?%s with a 400 that names %s', async (query, field) => {
    const res = await fetch(`${server.url}/api/v1/summary?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; field: string };
    expect(body.field).toBe(field);
    expect(body.error).toMatch(/window/);
  });

  it('refuses other methods with 405', async () => {
    const res = await fetch(`${server.url}/api/v1/summary`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await fetch(`${server.url}/api/v1/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toContain('/api/v1/nothing');
  });
});
