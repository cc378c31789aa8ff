import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeScheduler } from '../../server/adapters/scheduler/node-scheduler';
import {
  createRssSources,
  RSS_USER_AGENT,
  type RssOptions
} from '../../server/adapters/sources/connectors/rss';
import type { SourceContext } from '../../server/adapters/sources/context';
import type { BackoffOptions } from '../../server/core/backoff';
import { compileMatcher, sourcesSchema, trackingSchema } from '../../server/core/tracking';
import type { MentionSource } from '../../server/ports';
import {
  FakeFeedServer,
  ManualScheduler,
  RecordingSink,
  sleep,
  waitFor,
  type FakeEntry
} from '../helpers/fake-feed';

const matcher = compileMatcher(
  trackingSchema.parse({ keywords: ['northwind'], brand: { handles: ['@NorthwindHelp'] } })
);

function context(backoff: BackoffOptions = { baseMs: 20, maxMs: 200 }): SourceContext {
  return {
    clock: { now: () => Date.now() },
    logger: pino({ level: 'silent' }),
    matcher,
    onHealthChange: () => {},
    backoff
  };
}

const T0 = Date.parse('2025-03-01T09:00:00Z');

function entry(n: number, extra: Partial<FakeEntry> = {}): FakeEntry {
  return {
    id: `tag:example.com,2025:post-${n}`,
    title: `Post ${n}`,
    html: `<p>Body of post <b>${n}</b></p>`,
    link: `https://example.com/posts/${n}`,
    published: new Date(T0 + n * 60_000),
    ...extra
  };
}

let server: FakeFeedServer;
let sources: MentionSource[] = [];

beforeEach(async () => {
  server = await FakeFeedServer.start();
  sources = [];
});

afterEach(async () => {
  await Promise.all(sources.map((s) => s.stop()));
  await server.close();
});

/** Builds and starts the connector's sources over the given feeds. */
function startSources(
  feeds: unknown[],
  opts: {
    scheduler?: ManualScheduler | ReturnType<typeof createNodeScheduler>;
    ctx?: SourceContext;
    rss?: RssOptions;
    schedule?: string;
  } = {}
): { sink: RecordingSink; sources: MentionSource[]; scheduler: ManualScheduler } {
  const settings = sourcesSchema.parse({
    rss: { schedule: opts.schedule ?? '*/5 * * * *', feeds }
  }).rss!;
  const scheduler = opts.scheduler ?? new ManualScheduler();
  const sink = new RecordingSink();
  const created = createRssSources(settings, opts.ctx ?? context(), scheduler, opts.rss);
  sources.push(...created);
  for (const s of created) s.start(sink.sink);
  return { sink, sources: created, scheduler: scheduler as ManualScheduler };
}

