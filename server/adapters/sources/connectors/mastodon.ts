import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import WebSocket, { type RawData } from 'ws';
import type { Mention, SourceHealth } from '../../../../src/lib/shared/types';
import { backoffDelay, CONNECTOR_BACKOFF } from '../../../core/backoff';
import type { SourcesConfig } from '../../../core/tracking';
import type { MentionSink, MentionSource } from '../../../ports';
import { SourceBuffer } from '../buffer';
import type { SourceContext } from '../context';
import { HealthTracker } from '../health';
import { htmlToText } from '../html-text';

/** Settings of the Mastodon connector, as validated by `sourcesSchema`. */
export type MastodonSettings = NonNullable<SourcesConfig['mastodon']>;

/** Knobs tests turn; production uses the defaults. */
export interface MastodonOptions {
  /**
   * Silence (no post, no heartbeat) after which the stream is taken for dead and reopened, ms.
   * Mastodon sends a heartbeat about every 10 s, so the default allows four to go missing.
   */
  idleMs?: number;
}

const IDLE_MS = 45_000;
/** A connection that stayed up this long was healthy: the next failure retries quickly again. */
const STABLE_MS = 30_000;
/** Longest mention text the schema accepts; longer posts are cut rather than refused. */
const MAX_TEXT = 10_000;
/** Largest SSE event buffered while it arrives; a status is a few kB, 1 M chars is hostile. */
const MAX_EVENT_CHARS = 1_000_000;
/** Largest WebSocket message accepted (ws closes the socket beyond it). */
const MAX_WS_PAYLOAD = 4 * 1024 * 1024;
/** Ids recently offered, so edits and re-deliveries do not cost a validation and a commit. */
const RECENT_IDS = 4096;
/** Instances with a separate streaming host redirect to it; more hops than this is a loop. */
const MAX_REDIRECTS = 3;
const MAX_FOLLOWERS = 10_000_000_000;
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Mastodon ids are strings; a few servers send numbers. */
function idOf(v: unknown): string | null {
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return null;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function httpUrl(v: unknown): string | null {
  return typeof v === 'string' && v.length <= 2000 && HTTP_URL.test(v) ? v : null;
}

/** {@link statusToMention} with the instance host already parsed (once per connector). */
function mapStatus(status: unknown, host: string): Mention | null {
  if (!isRecord(status)) return null;
  // A boost repeats someone else's post: the original is (or was) delivered on its own.
  if (status.reblog !== null && status.reblog !== undefined) return null;
  const id = idOf(status.id);
  const account = status.account;
  if (id === null || !isRecord(account)) return null;
  const acct = typeof account.acct === 'string' ? account.acct.replace(/^@/, '') : '';
  if (acct.length === 0) return null;
  const createdAt = typeof status.created_at === 'string' ? Date.parse(status.created_at) : NaN;
  if (!Number.isFinite(createdAt)) return null;

  const content = typeof status.content === 'string' ? htmlToText(status.content) : '';
  // Spoiler text is plain text in the Status entity, not HTML.
  const spoiler = typeof status.spoiler_text === 'string' ? status.spoiler_text.trim() : '';
  const text = truncate(spoiler ? `CW: ${spoiler}\n${content}` : content, MAX_TEXT);

  const displayName = typeof account.display_name === 'string' ? account.display_name.trim() : '';
  const username = typeof account.username === 'string' ? account.username : '';
  const followers = account.followers_count;
  const lang = status.language;
  const parent = idOf(status.in_reply_to_id);

  return {
    // Status ids are per instance: one scheme for posts and their parents keeps replies linked.
    id: `${host}:${id}`,
    source: 'mastodon',
    channel: 'mastodon',
    createdAt,
    text,
    author: {
      // A remote account's acct is user@domain; a local one is the bare username.
      handle: `@${acct.includes('@') ? acct : `${acct}@${host}`}`,
      name: (displayName || username || acct).slice(0, 300),
      followers:
        typeof followers === 'number' && Number.isFinite(followers) && followers > 0
          ? Math.min(Math.floor(followers), MAX_FOLLOWERS)
          : 0,
      verified: false
    },
    lang: typeof lang === 'string' && lang.length >= 2 && lang.length <= 35 ? lang : null,
    url: httpUrl(status.url) ?? httpUrl(status.uri),
    inReplyToId: parent === null ? null : `${host}:${parent}`,
    geo: null
  };
}

/**
 * Maps a Mastodon Status entity (as streamed) to a mention candidate, or null when it is not a
 * post of its own (a boost) or lacks what a mention needs. `instance` is the base URL of the
 * instance streamed from: ids are `<host>:<status id>` there, replies point at
 * `<host>:<in_reply_to_id>`, and local accounts get `@<host>` appended to their handle. The text
 * is the HTML content as plain text (with a `CW: …` line first when there is a content warning),
 * cut to 10,000 characters. The result still goes through the mention schema in the buffer.
 */
export function statusToMention(status: unknown, instance: string): Mention | null {
  let host: string;
  try {
    host = new URL(instance).host;
  } catch {
    return null;
  }
  return mapStatus(status, host);
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** One attempt at an open stream (across any redirects), with its own idle timer. */
interface Connection {
  /** Closes the transport; safe to call more than once. */
  close: () => void;
  idle: ReturnType<typeof setTimeout> | null;
  openedAt: number | null;
  /** A post arrived: the server really streams, so the backoff starts over. */
  gotPosts: boolean;
  ended: boolean;
}

/**
 * The Mastodon streaming connector: follows the public, local or hashtag timeline of one instance
 * over server-sent events or a WebSocket (docs.joinmastodon.org/methods/streaming), maps each
 * `update`/`status.update` to a mention and hands it to the source buffer. Public timelines are
 * filtered with the tracking matcher; a hashtag stream is the filter already. A stream silent for
 * `idleMs` (no post, no heartbeat) is reopened; every failure retries with jittered backoff.
 */
export function createMastodonSource(
  settings: MastodonSettings,
  ctx: SourceContext,
  opts: MastodonOptions = {}
): MentionSource {
  const instance = new URL(settings.instance);
  const host = instance.host;
  if (settings.stream === 'hashtag' && !settings.hashtag) {
    throw new Error('mastodon.hashtag is required for the hashtag stream');
  }
  const idleMs = opts.idleMs ?? IDLE_MS;
  const backoff = ctx.backoff ?? CONNECTOR_BACKOFF;
  const random = ctx.random ?? Math.random;
  const log = ctx.logger.child({ source: 'mastodon' });
  const health = new HealthTracker('mastodon', 'mastodon', ctx.clock, ctx.onHealthChange);
  const bearer = `Bearer ${settings.accessToken}`;
  const recent = new Set<string>();

  let buffer: SourceBuffer | null = null;
  let running = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let conn: Connection | null = null;
  let malformed = 0;
  let malformedReportedAt = -Infinity;
  /** Where the streaming API lives: the instance, or the streaming host it redirected us to. */
  let streamOrigin = instance.origin;

  function sseUrl(): URL {
    const path =
      settings.stream === 'public'
        ? 'public'
        : settings.stream === 'public:local'
          ? 'public/local'
          : 'hashtag';
    const url = new URL(`/api/v1/streaming/${path}`, streamOrigin);
    if (settings.stream === 'hashtag') url.searchParams.set('tag', settings.hashtag ?? '');
    return url;
  }

  function wsUrl(): URL {
    const url = toWebSocket(new URL('/api/v1/streaming', streamOrigin));
    url.searchParams.set('stream', settings.stream);
    if (settings.stream === 'hashtag') url.searchParams.set('tag', settings.hashtag ?? '');
    // Documented for WebSocket clients; the header below carries it too.
    url.searchParams.set('access_token', settings.accessToken);
    return url;
  }

  function toWebSocket(url: URL): URL {
    const out = new URL(url);
    if (out.protocol === 'https:') out.protocol = 'wss:';
    else if (out.protocol === 'http:') out.protocol = 'ws:';
    return out;
  }

  /** What to tell the user about an HTTP answer other than the stream. */
  function httpProblem(status: number): string {
    if (status === 401) return 'the access token was refused (401): check mastodon.accessToken';
    if (status === 403) {
      return `${host} refused the stream (403): the access token needs the read:statuses scope`;
    }
    if (status === 404) {
      return `${host} has no streaming API at this address (404): check mastodon.instance`;
    }
    if (status === 429) return `${host} is rate-limiting the stream (429)`;
    if (status >= 500) return `the streaming server of ${host} failed (${status})`;
    return `${host} answered ${status} instead of opening the stream`;
  }

  function networkProblem(err: unknown): string {
    const cause = err instanceof Error && isRecord(err.cause) ? err.cause : null;
    const code = cause && typeof cause.code === 'string' ? cause.code : null;
    const detail = code ?? (err instanceof Error ? err.message : String(err));
    return `could not reach ${host} (${detail})`;
  }

  /**
   * The next hop of a redirect, or why it is refused. The token is only sent on to the instance
   * itself or one of its subdomains (such as streaming.<instance>), over TLS unless the instance
   * is configured without it.
   */
  function redirectTarget(
    location: string | null | undefined,
    from: URL,
    hops: number
  ): URL | string {
    if (hops >= MAX_REDIRECTS) return `${host} redirected the stream too many times`;
    if (!location) return `${host} redirected the stream without saying where to`;
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      return `${host} redirected the stream to an invalid address`;
    }
    const own =
      next.hostname === instance.hostname || next.hostname.endsWith(`.${instance.hostname}`);
    const secure =
      next.protocol === 'https:' || next.protocol === 'wss:' || instance.protocol === 'http:';
    if (!own || !secure || !/^(https?|wss?):$/.test(next.protocol)) {
      return `${host} redirected the stream to ${next.protocol}//${next.host}, which is not one of its own secure hosts; the access token is not sent there`;
    }
    streamOrigin = new URL(next.origin.replace(/^ws/, 'http')).origin;
    return next;
  }

  /** Data or a heartbeat arrived: the stream is alive. Also bounds the time to connect. */
  function touch(c: Connection): void {
    if (c.ended) return;
    if (c.idle !== null) clearTimeout(c.idle);
    c.idle = setTimeout(() => {
      c.idle = null;
      fail(c, `no data or heartbeat from ${host} for ${seconds(idleMs)}`);
    }, idleMs);
  }

  function opened(c: Connection): void {
    if (c.ended || c !== conn) return;
    c.openedAt = ctx.clock.now();
    health.setState('connected');
    touch(c);
    log.info({ transport: settings.transport, stream: settings.stream }, 'mastodon stream open');
  }

  /** Ends a connection once and, unless stopped, schedules the next attempt. */
  function fail(c: Connection, message: string): void {
    if (c.ended) return;
    c.ended = true;
    if (c.idle !== null) clearTimeout(c.idle);
    c.idle = null;
    c.close();
    if (c !== conn || !running) return;
    conn = null;
    const stable = c.openedAt !== null && ctx.clock.now() - c.openedAt >= STABLE_MS;
    if (c.gotPosts || stable) attempt = 0;
    const delay = backoffDelay(attempt, backoff, random());
    attempt++;
    health.setState('backoff');
    health.error(`${message}; reconnecting in ${seconds(delay)}`);
    log.warn({ delayMs: delay, attempt }, message);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      health.reconnecting();
      connect();
    }, delay);
  }

  function connect(): void {
    if (!running) return;
    health.setState('connecting');
    const c: Connection = {
      close: () => {},
      idle: null,
      openedAt: null,
      gotPosts: false,
      ended: false
    };
    conn = c;
    touch(c);
    if (settings.transport === 'websocket') openWebSocket(c, wsUrl(), 0);
    else void runSse(c);
  }

  function noteMalformed(what: string): void {
    malformed++;
    // At most once a second: every report reaches the wall, and junk can arrive by the thousand.
    const now = ctx.clock.now();
    if (now - malformedReportedAt < 1000) return;
    malformedReportedAt = now;
    health.error(`ignored a malformed ${what} from ${host} (${malformed} so far)`);
  }

  /** One `update` or `status.update`: map, filter, dedupe, offer. Never throws. */
  function onStatus(c: Connection, status: unknown): void {
    if (!isRecord(status) || idOf(status.id) === null) {
      noteMalformed('status');
      return;
    }
    c.gotPosts = true;
    const mention = mapStatus(status, host);
    if (mention === null || buffer === null) return;
    if (settings.stream !== 'hashtag') {
      const match = ctx.matcher(mention.text);
      if (!match.brand && match.competitors.length === 0) return;
    }
    if (recent.has(mention.id)) return;
    recent.add(mention.id);
    if (recent.size > RECENT_IDS) {
      const oldest = recent.values().next();
      if (!oldest.done) recent.delete(oldest.value);
    }
    buffer.offer([mention]);
  }

  function onStatusJson(c: Connection, data: string): void {
    let status: unknown;
    try {
      status = JSON.parse(data);
    } catch {
      noteMalformed('update event');
      return;
    }
    onStatus(c, status);
  }

  async function runSse(c: Connection): Promise<void> {
    const abort = new AbortController();
    c.close = () => abort.abort();
    try {
      let url = sseUrl();
      let res: Response;
      for (let hops = 0; ; hops++) {
        res = await fetch(url, {
          headers: { Authorization: bearer, Accept: 'text/event-stream' },
          signal: abort.signal,
          // By hand: fetch drops the Authorization header on a cross-origin redirect.
          redirect: 'manual'
        });
        if (c.ended) {
          await res.body?.cancel().catch(() => {});
          return;
        }
        if (![301, 302, 303, 307, 308].includes(res.status)) break;
        await res.body?.cancel().catch(() => {});
        const next = redirectTarget(res.headers.get('location'), url, hops);
        if (typeof next === 'string') return fail(c, next);
        url = next;
      }
      const type = res.headers.get('content-type') ?? '';
      if (res.status !== 200 || !res.body || !type.includes('text/event-stream')) {
        await res.body?.cancel().catch(() => {});
        if (res.status !== 200) return fail(c, httpProblem(res.status));
        return fail(
          c,
          `${host} answered with ${type || 'no content type'} instead of an event stream: check mastodon.instance`
        );
      }
      opened(c);
      const parser = createParser({
        maxBufferSize: MAX_EVENT_CHARS,
        onEvent: (event: EventSourceMessage) => {
          touch(c);
          // delete, notification, filters_changed, …: not posts.
          if (event.event === 'update' || event.event === 'status.update') {
            onStatusJson(c, event.data);
          }
        },
        // `:)` on connect and `:thump` about every 10 s.
        onComment: () => touch(c),
        onError: (err: ParseError) => {
          if (err.type === 'max-buffer-size-exceeded') {
            fail(c, `${host} sent an event larger than ${MAX_EVENT_CHARS} characters`);
          }
        }
      });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (c.ended) {
          await reader.cancel().catch(() => {});
          return;
        }
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      fail(c, `${host} ended the stream`);
    } catch (err) {
      // After stop() or an idle timeout the abort lands here; `fail` ignores ended connections.
      fail(c, networkProblem(err));
    }
  }

  function onWsMessage(c: Connection, data: RawData): void {
    let frame: unknown;
    try {
      frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    } catch {
      noteMalformed('message');
      return;
    }
    if (isRecord(frame) && typeof frame.error === 'string') {
      health.error(`${host} reported: ${frame.error.slice(0, 200)}`);
      return;
    }
    if (!isRecord(frame) || typeof frame.event !== 'string') {
      noteMalformed('message');
      return;
    }
    if (frame.event !== 'update' && frame.event !== 'status.update') return;
    // The payload is the Status JSON as a string, to be parsed a second time.
    if (typeof frame.payload === 'string') onStatusJson(c, frame.payload);
    else onStatus(c, frame.payload);
  }

  function openWebSocket(c: Connection, url: URL, hops: number): void {
    const ws = new WebSocket(url, {
      headers: { Authorization: bearer },
      maxPayload: MAX_WS_PAYLOAD,
      handshakeTimeout: idleMs
    });
    c.close = () => {
      ws.removeAllListeners();
      // terminate() while connecting reports an error on the next tick; nobody needs it.
      ws.on('error', () => {});
      ws.terminate();
    };
    ws.on('open', () => opened(c));
    ws.on('message', (data: RawData) => {
      touch(c);
      onWsMessage(c, data);
    });
    ws.on('ping', () => touch(c));
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status)) {
        const next = redirectTarget(res.headers.location, url, hops);
        if (typeof next === 'string') return fail(c, next);
        c.close();
        openWebSocket(c, toWebSocket(next), hops + 1);
        return;
      }
      fail(c, httpProblem(status));
    });
    ws.on('error', (err: Error) => fail(c, networkProblem(err)));
    ws.on('close', (code: number, reason: Buffer) => {
      const why = reason.length > 0 ? `: ${reason.toString('utf8').slice(0, 100)}` : '';
      fail(c, `${host} closed the WebSocket (code ${code}${why})`);
    });
  }

  return {
    name: 'mastodon',
    kind: 'mastodon',
    health: (): SourceHealth => health.snapshot(buffer?.size ?? 0),
    start(sink: MentionSink): void {
      if (running) return;
      running = true;
      attempt = 0;
      buffer = new SourceBuffer(sink, health, ctx.buffer);
      connect();
    },
    async stop(): Promise<void> {
      running = false;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const c = conn;
      conn = null;
      if (c) fail(c, 'stopped');
      health.setState('stopped');
      const b = buffer;
      buffer = null;
      await b?.close();
    }
  };
}
