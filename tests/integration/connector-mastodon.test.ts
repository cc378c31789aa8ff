import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/lib/shared/types';
import {
  createMastodonSource,
  type MastodonOptions,
  type MastodonSettings
} from '../../server/adapters/sources/connectors/mastodon';
import type { SourceContext } from '../../server/adapters/sources/context';
import { compileMatcher, trackingSchema } from '../../server/core/tracking';
import type { MentionSink, MentionSource } from '../../server/ports';
import { makeStatus, startFakeMastodon, type FakeMastodon } from '../helpers/fake-mastodon';
import { waitFor } from '../helpers/test-server';

const TOKEN = 'app-token-0123456789';
const matcher = compileMatcher(
  trackingSchema.parse({ keywords: ['northwind'], brand: { handles: ['@NorthwindHelp'] } })
);

function context(onHealthChange: () => void): SourceContext {
  return {
    clock: { now: () => Date.now() },
    logger: pino({ level: 'silent' }),
    matcher,
    onHealthChange,
    backoff: { baseMs: 20, maxMs: 200 }
  };
}

/** A sink that records every committed batch. */
function recordingSink(): { sink: MentionSink; mentions: Mention[] } {
  const mentions: Mention[] = [];
  return {
    mentions,
    sink: async (batch) => {
      mentions.push(...batch);
      return batch.length;
    }
  };
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Watches the timers the connector sets from now on: `pending` holds those that have neither
 * fired nor been cleared. Timers of fetch's connection pool (keep-alive, unref'd) are not the
 * connector's, so only timers set from the connector's own code are counted.
 */
function trackTimers(): { pending: Set<unknown>; restore: () => void } {
  const pending = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const set = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]): unknown => {
    const handle = realSet(() => {
      pending.delete(handle);
      fn(...args);
    }, ms);
    if (new Error().stack?.includes('connectors/mastodon')) pending.add(handle);
    return handle;
  };
  const clear = (handle: Parameters<typeof clearTimeout>[0]): void => {
    pending.delete(handle);
    realClear(handle);
  };
  globalThis.setTimeout = set as unknown as typeof setTimeout;
  globalThis.clearTimeout = clear as typeof clearTimeout;
  const restore = (): void => {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  };
  restores.push(restore);
  return { pending, restore };
}
const restores: (() => void)[] = [];

const fakes: FakeMastodon[] = [];
let source: MentionSource | null = null;

async function fake(opts: { token?: string; redirectTo?: string } = {}): Promise<FakeMastodon> {
  const f = await startFakeMastodon({ token: TOKEN, ...opts });
  fakes.push(f);
  return f;
}

function start(
  over: Partial<MastodonSettings> & { instance: string },
  opts?: MastodonOptions
): { source: MentionSource; mentions: Mention[]; errors: string[] } {
  const settings: MastodonSettings = {
    enabled: true,
    accessToken: TOKEN,
    stream: 'hashtag',
    hashtag: 'northwind',
    transport: 'sse',
    ...over
  };
  // Every error the source reported, even those a reconnect has cleared since.
  const errors: string[] = [];
  const s: MentionSource = createMastodonSource(
    settings,
    context(() => {
      const e = s.health().lastError?.message;
      if (e && errors.at(-1) !== e) errors.push(e);
    }),
    opts
  );
  const { sink, mentions } = recordingSink();
  s.start(sink);
  source = s;
  return { source: s, mentions, errors };
}

afterEach(async () => {
  for (const restore of restores.splice(0)) restore();
  await source?.stop();
  source = null;
  for (const f of fakes.splice(0)) await f.close();
});

