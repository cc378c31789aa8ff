import WebSocket, { type RawData } from 'ws';
import type { Mention, SourceHealth } from '../../../../src/lib/shared/types';
import { CONNECTOR_BACKOFF, backoffDelay } from '../../../core/backoff';
import { clipText } from '../../../core/mention-schema';
import type { SourcesConfig } from '../../../core/tracking';
import type { MentionSink, MentionSource } from '../../../ports';
import { SourceBuffer } from '../buffer';
import type { SourceContext } from '../context';
import { HealthTracker } from '../health';

const NAME = 'bluesky';
/** The only collection requested: Jetstream filters server-side, so likes and follows never arrive. */
export const POST_COLLECTION = 'app.bsky.feed.post';
/**
 * How far a resumed connection rewinds, in µs. Jetstream replays from a `time_us` cursor; going
 * back 2 s covers events in flight when the connection dropped (gapless playback). The replayed
 * duplicates are harmless: ids are stable at-uris, deduped here and by the store.
 */
export const REWIND_US = 2_000_000;
/** The post firehose never goes this long without a post: silence means a stalled connection. */
const DEFAULT_IDLE_MS = 60_000;
/** did → handle entries kept from identity events (oldest evicted). */
export const HANDLE_CAPACITY = 50_000;
/** Ids of recently offered mentions, so a rewind's replay is not offered (and counted) twice. */
const RECENT_IDS = 10_000;
/** A post claiming to be written further in the future than this gets Jetstream's receive time. */
const MAX_FUTURE_MS = 5 * 60_000;
const HANDSHAKE_TIMEOUT_MS = 15_000;
/**
 * Largest frame accepted. Posts are a few KB; the cap keeps one hostile record from taking memory.
 * An oversized frame closes the connection with code 1009, after which the connector resumes
 * live (without the rewind), or it would fetch the same frame again forever.
 */
const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
/** How long stop() waits for the closing handshake before dropping the socket. */
const CLOSE_GRACE_MS = 1_000;
/** Unreadable frames are counted on every one but reported at most this often (each report is pushed to walls). */
const BAD_FRAME_REPORT_MS = 10_000;

