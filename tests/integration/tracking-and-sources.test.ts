import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceHealth } from '../../src/lib/shared/types';
import { ConfigError } from '../../server/config';
import { trackingSchema } from '../../server/core/tracking';
import { startServerProcess } from '../helpers/server-process';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer
} from '../helpers/test-server';

let data: ReturnType<typeof tempDataDir>;
let server: TestServer | null = null;

beforeEach(() => {
  data = tempDataDir();
});
afterEach(async () => {
  await server?.close();
  server = null;
  data.cleanup();
});

const tracking = {
  brand: { name: 'Acme', handles: ['@AcmeCare'] },
  keywords: ['acme', 'roadrunner kit'],
  hashtags: ['#acmefail'],
  competitors: [{ name: 'Wile E', keywords: ['coyote'] }],
  excluded: ['acme corp careers']
};

describe('tracking configuration', () => {
  it('is seeded from CONFIG into SQLite, served by the API and kept without the file', async () => {
    const file = join(data.dir, 'mc.json');
    writeFileSync(
      file,
      JSON.stringify({ ...tracking, sources: { simulator: { enabled: false } } })
    );
    server = await startTestServer(data.dir, { CONFIG: file }, { realSources: true });
    const res = await fetch(`${server.url}/api/v1/tracking`);
    expect(res.status).toBe(200);
    // As validated: defaults filled in (a competitor's handles), hashtags normalised.
    const expected = trackingSchema.parse(tracking);
    expect(await res.json()).toEqual(expected);
    const socket = connectClient(server.url);
    const snap = await nextEvent(socket, 'wall:snapshot');
    socket.disconnect();
    expect(snap.brand).toEqual({ name: 'Acme', handles: ['@AcmeCare'] });
    // The config file turned the simulator off: no sources at all.
    expect(snap.sources).toEqual([]);
    await server.close();

    // Restart without CONFIG: the stored settings stay in force.
    server = await startTestServer(data.dir, {}, { realSources: true });
    expect(server.app.tracking).toEqual(expected);
    expect(server.app.sourceHealth()).toEqual([]);
    // A brand reply from the configured handle is recognised.
    expect(server.app.pipeline.brands.has('acmecare')).toBe(true);
  });

  it("tracks the simulator's competitors while nothing is configured, without storing them", async () => {
    const competitors = async () => {
      const res = await fetch(`${server!.url}/api/v1/tracking`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { competitors: { name: string }[] }).competitors;
    };
    server = await startTestServer(
      data.dir,
      { SIMULATOR: 'on', SIMULATOR_RATE: '1' },
      { realSources: true }
    );
    expect(await competitors()).toEqual([
      { name: 'Contoso', keywords: [], handles: [] },
      { name: 'Fabrikam', keywords: [], handles: [] }
    ]);
    expect(server.app.store.getSetting('tracking')).toBeNull();
    await server.close();

    // Without the simulator there is nobody to compare with.
    server = await startTestServer(data.dir, { SIMULATOR: 'off' }, { realSources: true });
    expect(await competitors()).toEqual([]);
    await server.close();

    // Configured tracking wins, simulator or not.
    const file = join(data.dir, 'mc.json');
    writeFileSync(file, JSON.stringify(tracking));
    server = await startTestServer(
      data.dir,
      { SIMULATOR: 'on', SIMULATOR_RATE: '1', CONFIG: file },
      { realSources: true }
    );
    expect((await competitors()).map((c) => c.name)).toEqual(['Wile E']);
  });

  it('stops the start with an error naming the invalid field', async () => {
    const file = join(data.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ keywords: ['ok'], hashtags: ['two words'] }));
    const started = startTestServer(data.dir, { CONFIG: file }, { realSources: true });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(/hashtags\.0: must be a hashtag/);
  });

  it('makes `npm start` exit with status 2 and the message on a bad file', async () => {
    const file = join(data.dir, 'bad.json');
    writeFileSync(file, '{"sources": {"rss": {"feeds": [{"url": "notaurl"}]}}}');
    const run = startServerProcess({ DATA_DIR: data.dir, CONFIG: file });
    const err = await run.then(
      () => null,
      (e: unknown) => e as Error
    );
    expect(err?.message).toMatch(/server exited with 2/);
    expect(err?.message).toContain('sources.rss.feeds.0.url: must be an http(s) URL');
  });
});

describe('source health', () => {
  it('is in the snapshot, pushed as source:status, served by /api/v1/sources and /metrics', async () => {
    server = await startTestServer(
      data.dir,
      { SIMULATOR: 'on', SIMULATOR_RATE: '200' },
      { realSources: true }
    );
    const socket = connectClient(server.url);
    const snap = await nextEvent(socket, 'wall:snapshot');
    expect(snap.sources.map((s) => s.name)).toEqual(['simulator']);
    const status = await nextEvent(socket, 'source:status', 5000);
    socket.disconnect();
    expect(status[0]).toMatchObject({ name: 'simulator', kind: 'simulator', state: 'connected' });

    const url = server.url;
    const sim = await waitFor(async () => {
      const body = (await (await fetch(`${url}/api/v1/sources`)).json()) as {
        sources: SourceHealth[];
      };
      const h = body.sources[0];
      return h && h.received > 0 && h.eventsPerSec > 0 ? h : null;
    }, 8000);
    expect(sim?.lastEventAt).not.toBeNull();

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^mc_source_up\{source="simulator",kind="simulator"\} 1$/m);
    expect(metrics).toMatch(
      /^mc_source_received_total\{source="simulator",kind="simulator"\} [1-9]/m
    );
    expect(metrics).toMatch(/^mc_source_dropped_total\{source="simulator",kind="simulator"\} 0$/m);
    expect(metrics).toMatch(
      /^mc_source_events_per_second\{source="simulator",kind="simulator"\} /m
    );
    expect(metrics).toMatch(/^mc_source_lag_seconds\{source="simulator",kind="simulator"\} /m);
  });
});