describe('mastodon connector over server-sent events', () => {
  it('turns update events into mentions and ignores heartbeats, deletes and junk', async () => {
    const f = await fake();
    const { source: s, mentions } = start({ instance: f.url }, { idleMs: 400 });
    await waitFor(() => s.health().state === 'connected' && f.clients === 1, 5000, 20);

    expect(f.requests[0]).toMatchObject({
      transport: 'sse',
      path: '/api/v1/streaming/hashtag',
      query: { tag: 'northwind' },
      authorization: `Bearer ${TOKEN}`,
      accept: 'text/event-stream',
      status: 200
    });

    // Heartbeats alone, for longer than the idle limit: the stream stays up, nothing is emitted.
    for (let i = 0; i < 8; i++) {
      f.heartbeat();
      await wait(100);
    }
    expect(s.health().state).toBe('connected');
    expect(s.health().reconnects).toBe(0);

    const host = new URL(f.url).host;
    const html = makeStatus({
      id: '9001',
      in_reply_to_id: '9000',
      created_at: '2024-05-01T12:34:56.000Z',
      content:
        '<p>Hi <a href="https://mastodon.example/@NorthwindHelp" class="u-url mention">@<span>NorthwindHelp</span></a> &amp; thanks<br>line</p><script>x()</script>'
    });
    f.deleteStatus('8999');
    f.rawSse('event: update\ndata: {"id": "broken"\n\n');
    f.rawSse('event: update\ndata: [1, 2\n\n');
    f.update(html);
    // No keyword: the hashtag stream keeps it anyway.
    f.update(makeStatus({ id: '9002', content: '<p>kettle day</p>', account: { acct: 'bob' } }));
    // A boost and an edit of a post already delivered add nothing.
    f.update(makeStatus({ id: '9003', reblog: makeStatus() }));
    f.update(html, 'status.update');
    f.update(makeStatus({ id: '9004', content: '<p>last</p>' }));

    await waitFor(() => mentions.length >= 3, 5000, 20);
    await wait(100);
    expect(mentions.map((m) => m.id)).toEqual([`${host}:9001`, `${host}:9002`, `${host}:9004`]);
    expect(mentions[0]).toEqual({
      id: `${host}:9001`,
      source: 'mastodon',
      channel: 'mastodon',
      createdAt: Date.parse('2024-05-01T12:34:56.000Z'),
      text: 'Hi @NorthwindHelp & thanks\nline',
      author: {
        handle: '@alice@mastodon.example',
        name: 'Alice',
        followers: 321,
        verified: false
      },
      lang: 'en',
      url: 'https://mastodon.example/@alice/9001',
      inReplyToId: `${host}:9000`,
      geo: null
    });
    expect(mentions[1]?.author.handle).toBe(`@bob@${host}`);
    for (const m of mentions) expect(m.text).not.toMatch(/<\s*[a-z/]/i);

    const h = s.health();
    expect(h.state).toBe('connected');
    expect(h.reconnects).toBe(0);
    expect(h.received).toBe(3);
    expect(h.lastError?.message).toMatch(/malformed/);
  });

  it('reconnects when the stream goes silent', async () => {
    const f = await fake();
    const { source: s, errors } = start({ instance: f.url }, { idleMs: 200 });
    await waitFor(() => s.health().reconnects >= 1 && f.requests.length >= 2, 5000, 20);
    expect(errors[0]).toMatch(
      /^no data or heartbeat from 127\.0\.0\.1:\d+ for 0\.2 s; reconnecting in/
    );
  });

  it('reports a refused token, backs off and retries', async () => {
    const f = await fake({ token: 'another-token' });
    const { source: s } = start({ instance: f.url });
    await waitFor(() => s.health().state === 'backoff', 5000, 5);
    expect(s.health().lastError?.message).toMatch(
      /^the access token was refused \(401\): check mastodon\.accessToken/
    );
    await waitFor(() => s.health().reconnects >= 2 && f.requests.length >= 3, 5000, 20);
    expect(f.requests.every((r) => r.status === 401)).toBe(true);
  });

  it('reconnects with backoff after the server ends the stream', async () => {
    const f = await fake();
    const { source: s, mentions } = start({ instance: f.url });
    await waitFor(() => f.clients === 1, 5000, 20);
    f.endStreams();
    await waitFor(() => s.health().reconnects >= 1 && f.clients === 1, 5000, 20);
    await waitFor(() => s.health().state === 'connected', 5000, 20);
    expect(s.health().lastError).toBeNull();
    f.update(makeStatus({ id: '42' }));
    await waitFor(() => mentions.length === 1, 5000, 20);
  });

  it('filters the public stream with the matcher', async () => {
    const f = await fake();
    const { mentions } = start({ instance: f.url, stream: 'public', hashtag: undefined });
    await waitFor(() => f.clients === 1, 5000, 20);
    expect(f.requests[0]?.path).toBe('/api/v1/streaming/public');
    expect(f.requests[0]?.query).toEqual({});
    f.update(makeStatus({ id: '1', content: '<p>cats are great</p>' }));
    f.update(makeStatus({ id: '2', content: '<p>my Northwind order is late</p>' }));
    f.update(makeStatus({ id: '3', content: '<p>cc <span>@NorthwindHelp</span></p>' }));
    await waitFor(() => mentions.length >= 2, 5000, 20);
    await wait(50);
    expect(mentions.map((m) => m.id.split(':').pop())).toEqual(['2', '3']);
  });

  it('follows a redirect to the streaming host and keeps the token', async () => {
    const streaming = await fake();
    const web = await fake({ redirectTo: streaming.url });
    const { source: s, mentions } = start({
      instance: web.url,
      stream: 'public:local',
      hashtag: undefined
    });
    await waitFor(() => streaming.clients === 1, 5000, 20);
    expect(web.requests[0]).toMatchObject({ path: '/api/v1/streaming/public/local', status: 301 });
    expect(streaming.requests[0]).toMatchObject({
      path: '/api/v1/streaming/public/local',
      authorization: `Bearer ${TOKEN}`,
      status: 200
    });
    streaming.update(makeStatus({ id: '5', content: '<p>northwind</p>' }));
    await waitFor(() => mentions.length === 1, 5000, 20);
    // Ids keep the configured instance's host, where the status ids come from.
    expect(mentions[0]?.id).toBe(`${new URL(web.url).host}:5`);
    expect(s.health().state).toBe('connected');
  });

  it('stop() aborts the stream and leaves no timers', async () => {
    const f = await fake();
    const timers = trackTimers();
    const { source: s } = start({ instance: f.url });
    await waitFor(() => f.clients === 1, 5000, 20);
    expect(timers.pending.size).toBeGreaterThan(0);
    await s.stop();
    expect(s.health().state).toBe('stopped');
    expect(timers.pending.size).toBe(0);
    await waitFor(() => f.clients === 0, 5000, 20);
  });

  it('stop() during backoff cancels the retry', async () => {
    const f = await fake({ token: 'another-token' });
    const timers = trackTimers();
    const { source: s } = start({ instance: f.url });
    await waitFor(() => s.health().state === 'backoff', 5000, 5);
    expect(timers.pending.size).toBe(1);
    await s.stop();
    const seen = f.requests.length;
    expect(timers.pending.size).toBe(0);
    await wait(300);
    expect(f.requests.length).toBe(seen);
    expect(s.health().state).toBe('stopped');
  });
});