describe('RSS connector', () => {
  it('delivers every item of an RSS 2.0 and an Atom feed on the first poll', async () => {
    server.rssItems = [
      entry(2, {
        title: 'Northwind opens a new depot',
        html: '<p>Read <a href="https://evil.example/">this</a> &amp; that.</p><script>alert("x")</script>',
        author: 'Jane Doe'
      }),
      entry(1)
    ];
    server.atomEntries = [entry(3, { author: 'Émile Zola' }), entry(4)];
    const {
      sink,
      sources: [rss, atom]
    } = startSources([{ url: server.rssUrl }, { url: server.atomUrl, channel: 'forum' }]);
    expect(rss!.name).toBe('rss:127.0.0.1');
    expect(atom!.name).toBe('rss:127.0.0.1-2');
    expect(rss!.kind).toBe('rss');

    await waitFor(() => sink.all.length === 4, 5000, 'four mentions');
    await waitFor(
      () => rss!.health().state === 'connected' && atom!.health().state === 'connected'
    );

    const byId = new Map(sink.all.map((m) => [m.id, m]));
    expect(byId.get('tag:example.com,2025:post-2')).toEqual({
      id: 'tag:example.com,2025:post-2',
      source: 'rss:127.0.0.1',
      channel: 'news',
      createdAt: T0 + 2 * 60_000,
      text: 'Northwind opens a new depot — Read this & that.',
      author: { handle: '@jane-doe', name: 'Jane Doe', followers: 0, verified: false },
      lang: 'en-us',
      url: 'https://example.com/posts/2',
      inReplyToId: null,
      geo: null
    });
    // No author: the feed title names it, the host makes the handle.
    expect(byId.get('tag:example.com,2025:post-1')!.author).toEqual({
      handle: '@127.0.0.1',
      name: 'Fake RSS',
      followers: 0,
      verified: false
    });
    expect(byId.get('tag:example.com,2025:post-1')!.text).toBe('Post 1 — Body of post 1');

    const a3 = byId.get('tag:example.com,2025:post-3')!;
    expect(a3).toMatchObject({
      source: 'rss:127.0.0.1-2',
      channel: 'forum',
      createdAt: T0 + 3 * 60_000,
      text: 'Post 3 — Body of post 3',
      author: { handle: '@emile-zola', name: 'Émile Zola' },
      lang: 'en',
      url: 'https://example.com/posts/3'
    });
    // Atom: an entry without an author inherits the feed's.
    expect(byId.get('tag:example.com,2025:post-4')!.author.name).toBe('Fake Feed Desk');
    for (const m of sink.all) expect(m.text).not.toMatch(/alert|script/);

    const req = server.requestsFor('/rss.xml')[0]!;
    expect(req.headers['user-agent']).toBe(RSS_USER_AGENT);
    expect(req.headers['if-none-match']).toBeUndefined();
    expect(rss!.health()).toMatchObject({ received: 2, lastError: null, reconnects: 0 });
  });

  it('names feeds by their configured name and keeps names unique', () => {
    const settings = sourcesSchema.parse({
      rss: {
        feeds: [
          { url: 'https://blog.example.com/feed.xml', name: 'acme-blog' },
          { url: 'https://blog.example.com/other.xml' },
          { url: 'https://news.example.org/rss', name: 'acme-blog' }
        ]
      }
    }).rss!;
    const names = createRssSources(settings, context(), new ManualScheduler()).map((s) => s.name);
    expect(names).toEqual(['rss:acme-blog', 'rss:blog.example.com', 'rss:acme-blog-2']);
    expect(
      createRssSources({ ...settings, enabled: false }, context(), new ManualScheduler())
    ).toEqual([]);
  });

  it('sends a conditional GET, treats 304 as an empty poll and delivers only new items', async () => {
    server.rssItems = [entry(2), entry(1)];
    const {
      sink,
      sources: [rss],
      scheduler
    } = startSources([{ url: server.rssUrl }]);
    await waitFor(() => sink.all.length === 2);
    await waitFor(() => rss!.health().state === 'connected');
    const etag = server.requests[0]!;
    expect(scheduler.jobs[0]!.expression).toBe('*/5 * * * *');

    scheduler.fire();
    await waitFor(() => server.requests.length === 2);
    const second = server.requests[1]!;
    expect(second.headers['if-none-match']).toMatch(/^"[0-9a-f]{20}"$/);
    expect(second.headers['if-modified-since']).toMatch(/GMT$/);
    expect(etag.headers['if-none-match']).toBeUndefined();
    await sleep(100);
    expect(rss!.health().state).toBe('connected');
    expect(sink.batches.length).toBe(1);

    server.rssItems = [entry(3, { title: 'Fresh news' }), entry(2), entry(1)];
    scheduler.fire();
    await waitFor(() => sink.all.length === 3);
    await sleep(100);
    expect(sink.batches.length).toBe(2);
    expect(sink.batches[1]!.map((m) => m.id)).toEqual(['tag:example.com,2025:post-3']);
    expect(sink.batches[1]![0]!.text).toBe('Fresh news — Body of post 3');
    expect(rss!.health().lastError).toBeNull();
  });

  it('polls on a seconds cron expression with the real scheduler', async () => {
    server.atomEntries = [entry(1)];
    const { sink } = startSources([{ url: server.atomUrl }], {
      scheduler: createNodeScheduler(),
      schedule: '*/1 * * * * *'
    });
    await waitFor(() => sink.all.length === 1);
    await waitFor(() => server.requests.length >= 2, 4000, 'a cron poll');
    expect(server.requests[1]!.headers['if-none-match']).toBeDefined();
    expect(sink.all.length).toBe(1);
  });

  it('backs off on a 500, names the URL and the status, and recovers', async () => {
    server.rssItems = [entry(1)];
    server.mode.rss = { kind: 'status', status: 500 };
    const {
      sink,
      sources: [rss]
    } = startSources([{ url: server.rssUrl }]);
    await waitFor(() => rss!.health().state === 'backoff');
    expect(rss!.health().lastError!.message).toMatch(
      new RegExp(
        `^${server.rssUrl.replace(/\./g, '\\.')} answered 500 Internal Server Error; retrying in \\d`
      )
    );
    // The retry timer keeps trying while the server fails.
    await waitFor(() => server.requests.length >= 3);
    expect(rss!.health().reconnects).toBeGreaterThanOrEqual(2);

    server.mode.rss = { kind: 'ok' };
    await waitFor(() => sink.all.length === 1, 5000, 'recovery');
    await waitFor(() => rss!.health().state === 'connected');
    expect(rss!.health().lastError).toBeNull();
  });

  it('reports malformed XML and a timeout, then recovers', async () => {
    server.rssItems = [entry(1)];
    server.atomEntries = [entry(2)];
    server.mode.rss = { kind: 'malformed' };
    server.mode.atom = { kind: 'hang' };
    const {
      sink,
      sources: [rss, atom]
    } = startSources([{ url: server.rssUrl }, { url: server.atomUrl }], {
      rss: { timeoutMs: 200 }
    });
    await waitFor(() => rss!.health().state === 'backoff');
    expect(rss!.health().lastError!.message).toContain(
      `${server.rssUrl} did not return a feed: not valid XML`
    );
    await waitFor(() => atom!.health().state === 'backoff', 3000);
    expect(atom!.health().lastError!.message).toContain(
      `${server.atomUrl} did not answer within 0.2 s`
    );
    // The client gave up on the request: the server sees the connection close.
    await waitFor(() => server.requestsFor('/atom.xml')[0]!.aborted, 2000, 'request aborted');

    server.mode.rss = { kind: 'ok' };
    server.mode.atom = { kind: 'ok' };
    await waitFor(() => sink.all.length === 2, 5000, 'recovery');
    await waitFor(
      () => rss!.health().state === 'connected' && atom!.health().state === 'connected'
    );
  });

  it('skips cron ticks while a retry is pending and never overlaps polls', async () => {
    server.mode.rss = { kind: 'status', status: 404 };
    server.mode.atom = { kind: 'hang' };
    const {
      sources: [rss, atom],
      scheduler
    } = startSources([{ url: server.rssUrl }, { url: server.atomUrl }], {
      ctx: context({ baseMs: 10_000, maxMs: 10_000 }),
      rss: { timeoutMs: 10_000 }
    });
    await waitFor(() => rss!.health().state === 'backoff');
    expect(rss!.health().lastError!.message).toContain(
      `${server.rssUrl} answered 404 Not Found (check the feed address)`
    );
    await waitFor(() => server.requestsFor('/atom.xml').length === 1);
    scheduler.fire();
    scheduler.fire();
    await sleep(150);
    expect(server.requestsFor('/rss.xml').length).toBe(1);
    expect(server.requestsFor('/atom.xml').length).toBe(1);
    expect(atom!.health().state).toBe('connecting');
  });

  it('keeps only matching items when filter is on', async () => {
    server.rssItems = [
      entry(1, { title: 'Weather: rain all week' }),
      entry(2, { title: 'Northwind cuts delivery times' }),
      entry(3, { title: 'Ask @NorthwindHelp about refunds' }),
      entry(4, { title: 'Northwindows are not a brand' })
    ];
    const {
      sink,
      sources: [rss]
    } = startSources([{ url: server.rssUrl, filter: true }]);
    await waitFor(() => rss!.health().state === 'connected');
    await sleep(50);
    expect(sink.all.map((m) => m.id).sort()).toEqual([
      'tag:example.com,2025:post-2',
      'tag:example.com,2025:post-3'
    ]);
  });

  it('refuses a feed larger than the size cap', async () => {
    server.mode.rss = { kind: 'huge', bytes: 1024 * 1024, declare: false };
    server.mode.atom = { kind: 'huge', bytes: 6 * 1024 * 1024, declare: true };
    const {
      sink,
      sources: [small, big]
    } = startSources([{ url: server.rssUrl, name: 'small-cap' }, { url: server.atomUrl }], {
      rss: { maxBytes: 64 * 1024 }
    });
    await waitFor(() => small!.health().state === 'backoff');
    expect(small!.health().lastError!.message).toContain(
      `${server.rssUrl} sent a feed larger than 64 KB; it was refused`
    );
    await waitFor(() => big!.health().state === 'backoff');
    expect(big!.health().lastError!.message).toContain('larger than 64 KB');
    expect(sink.all).toEqual([]);

    // The default cap is 5 MB; a declared 6 MB body is refused before it is read.
    const defaults = startSources([{ url: server.atomUrl, name: 'default-cap' }]);
    await waitFor(() => defaults.sources[0]!.health().state === 'backoff');
    expect(defaults.sources[0]!.health().lastError!.message).toContain(
      `${server.atomUrl} sent a feed larger than 5 MB; it was refused`
    );
  });

  it('stop() cancels the cron job, the retry timer and an in-flight fetch', async () => {
    server.mode.rss = { kind: 'status', status: 503 };
    server.mode.atom = { kind: 'hang' };
    const { sources: started, scheduler } = startSources(
      [{ url: server.rssUrl }, { url: server.atomUrl }],
      { ctx: context({ baseMs: 300, maxMs: 300 }) }
    );
    const [rss, atom] = started;
    await waitFor(() => rss!.health().state === 'backoff');
    await waitFor(() => server.requestsFor('/atom.xml').length === 1);
    expect(scheduler.active).toBe(2);

    const t = Date.now();
    await Promise.all([rss!.stop(), atom!.stop()]);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(scheduler.active).toBe(0);
    expect(rss!.health().state).toBe('stopped');
    expect(atom!.health().state).toBe('stopped');
    await waitFor(() => server.requestsFor('/atom.xml')[0]!.aborted, 2000, 'fetch aborted');

    // Past the 300 ms backoff no retry happens, and a late tick does nothing.
    scheduler.jobs.forEach((j) => j.fn());
    await sleep(450);
    expect(server.requestsFor('/rss.xml').length).toBe(1);
    expect(server.requestsFor('/atom.xml').length).toBe(1);
  });

  it('reports an invalid schedule instead of polling', async () => {
    const {
      sources: [rss]
    } = startSources([{ url: server.rssUrl }], {
      scheduler: createNodeScheduler(),
      schedule: 'every five minutes'
    });
    expect(rss!.health().state).toBe('idle');
    expect(rss!.health().lastError!.message).toContain(
      'the RSS schedule "every five minutes" is not a valid cron expression'
    );
    await sleep(50);
    expect(server.requests.length).toBe(0);
  });
});
