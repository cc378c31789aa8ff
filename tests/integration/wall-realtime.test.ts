import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdEvents, type HoldableSocket } from '../../src/lib/realtime/held-events';
import type { WallSnapshot, WallTick } from '../../src/lib/shared/types';
import { makeMention, makeReply } from '../helpers/fixtures';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer,
  type WallClient
} from '../helpers/test-server';

let data: ReturnType<typeof tempDataDir>;
let server: TestServer;
const clients: WallClient[] = [];

function client(): WallClient {
  const c = connectClient(server.url);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir);
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
  data.cleanup();
});

describe('wall over Socket.IO', () => {
  it('sends a full snapshot on connect', async () => {
    await server.source.push([makeMention(), makeMention({ channel: 'reddit' })]);
    const snap = await nextEvent(client(), 'wall:snapshot');
    expect(snap.seq).toBeGreaterThanOrEqual(0);
    expect(snap.seconds.t).toHaveLength(900);
    expect(snap.minutes.t).toHaveLength(1440);
    expect(snap.windows['5m'].volume).toBe(2);
    expect(snap.windows['5m'].byChannel.reddit).toBe(1);
    expect(snap.river.map((r) => r.channel).sort()).toEqual(['reddit', 'twitter']);
  });

  it('a socket opened before its handlers exist hands them the snapshot and every tick since, in order', async () => {
    // The wall opens its socket as the app starts and attaches its handlers once its code has
    // loaded (src/hooks.client.ts, takeWallSocket).
    const c = client();
    const release = holdEvents(c as unknown as HoldableSocket);
    await server.source.push([makeMention(), makeMention()]);
    await waitFor(() => c.connected, 5000);
    // Long enough for the snapshot and a few ticks to arrive while nobody listens.
    await new Promise((r) => setTimeout(r, 2500));
    const seen: string[] = [];
    const seqs: number[] = [];
    c.on('connect', () => seen.push('connect'));
    c.on('wall:snapshot', (s) => {
      seen.push('snapshot');
      seqs.push(s.seq);
    });
    c.on('wall:tick', (t) => {
      seen.push('tick');
      seqs.push(t.seq);
    });
    release();
    expect(seen.slice(0, 3)).toEqual(['connect', 'snapshot', 'tick']);
    const held = seqs.length;
    // Ticks keep coming after the release, straight to the handlers.
    await waitFor(() => seqs.length >= held + 2, 5000);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[0]! + i);
  });

  it('ticks with consecutive sequence numbers and the new counts', async () => {
    const c = client();
    const snap = await nextEvent(c, 'wall:snapshot');
    await server.source.push([makeMention(), makeMention(), makeMention()]);
    const ticks: WallTick[] = [];
    c.on('wall:tick', (t) => ticks.push(t));
    await waitFor(() => ticks.length >= 3, 5000);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.seq).toBe(ticks[i - 1]!.seq + 1);
    expect(ticks[0]!.seq).toBeGreaterThan(snap.seq);
    const last = ticks[ticks.length - 1]!;
    expect(last.windows['1m'].volume).toBe(3);
    const perSecond = ticks.flatMap((t) => t.seconds).reduce((sum, p) => sum + p.total, 0);
    expect(perSecond).toBeGreaterThanOrEqual(3);
  });

  it('streams new mentions to the river in batches', async () => {
    const c = client();
    await nextEvent(c, 'wall:snapshot');
    const batch = nextEvent(c, 'mention:batch');
    const m = makeMention({ text: 'the app is down again' });
    await server.source.push([m]);
    const b = await batch;
    expect(b.items.map((i) => i.id)).toContain(m.id);
    expect(b.items[0]!.sentiment.label).toMatch(/negative|neutral|positive/);
  });

  it('answers a resync request with a fresh snapshot', async () => {
    const c = client();
    await nextEvent(c, 'wall:snapshot');
    await server.source.push([makeMention()]);
    const res = await new Promise<{ ok: boolean; data?: WallSnapshot }>((resolve) =>
      c.emit('wall:resync', {}, resolve)
    );
    expect(res.ok).toBe(true);
    expect(res.data?.windows['1m'].volume).toBe(1);
  });

  it('a client that reconnects gets everything it missed, with no hole', async () => {
    const c = client();
    await nextEvent(c, 'wall:snapshot');
    c.disconnect();
    const missed = [makeMention(), makeMention(), makeMention({ channel: 'news' })];
    await server.source.push(missed);
    await new Promise((r) => setTimeout(r, 400));
    const again = nextEvent(c, 'wall:snapshot');
    c.connect();
    const snap = await again;
    expect(snap.windows['1m'].volume).toBe(3);
    expect(snap.seconds.total.reduce((a, b) => a + b, 0)).toBe(3);
    expect(snap.river.map((r) => r.id)).toEqual(expect.arrayContaining(missed.map((m) => m.id)));
  });

  it('counts first response and unanswered from brand replies', async () => {
    const a = makeMention({ createdAt: Date.now() - 120_000 });
    const b = makeMention({ createdAt: Date.now() - 60_000 });
    await server.source.push([a, b]);
    await server.source.push([makeReply(a, { createdAt: Date.now() })]);
    const s = server.app.pipeline.summary('1h', Date.now());
    expect(s.unanswered).toBe(1);
    expect(s.responseTime.count).toBe(1);
    expect(s.responseTime.p50Ms).toBeGreaterThan(110_000);
    expect(s.responseTime.p50Ms).toBeLessThan(130_000);
  });

  it('ignores a duplicate of a stored mention', async () => {
    const m = makeMention();
    await server.source.push([m]);
    await server.source.push([{ ...m }]);
    expect(server.app.pipeline.summary('1m', Date.now()).volume).toBe(1);
  });
});