describe('mastodon connector over WebSocket', () => {
  it('parses the payload a second time and ignores other events', async () => {
    const f = await fake();
    const { source: s, mentions } = start({ instance: f.url, transport: 'websocket' });
    await waitFor(() => s.health().state === 'connected' && f.clients === 1, 5000, 20);
    expect(f.requests[0]).toMatchObject({
      transport: 'websocket',
      path: '/api/v1/streaming',
      query: { stream: 'hashtag', tag: 'northwind', access_token: TOKEN },
      authorization: `Bearer ${TOKEN}`,
      status: 101
    });

    f.heartbeat();
    f.deleteStatus('77');
    f.rawWs('not json');
    f.rawWs(JSON.stringify({ stream: ['hashtag', 'northwind'], event: 'update', payload: '{' }));
    f.rawWs(JSON.stringify({ stream: ['hashtag', 'northwind'], event: 'notification' }));
    f.update(makeStatus({ id: '100', content: '<p>tea &amp; <b>kettles</b></p>' }));
    f.update(makeStatus({ id: '100', content: '<p>edited</p>' }), 'status.update');
    f.update(makeStatus({ id: '101', spoiler_text: 'spoilers' }), 'status.update');

    await waitFor(() => mentions.length >= 2, 5000, 20);
    await wait(50);
    const host = new URL(f.url).host;
    expect(mentions.map((m) => [m.id, m.text])).toEqual([
      [`${host}:100`, 'tea & kettles'],
      [`${host}:101`, 'CW: spoilers\nLoving my new #northwind kettle']
    ]);
    expect(s.health().state).toBe('connected');
    expect(s.health().lastError?.message).toMatch(/malformed/);
  });

  it('subscribes to public:local and filters it', async () => {
    const f = await fake();
    const { mentions } = start({
      instance: f.url,
      transport: 'websocket',
      stream: 'public:local',
      hashtag: undefined
    });
    await waitFor(() => f.clients === 1, 5000, 20);
    expect(f.requests[0]?.query).toEqual({ stream: 'public:local', access_token: TOKEN });
    f.update(makeStatus({ id: '1', content: '<p>nothing to see</p>' }));
    f.update(makeStatus({ id: '2', content: '<p>northwind rocks</p>' }));
    await waitFor(() => mentions.length >= 1, 5000, 20);
    await wait(50);
    expect(mentions.map((m) => m.id.split(':').pop())).toEqual(['2']);
  });

  it('reports a refused token and retries', async () => {
    const f = await fake({ token: 'another-token' });
    const { source: s } = start({ instance: f.url, transport: 'websocket' });
    await waitFor(() => s.health().state === 'backoff', 5000, 5);
    expect(s.health().lastError?.message).toMatch(/access token was refused \(401\)/);
    await waitFor(() => s.health().reconnects >= 2 && f.requests.length >= 3, 5000, 20);
  });

  it('reconnects after the server closes the socket', async () => {
    const f = await fake();
    const { source: s, mentions } = start({ instance: f.url, transport: 'websocket' });
    await waitFor(() => f.clients === 1, 5000, 20);
    f.endStreams();
    await waitFor(() => s.health().reconnects >= 1 && f.clients === 1, 5000, 20);
    await waitFor(() => s.health().state === 'connected', 5000, 20);
    f.update(makeStatus({ id: '8' }));
    await waitFor(() => mentions.length === 1, 5000, 20);
  });

  it('follows a redirect to the streaming host', async () => {
    const streaming = await fake();
    const web = await fake({ redirectTo: streaming.url });
    const { source: s, mentions } = start({ instance: web.url, transport: 'websocket' });
    await waitFor(() => streaming.clients === 1 && s.health().state === 'connected', 5000, 20);
    expect(web.requests[0]).toMatchObject({ transport: 'websocket', status: 301 });
    expect(streaming.requests[0]).toMatchObject({
      path: '/api/v1/streaming',
      query: { stream: 'hashtag', tag: 'northwind', access_token: TOKEN },
      authorization: `Bearer ${TOKEN}`,
      status: 101
    });
    streaming.update(makeStatus({ id: '6' }));
    await waitFor(() => mentions.length === 1, 5000, 20);
  });

  it('stop() closes the socket and leaves no timers', async () => {
    const f = await fake();
    const timers = trackTimers();
    const { source: s } = start({ instance: f.url, transport: 'websocket' });
    await waitFor(() => f.clients === 1, 5000, 20);
    expect(timers.pending.size).toBeGreaterThan(0);
    await s.stop();
    expect(s.health().state).toBe('stopped');
    expect(timers.pending.size).toBe(0);
    await waitFor(() => f.clients === 0, 5000, 20);
  });
});
