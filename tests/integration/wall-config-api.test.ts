import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WALL_CONFIG, WALL_SETTINGS_KEY } from '../../server/core/wall/config';
import type { WallConfig, WallPanels } from '../../src/lib/shared/types';
import { makeMention } from '../helpers/fixtures';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer,
  type WallClient
} from '../helpers/test-server';

const MIN = 60_000;
/** The panels job's period in these tests (15 s in production). */
const ENV = { WALL_PANELS_MS: '200' };

let server: TestServer;
let data: { dir: string; cleanup: () => void };
let readToken: string;
const clients: WallClient[] = [];

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = server.adminToken
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function client(auth: { token?: string; display?: string } = { token: server.adminToken }) {
  const c = connectClient(server.url, false, auth);
  clients.push(c);
  return c;
}

/** Collects every `wall:panels` a client receives, newest last. */
function collectPanels(c: WallClient): WallPanels[] {
  const seen: WallPanels[] = [];
  c.on('wall:panels', (p) => seen.push(p));
  return seen;
}

/** A saved layout: the river scene alone, and one playlist. */
const custom: WallConfig = {
  version: 1,
  scenes: [
    {
      id: 'river',
      title: 'River wall',
      rows: 2,
      panels: [
        { panel: 'river', col: 1, row: 1, cols: 8, rows: 2 },
        { panel: 'map', col: 9, row: 1, cols: 4, rows: 2 }
      ]
    }
  ],
  playlists: [
    {
      id: 'night',
      title: 'Night shift',
      items: [
        { scene: 'river', dwellSeconds: 30 },
        { scene: 'care', dwellSeconds: 60 }
      ]
    }
  ]
};
const completed = (c: WallConfig): WallConfig => ({
  version: 1,
  scenes: DEFAULT_WALL_CONFIG.scenes.map((d) => c.scenes.find((s) => s.id === d.id) ?? d),
  playlists: c.playlists
});

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir, ENV);
  readToken = (await server.app.auth!.createToken('reader', ['read'], 'tests')).token;
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.close();
  data.cleanup();
});

describe('on connect', () => {
  it('a client receives the complete wall config and the latest panels', async () => {
    const c = client();
    const [config, panels] = await Promise.all([
      nextEvent(c, 'wall:config'),
      nextEvent(c, 'wall:panels')
    ]);
    expect(config).toEqual(DEFAULT_WALL_CONFIG);
    expect(panels).toMatchObject({ windowMs: 3_600_000, geo: { located: 0, total: 0 } });
    expect(panels.voice[0]).toMatchObject({ brand: true, count: 0 });
    expect(panels.influencers).toEqual([]);
    const got = await call('GET', '/api/v1/settings/wall');
    expect(got.status).toBe(200);
    expect(got.body).toEqual(DEFAULT_WALL_CONFIG);
  });
});

describe('PUT /api/v1/settings/wall', () => {
  it('refuses an invalid config naming the field, and saves nothing', async () => {
    const bad = structuredClone(DEFAULT_WALL_CONFIG);
    bad.playlists[0]!.items[1]!.dwellSeconds = 2;
    const r = await call('PUT', '/api/v1/settings/wall', bad);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'playlists.0.items.1.dwellSeconds: dwellSeconds must be at least 5',
      field: 'playlists.0.items.1.dwellSeconds'
    });
    const overlap = structuredClone(custom);
    overlap.scenes[0]!.panels[1]!.col = 8;
    const o = await call('PUT', '/api/v1/settings/wall', overlap);
    expect(o.status).toBe(400);
    expect(o.body.field).toBe('scenes.0.panels.1');
    expect(String(o.body.error)).toMatch(/map overlaps river at row 1, column 8/);
    const unknown = await call('PUT', '/api/v1/settings/wall', { ...custom, theme: 'dark' });
    expect(unknown).toMatchObject({ status: 400, body: { field: 'theme' } });
    expect(server.app.store.getSetting(WALL_SETTINGS_KEY)).toBeNull();
    expect((await call('GET', '/api/v1/settings/wall')).body).toEqual(DEFAULT_WALL_CONFIG);
  });

  it('refuses viewers, read tokens and anonymous callers', async () => {
    expect((await call('PUT', '/api/v1/settings/wall', custom, readToken)).status).toBe(403);
    expect((await call('GET', '/api/v1/settings/wall', undefined, readToken)).status).toBe(403);
    expect((await call('PUT', '/api/v1/settings/wall', custom, '')).status).toBe(401);
    expect(server.app.store.getSetting(WALL_SETTINGS_KEY)).toBeNull();
  });

  it('saves a valid config, tells every client, and answers with it completed', async () => {
    const c = client({ token: readToken });
    await nextEvent(c, 'wall:config');
    const pushed = nextEvent(c, 'wall:config');
    const r = await call('PUT', '/api/v1/settings/wall', custom);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(completed(custom));
    expect(await pushed).toEqual(completed(custom));
    expect((await call('GET', '/api/v1/settings/wall')).body).toEqual(completed(custom));
    expect(server.app.store.getSetting(WALL_SETTINGS_KEY)).toEqual(custom);
  });
});

