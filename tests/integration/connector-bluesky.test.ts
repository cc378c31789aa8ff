import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/lib/shared/types';
import {
  createBlueskySource,
  type BlueskyTuning
} from '../../server/adapters/sources/connectors/bluesky';
import { compileMatcher, trackingSchema } from '../../server/core/tracking';
import type { MentionSink, MentionSource } from '../../server/ports';
import {
  FakeJetstream,
  accountFrame,
  deleteFrame,
  identityFrame,
  postFrame,
  updateFrame
} from '../helpers/fake-jetstream';
import { waitFor } from '../helpers/test-server';

const matcher = compileMatcher(
  trackingSchema.parse({ keywords: ['northwind'], brand: { handles: ['@NorthwindHelp'] } })
);
const ALICE = 'did:plc:eygmaihciaxprqvxpfvl6flk';
const BOB = 'did:plc:z72i7hdynmk6r22z27h6tvur';
/** A recent `time_us`, so createdAt derived from it is plausible. */
const T0 = (Date.now() - 60_000) * 1000;

let server: FakeJetstream | null = null;
let source: MentionSource | null = null;

afterEach(async () => {
  await source?.stop();
  source = null;
  await server?.close();
  server = null;
});

/** A connector on `url` with a recording sink. */
function connect(url: string, tuning: BlueskyTuning = {}) {
  const batches: Mention[][] = [];
  const sink: MentionSink = (mentions) => {
    batches.push(mentions);
    return Promise.resolve(mentions.length);
  };
  const src = createBlueskySource(
    { enabled: true, url },
    {
      clock: { now: () => Date.now() },
      logger: pino({ level: 'silent' }),
      matcher,
      onHealthChange: () => {},
      backoff: { baseMs: 20, maxMs: 200 }
    },
    tuning
  );
  source = src;
  src.start(sink);
  const mentions = (): Mention[] => batches.flat();
  return { src, mentions };
}

/** A port nothing listens on (just freed). */
async function freePort(): Promise<number> {
  const s = await FakeJetstream.start();
  const port = s.port;
  await s.close();
  return port;
}

