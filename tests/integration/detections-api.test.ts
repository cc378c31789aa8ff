import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection, BandPoint } from '../../src/lib/shared/types';
import { makeMention } from '../helpers/fixtures';
import { mulberry32 } from '../helpers/random';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer
} from '../helpers/test-server';

const TOKEN = 'test-token-0123456789abcdef';
const MINUTE = 60_000;

let data: ReturnType<typeof tempDataDir>;
let server: TestServer;
let spikeMinute = 0;

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir, {
    INGEST_TOKEN: TOKEN,
    BRAND_HANDLES: '@NorthwindHelp',
    INGEST_MAX_BYTES: String(20 * 1024 * 1024)
  });
  // Four hours of ordinary traffic (20–40 mentions a minute, mostly on the web), then one minute
  // of 600 mentions on Reddit: one request, so the detectors see the whole history at once.
  const now = Date.now();
  spikeMinute = Math.floor((now - 10_000) / MINUTE) * MINUTE - MINUTE;
  const rand = mulberry32(7);
  const mentions = [];
  for (let m = spikeMinute - 240 * MINUTE; m < spikeMinute; m += MINUTE) {
    const n = 20 + Math.floor(rand() * 21);
    for (let i = 0; i < n; i++) {
      mentions.push(
        makeMention({ source: 'api', channel: 'news', createdAt: m + Math.floor(rand() * MINUTE) })
      );
    }
  }
  for (let i = 0; i < 600; i++) {
    mentions.push(
      makeMention({ source: 'api', channel: 'reddit', createdAt: spikeMinute + (i % 59) * 1000 })
    );
  }
  const res = await fetch(`${server.url}/api/v1/mentions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
    body: mentions.map((m) => JSON.stringify(m)).join('\n')
  });
  expect(res.status).toBe(202);
});

afterAll(async () => {
  await server.close();
  data.cleanup();
});

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${server.adminToken}` }
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('spike detection on the live server', () => {
  it('raises one explained volume detection for the spike minute', async () => {
    let detections: Detection[] = [];
    await waitFor(async () => {
      const { body } = await getJson('/api/v1/detections');
      detections = body.detections as Detection[];
      return detections.some((d) => d.metric === 'volume');
    }, 10_000);
    const volume = detections.filter((d) => d.metric === 'volume');
    expect(volume).toHaveLength(1);
    const d = volume[0]!;
    expect(d.at).toBe(spikeMinute);
    expect(d.observed).toBe(600);
    expect(d.expected).toBeGreaterThan(15);
    expect(d.expected).toBeLessThan(60);
    expect(d.upper).toBeLessThan(d.observed);
    expect(d.severity).toBeGreaterThanOrEqual(5);
    expect(d.severity).toBeLessThanOrEqual(10);
    // Reddit carried the excess: it is the first channel driver, with nearly all of it.
    const channels = d.drivers.filter((x) => x.kind === 'channel');
    expect(channels[0]?.name).toBe('reddit');
    expect(channels[0]?.share).toBeGreaterThan(0.9);
    // The Reddit channel series alerts on its own too; the steady web channel does not.
    expect(detections.some((x) => x.series === 'channel:reddit')).toBe(true);
    expect(detections.some((x) => x.series === 'channel:news')).toBe(false);
  });

  it('sends the band and the detections to a wall that connects', async () => {
    const client = connectClient(server.url);
    try {
      const snap = await nextEvent(client, 'wall:snapshot');
      expect(snap.detections.some((d) => d.metric === 'volume' && d.at === spikeMinute)).toBe(true);
      const band: BandPoint[] = snap.band;
      expect(band.length).toBeGreaterThanOrEqual(240);
      const before = band.find((b) => b.t === spikeMinute - MINUTE)!;
      expect(before.lower).toBeLessThanOrEqual(before.expected);
      expect(before.expected).toBeLessThanOrEqual(before.upper);
      expect(band.at(-1)!.t).toBeGreaterThanOrEqual(spikeMinute);
    } finally {
      client.close();
    }
  });

  it('back-tests a sensitivity over stored minutes', async () => {
    // Rollups are written on ticks; wait until the spike minute is stored.
    await waitFor(async () => {
      const { body } = await getJson('/api/v1/detections/backtest?days=1&sensitivity=balanced');
      return (body.alerts as number) >= 1;
    }, 10_000);
    const { status, body } = await getJson('/api/v1/detections/backtest?days=1&sensitivity=high');
    expect(status).toBe(200);
    expect(body.metric).toBe('volume');
    expect(body.rows).toBeGreaterThanOrEqual(240);
    const onsets = body.onsets as { t: number; observed: number }[];
    expect(onsets.some((o) => o.t === spikeMinute && o.observed === 600)).toBe(true);
  });

  it.each([
    ['sensitivity=extreme', 'sensitivity'],
    ['days=0', 'days'],
    ['days=365', 'days'],
    ['days=abc', 'days'],
    ['window=5m', 'query']
  ])('refuses a bad back-test query %s naming the field', async (query, field) => {
    const { status, body } = await getJson(`/api/v1/detections/backtest?${query}`);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain(field === 'query' ? 'window' : field);
  });
});