describe('restart', () => {
  it('keeps the last 24 hours, first responses, the queue and the river', async () => {
    const now = Date.now();
    const old = makeMention({ createdAt: now - 3 * 3_600_000, channel: 'facebook' });
    const waiting = makeMention({ createdAt: now - 30 * 60_000 });
    const answered = makeMention({ createdAt: now - 200_000 });
    await server.source.push([old, waiting, answered]);
    await server.source.push([makeReply(answered, { createdAt: now - 80_000 })]);
    const before = server.app.pipeline.summaries(Date.now());
    await server.close();

    server = await startTestServer(data.dir);
    const after = server.app.pipeline.summaries(Date.now());
    for (const w of ['5m', '15m', '1h', '24h'] as const) {
      expect(after[w].volume, w).toBe(before[w].volume);
      expect(after[w].unanswered, w).toBe(before[w].unanswered);
      expect(after[w].responseTime.count, w).toBe(before[w].responseTime.count);
      expect(after[w].responseTime.p50Ms, w).toBe(before[w].responseTime.p50Ms);
    }
    expect(after['24h'].volume).toBe(4);
    expect(after['24h'].byChannel.facebook).toBe(1);
    expect(after['1h'].unanswered).toBe(1);

    const snap = await nextEvent(client(), 'wall:snapshot');
    expect(snap.minutes.total.reduce((a, b) => a + b, 0)).toBe(4);
    expect(snap.seconds.total.reduce((a, b) => a + b, 0)).toBe(2);
    expect(snap.river).toHaveLength(4);

    // A reply after the restart still finds the customer it answers.
    await server.source.push([makeReply(waiting)]);
    const last = server.app.pipeline.summary('1h', Date.now());
    expect(last.unanswered).toBe(0);
    // …and is timed: the restored mention is found by its row seq, which the store gives the reply.
    expect(last.responseTime.count).toBe(after['1h'].responseTime.count + 1);
    expect(server.app.pipeline.windows.pendingCount).toBe(1); // `old`, 3 hours unanswered
  });
});