const timeouts = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('Bluesky Jetstream connector', () => {
  it('turns a matching created post into one mention and ignores everything else', async () => {
    server = await FakeJetstream.start();
    const { src, mentions } = connect(server.url);
    const fake = server;
    await waitFor(() => fake.open.length === 1, 5000, 20);
    expect(fake.connections[0]!.wantedCollections).toEqual(['app.bsky.feed.post']);
    expect(fake.connections[0]!.cursor).toBeNull();
    await waitFor(() => src.health().state === 'connected', 5000, 20);

    const createdAt = new Date(T0 / 1000 - 500).toISOString();
    fake.send(identityFrame(ALICE, 'alice.bsky.social', T0));
    fake.send(accountFrame(ALICE, T0 + 1));
    fake.send('{"did":"did:plc:broken",'); // malformed JSON
    fake.send('[1,2,3]');
    fake.send(postFrame({ did: BOB, rkey: '3l3qo2vutsw2a', text: 'nice weather', timeUs: T0 + 2 }));
    fake.send(
      updateFrame({ did: ALICE, rkey: '3l3qo2vutsw2c', text: 'northwind edit', timeUs: T0 + 3 })
    );
    fake.send(deleteFrame(ALICE, '3l3qo2vutsw2d', T0 + 4));
    fake.send({ did: ALICE, time_us: T0 + 5, kind: 'something-new', extra: { x: 1 } });
    fake.send(
      postFrame({
        did: ALICE,
        rkey: '3l3qo2vutsw2b',
        text: 'My Northwind order is late again',
        timeUs: T0 + 6,
        createdAt,
        langs: ['en', 'de'],
        replyTo: `at://${BOB}/app.bsky.feed.post/3l3qo2vutaaaa`
      })
    );
    fake.send(
      postFrame({ did: BOB, rkey: '3l3qo2vutsw2e', text: 'northwind rocks', timeUs: T0 + 7 })
    );

    await waitFor(() => mentions().length >= 2, 5000, 20);
    await new Promise((r) => setTimeout(r, 100));
    expect(mentions()).toHaveLength(2);
    expect(mentions()[0]).toEqual({
      id: `at://${ALICE}/app.bsky.feed.post/3l3qo2vutsw2b`,
      source: 'bluesky',
      channel: 'bluesky',
      createdAt: Date.parse(createdAt),
      text: 'My Northwind order is late again',
      author: {
        handle: '@alice.bsky.social',
        name: 'alice.bsky.social',
        followers: 0,
        verified: false
      },
      lang: 'en',
      url: `https://bsky.app/profile/${ALICE}/post/3l3qo2vutsw2b`,
      inReplyToId: `at://${BOB}/app.bsky.feed.post/3l3qo2vutaaaa`,
      geo: null
    });
    // No identity seen for Bob: the did stands in for the handle.
    expect(mentions()[1]!.author).toEqual({
      handle: BOB,
      name: BOB,
      followers: 0,
      verified: false
    });
    expect(mentions()[1]!.inReplyToId).toBeNull();

    const h = src.health();
    expect(h.state).toBe('connected');
    expect(h.received).toBe(2);
    expect(h.lastError?.message).toMatch(/not valid JSON/);
    expect(fake.connections).toHaveLength(1); // bad frames did not cost the connection
  });

  it('reads frames with and without a top-level cursor field', async () => {
    server = await FakeJetstream.start();
    const { mentions } = connect(server.url);
    const fake = server;
    await waitFor(() => fake.open.length === 1, 5000, 20);
    fake.send(
      postFrame({ did: ALICE, rkey: 'a1', text: 'northwind one', timeUs: T0, withCursor: true })
    );
    fake.send(postFrame({ did: ALICE, rkey: 'a2', text: 'northwind two', timeUs: T0 + 10 }));
    await waitFor(() => mentions().length === 2, 5000, 20);
    expect(mentions().map((m) => m.id)).toEqual([
      `at://${ALICE}/app.bsky.feed.post/a1`,
      `at://${ALICE}/app.bsky.feed.post/a2`
    ]);
  });

  it('reconnects after a drop, resuming 2 s before the last event', async () => {
    server = await FakeJetstream.start();
    const { src, mentions } = connect(server.url);
    const fake = server;
    await waitFor(() => fake.open.length === 1, 5000, 20);
    const first = postFrame({ did: ALICE, rkey: 'r1', text: 'northwind before', timeUs: T0 });
    fake.send(first);
    fake.send(accountFrame(BOB, T0 + 1_000));
    await waitFor(() => mentions().length === 1, 5000, 20);

    fake.drop();
    await waitFor(() => fake.open.length === 1 && fake.connections.length === 2, 5000, 20);
    expect(fake.connections[1]!.cursor).toBe(String(T0 + 1_000 - 2_000_000));
    expect(fake.connections[1]!.wantedCollections).toEqual(['app.bsky.feed.post']);
    await waitFor(() => src.health().state === 'connected', 5000, 20);
    expect(src.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(src.health().lastError).toBeNull();

    // The rewind replays the first post: it is not delivered twice.
    fake.send(first);
    fake.send(postFrame({ did: ALICE, rkey: 'r2', text: 'northwind after', timeUs: T0 + 2_000 }));
    await waitFor(() => mentions().length === 2, 5000, 20);
    await new Promise((r) => setTimeout(r, 100));
    expect(mentions().map((m) => m.id)).toEqual([
      `at://${ALICE}/app.bsky.feed.post/r1`,
      `at://${ALICE}/app.bsky.feed.post/r2`
    ]);
  });

  it('backs off while Jetstream is down and recovers when it comes up on the same port', async () => {
    const port = await freePort();
    const { src, mentions } = connect(`ws://127.0.0.1:${port}/subscribe`);
    await waitFor(() => src.health().state === 'backoff', 5000, 10);
    const down = src.health();
    expect(down.lastError?.message).toMatch(/Could not connect to Jetstream at 127\.0\.0\.1:\d+/);
    expect(down.lastError?.message).toMatch(/reconnecting in \d+ ms/);

    server = await FakeJetstream.start(port);
    const fake = server;
    await waitFor(() => src.health().state === 'connected' && fake.open.length === 1, 5000, 20);
    expect(src.health().lastError).toBeNull();
    expect(src.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(fake.connections.at(-1)!.cursor).toBeNull(); // nothing seen yet: live tail
    fake.send(postFrame({ did: ALICE, rkey: 'u1', text: 'northwind is back', timeUs: T0 }));
    await waitFor(() => mentions().length === 1, 5000, 20);
  });

  it('replaces a connection that has gone silent', async () => {
    server = await FakeJetstream.start();
    const { src } = connect(server.url, { idleTimeoutMs: 300 });
    const fake = server;
    await waitFor(() => fake.open.length === 1, 5000, 20);
    fake.send(accountFrame(BOB, T0));
    await waitFor(() => fake.connections.length === 2, 5000, 20);
    expect(fake.connections[1]!.cursor).toBe(String(T0 - 2_000_000));
    expect(src.health().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('stop() closes the socket and leaves no timers, connected or backing off', async () => {
    const before = timeouts();
    server = await FakeJetstream.start();
    const fake = server;
    const { src } = connect(server.url);
    await waitFor(() => src.health().state === 'connected', 5000, 20);
    await src.stop();
    source = null;
    expect(src.health().state).toBe('stopped');
    await waitFor(() => fake.connections[0]!.closeCode !== null, 2000, 10);
    expect(fake.connections[0]!.closeCode).toBe(1000);
    await waitFor(() => timeouts() <= before, 2000, 10);

    const port = await freePort();
    const idle = timeouts();
    const down = connect(`ws://127.0.0.1:${port}/subscribe`).src;
    await waitFor(() => down.health().state === 'backoff', 5000, 10);
    await down.stop();
    source = null;
    expect(down.health().state).toBe('stopped');
    // At once, not eventually: the pending retry timer must have been cleared, not left to fire.
    expect(timeouts()).toBeLessThanOrEqual(idle);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.connections).toHaveLength(1); // no reconnect after stop
  });

  it('reports a rate, the last event and counts after a burst', async () => {
    server = await FakeJetstream.start();
    const { src, mentions } = connect(server.url);
    const fake = server;
    await waitFor(() => fake.open.length === 1, 5000, 20);
    for (let i = 0; i < 20; i++) {
      fake.send(
        postFrame({ did: BOB, rkey: `b${i}`, text: `northwind burst ${i}`, timeUs: T0 + i })
      );
    }
    fake.sendBinary(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])); // a zstd frame: ignored
    await waitFor(() => mentions().length === 20, 5000, 20);
    await waitFor(() => src.health().eventsPerSec > 0, 3000, 50);
    const h = src.health();
    expect(h.received).toBe(20);
    expect(h.lastEventAt).not.toBeNull();
    expect(h.lagMs).toBeGreaterThanOrEqual(0);
    expect(h.buffered).toBe(0);
    expect(h.dropped).toBe(0);
    expect(h.state).toBe('connected');
    expect(h.lastError?.message).toMatch(/binary \(compressed\) frame/);
  });
});