describe('wall:panels', () => {
  it('carries the last hour’s located mentions, share of voice and influencers', async () => {
    const tracking = await call('PUT', '/api/v1/settings/tracking', {
      brand: { name: 'Northwind', handles: ['@NorthwindHelp'] },
      keywords: ['northwind'],
      competitors: [{ name: 'Contoso', keywords: ['contoso'] }]
    });
    expect(tracking.status, JSON.stringify(tracking.body)).toBe(200);
    const c = client();
    const seen = collectPanels(c);
    const now = Date.now();
    const star = { handle: '@megastar', name: 'Mega Star', followers: 5_000_000, verified: true };
    await server.source.push([
      makeMention({
        createdAt: now - 5 * MIN,
        text: 'This charger is terrible and broke after a day, awful',
        author: star,
        geo: { lat: 48.85, lon: 2.35, country: 'FR' }
      }),
      makeMention({
        createdAt: now - 4 * MIN,
        text: 'Love the new headphones, great sound',
        author: star,
        geo: { lat: 48.9, lon: 2.4, country: 'FR' }
      }),
      makeMention({
        createdAt: now - 3 * MIN,
        text: 'Order arrived on time, thanks',
        geo: { lat: 40.7, lon: -74, country: 'US' }
      }),
      makeMention({ createdAt: now - 2 * MIN, text: 'Contoso delivers faster than this' }),
      // Older than the hour: in no panel.
      makeMention({
        createdAt: now - 2 * 3_600_000,
        text: 'Old news',
        geo: { lat: 10, lon: 10, country: 'NG' }
      })
    ]);
    // Share of voice reads the text index (brought up to date every 5 s; here at once).
    await server.app.refreshIndexes({ cube: false });
    const p = (await waitFor(() => seen.find((x) => x.voice[1]?.count === 1), 10_000))!;
    expect(p.geo.total).toBe(4);
    expect(p.asOf).toBeGreaterThanOrEqual(now);
    expect(p.geo.located).toBe(3);
    expect(p.geo.points[0]).toEqual({ lat: 49, lon: 2, count: 2, negative: 1 });
    expect(p.geo.points).toContainEqual({ lat: 41, lon: -74, count: 1, negative: 0 });
    expect(p.voice).toEqual([
      { name: 'Northwind', count: 3, brand: true },
      { name: 'Contoso', count: 1, brand: false }
    ]);
    expect(p.influencers[0]).toEqual({
      handle: '@megastar',
      name: 'Mega Star',
      followers: 5_000_000,
      influenceTier: 'celebrity',
      count: 2,
      negative: 1
    });
    expect(p.influencers.length).toBe(3);
  });

  it('masks influencers on a privacy display', async () => {
    const display = await server.app.auth!.createDisplay('lobby', null, true, 'tests');
    const c = client({ display: display.token });
    const p = (await waitFor(async () => {
      const x = await nextEvent(c, 'wall:panels', 5000);
      return x.geo.total === 4 ? x : null;
    }, 10_000))!;
    expect(p.influencers[0]).toMatchObject({ handle: '@m•••', name: 'M•••', followers: 5_000_000 });
    expect(p.influencers.every((a) => a.handle.endsWith('•••'))).toBe(true);
  });
});

describe('a restart', () => {
  it('keeps the saved config', async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await server.close();
    server = await startTestServer(data.dir, ENV);
    expect((await call('GET', '/api/v1/settings/wall')).body).toEqual(completed(custom));
    const c = client();
    expect(await nextEvent(c, 'wall:config')).toEqual(completed(custom));
  }, 30_000);
});
