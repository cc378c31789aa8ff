import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Mention } from '../../src/lib/shared/types';
import type { Cancel, Scheduler } from '../../server/adapters/scheduler/node-scheduler';
import type { MentionSink } from '../../server/ports';

/** One item of a fake feed; rendered as an RSS 2.0 `<item>` or an Atom `<entry>`. */
export interface FakeEntry {
  id: string;
  title: string;
  /** HTML, escaped into the feed as RSS `description` / Atom `summary type="html"`. */
  html: string;
  link: string;
  published: Date;
  author?: string;
}

/** How the fake server answers a feed path. */
export type FeedMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number }
  | { kind: 'malformed' }
  /** Never answers; the request stays open until the client gives up. */
  | { kind: 'hang' }
  /** Streams `bytes` bytes of feed-looking XML; with `declare`, sends Content-Length first. */
  | { kind: 'huge'; bytes: number; declare: boolean };

/** A request the fake server received. */
export interface SeenRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Set when the client closed the connection before the answer was complete. */
  aborted: boolean;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An RSS 2.0 document (https://www.rssboard.org/rss-specification). */
export function renderRss(title: string, link: string, items: readonly FakeEntry[]): string {
  const body = items
    .map(
      (i) => `
    <item>
      <title>${escapeXml(i.title)}</title>
      <link>${escapeXml(i.link)}</link>
      <description>${escapeXml(i.html)}</description>
      <pubDate>${i.published.toUTCString()}</pubDate>
      <guid isPermaLink="false">${escapeXml(i.id)}</guid>${
        i.author ? `\n      <dc:creator>${escapeXml(i.author)}</dc:creator>` : ''
      }
    </item>`
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeXml(title)}</title>
    <link>${escapeXml(link)}</link>
    <atom:link href="${escapeXml(link)}rss.xml" rel="self" type="application/rss+xml"/>
    <description>A fake feed for tests</description>
    <language>en-us</language>${body}
  </channel>
</rss>
`;
}

/** An Atom 1.0 document (RFC 4287). */
export function renderAtom(title: string, link: string, entries: readonly FakeEntry[]): string {
  const updated = entries.reduce((t, e) => Math.max(t, e.published.getTime()), 0);
  const body = entries
    .map(
      (e) => `
  <entry>
    <title type="text">${escapeXml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(e.link)}"/>
    <link rel="replies" href="${escapeXml(e.link)}#comments"/>
    <id>${escapeXml(e.id)}</id>
    <published>${e.published.toISOString()}</published>
    <updated>${e.published.toISOString()}</updated>
    <summary type="html">${escapeXml(e.html)}</summary>${
      e.author ? `\n    <author><name>${escapeXml(e.author)}</name></author>` : ''
    }
  </entry>`
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>${escapeXml(title)}</title>
  <link href="${escapeXml(link)}"/>
  <link rel="self" href="${escapeXml(link)}atom.xml"/>
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <updated>${new Date(updated).toISOString()}</updated>
  <author><name>Fake Feed Desk</name></author>${body}
</feed>
`;
}

/**
 * A feed server on 127.0.0.1 serving `/rss.xml` (RSS 2.0) and `/atom.xml` (Atom 1.0) with
 * strong ETags and Last-Modified, answering conditional requests with 304 as RFC 9110 §13
 * describes (If-None-Match wins over If-Modified-Since). Each path can be switched to an error
 * mode; every request is recorded.
 */
export class FakeFeedServer {
  readonly requests: SeenRequest[] = [];
  rssItems: FakeEntry[] = [];
  atomEntries: FakeEntry[] = [];
  readonly mode: Record<'rss' | 'atom', FeedMode> = { rss: { kind: 'ok' }, atom: { kind: 'ok' } };
  /** Last-Modified per distinct body, so a changed feed gets a later date. */
  private readonly modified = new Map<string, Date>();

  private constructor(
    private readonly server: Server,
    readonly origin: string
  ) {}

  /** Starts a server on an ephemeral port. */
  static async start(): Promise<FakeFeedServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeFeedServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => fake.handle(req, res));
    return fake;
  }

  get rssUrl(): string {
    return `${this.origin}/rss.xml`;
  }

  get atomUrl(): string {
    return `${this.origin}/atom.xml`;
  }

  /** Requests received for a path. */
  requestsFor(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Closes every connection (including hanging ones) and the server. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    const seen: SeenRequest = { path, headers: req.headers, aborted: false };
    this.requests.push(seen);
    res.on('close', () => {
      if (!res.writableFinished) seen.aborted = true;
    });
    const which = path === '/rss.xml' ? 'rss' : path === '/atom.xml' ? 'atom' : null;
    if (!which || req.method !== 'GET') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const mode = this.mode[which];
    const type = which === 'rss' ? 'application/rss+xml' : 'application/atom+xml';
    switch (mode.kind) {
      case 'status':
        res.writeHead(mode.status, { 'Content-Type': 'text/plain' }).end('failure');
        return;
      case 'malformed':
        res
          .writeHead(200, { 'Content-Type': `${type}; charset=utf-8` })
          .end('<?xml version="1.0"?>\n<rss version="2.0"><channel><item><title>cut');
        return;
      case 'hang':
        return;
      case 'huge':
        this.streamHuge(res, mode.bytes, mode.declare, type);
        return;
      case 'ok':
        break;
    }
    const body =
      which === 'rss'
        ? renderRss('Fake RSS', `${this.origin}/`, this.rssItems)
        : renderAtom('Fake Atom', `${this.origin}/`, this.atomEntries);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 20)}"`;
    let modified = this.modified.get(etag);
    if (!modified) {
      // HTTP dates have one-second precision: keep each version's date distinct.
      const previous = Math.max(0, ...[...this.modified.values()].map((d) => d.getTime()));
      modified = new Date(Math.max(Math.floor(Date.now() / 1000) * 1000, previous + 1000));
      this.modified.set(etag, modified);
    }
    const validators = { ETag: etag, 'Last-Modified': modified.toUTCString() };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    let notModified = false;
    if (inm !== undefined) {
      // Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
      const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
      notModified = tags.includes('*') || tags.includes(etag);
    } else if (ims !== undefined) {
      const since = Date.parse(ims);
      notModified = Number.isFinite(since) && modified.getTime() <= since;
    }
    if (notModified) {
      res.writeHead(304, validators).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, ...validators }).end(body);
  }

  private streamHuge(res: ServerResponse, bytes: number, declare: boolean, type: string): void {
    const headers: Record<string, string | number> = { 'Content-Type': type };
    if (declare) headers['Content-Length'] = bytes;
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, '<!-- padding padding padding -->\n');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !res.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += part.length;
        if (!res.write(part)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }
}

/** A scheduler whose cron jobs run only when the test calls `fire()`. */
export class ManualScheduler implements Scheduler {
  readonly jobs: { expression: string; fn: () => void; cancelled: boolean }[] = [];

  every(_ms: number, fn: () => void): Cancel {
    return this.cron('every', fn);
  }

  cron(expression: string, fn: () => void): Cancel {
    const job = { expression, fn, cancelled: false };
    this.jobs.push(job);
    return () => {
      job.cancelled = true;
    };
  }

  /** Jobs not cancelled. */
  get active(): number {
    return this.jobs.filter((j) => !j.cancelled).length;
  }

  /** Runs every active job once, as a cron tick would. */
  fire(): void {
    for (const j of this.jobs) if (!j.cancelled) j.fn();
  }
}

/** A sink that records each committed batch. */
export class RecordingSink {
  readonly batches: Mention[][] = [];
  readonly sink: MentionSink = async (mentions) => {
    this.batches.push(mentions);
    return mentions.length;
  };

  /** Every mention received, in order. */
  get all(): Mention[] {
    return this.batches.flat();
  }
}

/** Polls `fn` every 20 ms until it returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(fn: () => T, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