const DID_RE = /^did:[a-z]+:[A-Za-z0-9._:%-]{1,2000}$/;
const RKEY_RE = /^[A-Za-z0-9._:~-]{1,512}$/;
/** An atproto handle: dot-separated DNS labels. */
const HANDLE_RE =
  /^(?=.{3,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** What the mention schema accepts as a language tag and a reply id. */
const MAX_LANG = 35;
const MAX_REF = 200;

/** Tuning that tests shorten; production uses the defaults. */
export interface BlueskyTuning {
  /** No frame for this long means the connection is dead and is replaced, ms (default 60 s). */
  idleTimeoutMs?: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The receive time of a Jetstream event in ms, when `time_us` is a plausible number. */
function timeMs(timeUs: unknown): number | null {
  if (typeof timeUs !== 'number' || !Number.isFinite(timeUs) || timeUs <= 0) return null;
  const ms = Math.floor(timeUs / 1000);
  return ms <= 8.64e15 ? ms : null;
}

/**
 * Maps one parsed Jetstream event to a mention candidate, or null when it is not the creation of
 * a post (updates, deletes, identity and account events, other collections, malformed events).
 * Pure: `handles` (did → handle, from identity events) gives the author a readable name, and
 * `now` (epoch ms) bounds how far in the future a claimed `createdAt` may be. The candidate is
 * still validated by the source buffer; fields it would refuse (a bad language tag, an over-long
 * reply uri) are set to null here instead, so one odd field does not lose the post.
 */
export function jetstreamToMention(
  frame: unknown,
  handles: ReadonlyMap<string, string>,
  now: number
): Mention | null {
  if (!isObject(frame) || frame.kind !== 'commit') return null;
  const { did, commit } = frame;
  if (typeof did !== 'string' || !DID_RE.test(did) || !isObject(commit)) return null;
  if (commit.operation !== 'create' || commit.collection !== POST_COLLECTION) return null;
  const { rkey, record } = commit;
  if (typeof rkey !== 'string' || !RKEY_RE.test(rkey) || rkey === '.' || rkey === '..') return null;
  if (!isObject(record) || typeof record.text !== 'string') return null;
  if (record.$type !== undefined && record.$type !== POST_COLLECTION) return null;

  const claimed = typeof record.createdAt === 'string' ? Date.parse(record.createdAt) : NaN;
  // Clients set createdAt themselves; a wrong clock would put the post in the future (or
  // nowhere), so Jetstream's own receive time is the fallback.
  const createdAt =
    Number.isFinite(claimed) && claimed >= 0 && claimed <= now + MAX_FUTURE_MS
      ? claimed
      : (timeMs(frame.time_us) ?? now);

  const langs = record.langs;
  const lang0: unknown = Array.isArray(langs) ? langs[0] : undefined;
  const lang =
    typeof lang0 === 'string' && lang0.length >= 2 && lang0.length <= MAX_LANG ? lang0 : null;

  const reply = record.reply;
  const parentUri = isObject(reply) && isObject(reply.parent) ? reply.parent.uri : undefined;
  const inReplyToId =
    typeof parentUri === 'string' && parentUri.length > 0 && parentUri.length <= MAX_REF
      ? parentUri
      : null;

  const handle = handles.get(did);
  return {
    id: `at://${did}/${POST_COLLECTION}/${rkey}`,
    source: NAME,
    channel: 'bluesky',
    createdAt,
    text: clipText(record.text),
    author: {
      handle: handle ? `@${handle}` : did,
      name: handle ?? did,
      followers: 0,
      verified: false
    },
    lang,
    url: `https://bsky.app/profile/${did}/post/${rkey}`,
    inReplyToId,
    geo: null
  };
}

/**
 * Learns a did → handle pair from a Jetstream identity event, keeping at most `capacity`
 * entries (the least recently announced are evicted). An identity event without a valid handle
 * forgets the did, so a stale handle is not shown. Returns true when the event was an identity.
 */
export function rememberIdentity(
  frame: unknown,
  handles: Map<string, string>,
  capacity = HANDLE_CAPACITY
): boolean {
  if (!isObject(frame) || frame.kind !== 'identity' || !isObject(frame.identity)) return false;
  const identity = frame.identity;
  const did = typeof identity.did === 'string' ? identity.did : frame.did;
  if (typeof did !== 'string' || !DID_RE.test(did)) return true;
  handles.delete(did);
  const handle = identity.handle;
  if (typeof handle === 'string' && HANDLE_RE.test(handle)) {
    // Re-inserting moves the did to the newest end of the Map's insertion order.
    handles.set(did, handle.toLowerCase());
    while (handles.size > capacity) {
      const oldest = handles.keys().next().value;
      if (oldest === undefined) break;
      handles.delete(oldest);
    }
  }
  return true;
}

/** The subscribe URL: only posts, from `cursor` (µs) when resuming, live otherwise. */
export function jetstreamUrl(base: string, cursor: number | null): string {
  const url = new URL(base);
  url.searchParams.set('wantedCollections', POST_COLLECTION);
  if (cursor === null) url.searchParams.delete('cursor');
  else url.searchParams.set('cursor', String(Math.max(0, Math.floor(cursor))));
  return url.toString();
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

const formatDelay = (ms: number): string =>
  ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;

/**
 * The Bluesky connector: follows Jetstream's post firehose over a WebSocket and keeps the posts
 * the tracking configuration matches. It resumes after a drop from the last event's `time_us`
 * (rewound 2 s), backs off with jitter while Jetstream is unreachable, and replaces a
 * connection that has been silent for `idleTimeoutMs`.
 */
export function createBlueskySource(
  settings: NonNullable<SourcesConfig['bluesky']>,
  ctx: SourceContext,
  tuning: BlueskyTuning = {}
): MentionSource {
  const idleMs = tuning.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  if (!(idleMs > 0)) throw new RangeError('bluesky idleTimeoutMs must be > 0');
  const backoff = ctx.backoff ?? CONNECTOR_BACKOFF;
  const random = ctx.random ?? Math.random;
  const log = ctx.logger.child({ source: NAME });
  const health = new HealthTracker(NAME, NAME, ctx.clock, ctx.onHealthChange);
  const host = new URL(settings.url).host;
  const handles = new Map<string, string>();
  const recentIds = new Set<string>();

  let running = false;
  let buffer: SourceBuffer | null = null;
  let ws: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  /** `time_us` of the last event seen: the resume cursor. */
  let lastTimeUs: number | null = null;
  /** Set after an oversized frame: the next connection skips the rewind (see MAX_PAYLOAD_BYTES). */
  let resumeLive = false;
  let badFrames = 0;
  let badReportedAt = -Infinity;

  function clearIdle(): void {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  }

  function badFrame(what: string): void {
    badFrames++;
    const now = ctx.clock.now();
    if (now - badReportedAt < BAD_FRAME_REPORT_MS) return;
    badReportedAt = now;
    const message = `Jetstream sent ${what}; it was skipped (${badFrames} skipped so far)`;
    health.error(message);
    log.warn(message);
  }

  /** True the first time an id is seen among the last RECENT_IDS offered. */
  function firstSight(id: string): boolean {
    if (recentIds.has(id)) return false;
    recentIds.add(id);
    if (recentIds.size > RECENT_IDS) {
      const oldest = recentIds.values().next().value;
      if (oldest !== undefined) recentIds.delete(oldest);
    }
    return true;
  }

  function onText(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      badFrame('a frame that is not valid JSON');
      return;
    }
    if (!isObject(frame)) {
      badFrame('a frame that is not a JSON object');
      return;
    }
    // The cursor is the event's time_us; a top-level `cursor` field, where a deployment adds
    // one, carries the same clock and is not needed.
    const t = frame.time_us;
    if (typeof t === 'number' && Number.isSafeInteger(t) && t > 0) {
      lastTimeUs = t;
      resumeLive = false;
    }
    if (frame.kind === 'identity') {
      rememberIdentity(frame, handles);
      return;
    }
    if (frame.kind !== 'commit') return; // account events and kinds added later
    const candidate = jetstreamToMention(frame, handles, ctx.clock.now());
    if (candidate === null) return;
    const hit = ctx.matcher(candidate.text);
    if (!hit.brand && hit.competitors.length === 0) return;
    if (!firstSight(candidate.id)) return;
    buffer?.offer([candidate]);
  }

  function scheduleReconnect(reason: string): void {
    const delay = backoffDelay(attempt, backoff, random());
    attempt++;
    const message = `${reason}; reconnecting in ${formatDelay(delay)}`;
    health.error(message);
    health.setState('backoff');
    log.warn({ delayMs: delay, attempt }, message);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!running) return;
      health.reconnecting();
      connect();
    }, delay);
  }

  function connect(): void {
    const cursor = lastTimeUs === null || resumeLive ? null : lastTimeUs - REWIND_US;
    const url = jetstreamUrl(settings.url, cursor);
    health.setState('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, {
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
        maxPayload: MAX_PAYLOAD_BYTES
      });
    } catch (err) {
      // Only a malformed URL throws here; the config schema should have refused it.
      scheduleReconnect(
        `Could not open the Jetstream URL ${settings.url}: ${err instanceof Error ? err.message : String(err)}`
      );
      return;
    }
    ws = socket;
    let opened = false;
    let idleFired = false;
    let failure: string | null = null;

    socket.on('open', () => {
      if (ws !== socket) return;
      opened = true;
      health.setState('connected');
      log.info({ cursor }, 'connected to Jetstream');
      idleTimer = setTimeout(() => {
        if (ws !== socket) return;
        idleFired = true;
        socket.terminate();
      }, idleMs);
    });

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (ws !== socket) return;
      // refresh() re-arms the same timer: cheap enough for every frame of a firehose.
      idleTimer?.refresh();
      // Data is flowing: the next failure starts the backoff from the beginning again.
      attempt = 0;
      try {
        if (isBinary) badFrame('a binary (compressed) frame, which was not requested');
        else onText(rawText(data));
      } catch (err) {
        badFrame(
          `a frame that could not be processed (${err instanceof Error ? err.message : String(err)})`
        );
      }
    });

    // Always listened to: an unhandled 'error' event would crash the process. The 'close'
    // event that follows decides what to do.
    socket.on('error', (err: Error) => {
      failure ??= err.message;
    });

    socket.on('close', (code: number, reasonBuf: Buffer) => {
      if (ws !== socket) return; // replaced or stopped: whoever did that owns what happens next
      ws = null;
      clearIdle();
      if (!running) return;
      if (code === 1009) resumeLive = true;
      const reason = reasonBuf.toString('utf8').slice(0, 120);
      let why: string;
      if (idleFired) {
        why = `Jetstream sent nothing for ${formatDelay(idleMs)}, so the connection was presumed dead`;
      } else if (!opened) {
        why = `Could not connect to Jetstream at ${host}${failure ? `: ${failure}` : ''}`;
      } else {
        why = `Jetstream closed the connection (code ${code}${reason ? `, "${reason}"` : ''}${
          failure ? `: ${failure}` : ''
        })`;
      }
      scheduleReconnect(why);
    });
  }

  /** Closes a socket politely, dropping it if the server does not answer within the grace. */
  function closeSocket(socket: WebSocket): Promise<void> {
    if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const grace = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(grace);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else if (socket.readyState === WebSocket.OPEN) socket.close(1000, 'client stopping');
    });
  }

  return {
    name: NAME,
    kind: NAME,
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
      clearIdle();
      const socket = ws;
      ws = null;
      if (socket) await closeSocket(socket);
      health.setState('stopped');
      const b = buffer;
      buffer = null;
      if (b) await b.close();
    }
  };
}
