import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';
import type { Channel, SourceHealth } from '../../../../src/lib/shared/types';
import { backoffDelay, CONNECTOR_BACKOFF } from '../../../core/backoff';
import { clipText } from '../../../core/mention-schema';
import type { SourcesConfig } from '../../../core/tracking';
import type { MentionSink, MentionSource } from '../../../ports';
import type { Cancel, Scheduler } from '../../scheduler/node-scheduler';
import { SourceBuffer } from '../buffer';
import type { SourceContext } from '../context';
import { HealthTracker } from '../health';
import { htmlToText } from '../html-text';

// ---------------------------------------------------------------------------------------------
// Feed parsing (pure)
// ---------------------------------------------------------------------------------------------

/** One item of a feed, whatever its format. Text fields are plain text (HTML already removed). */
export interface FeedItem {
  /** The item's own identity: RSS `guid`, RSS 1.0 `rdf:about`, Atom `id`; null when absent. */
  guid: string | null;
  /** The item's link as written in the feed (may be relative); null when absent. */
  link: string | null;
  title: string;
  /** Description, summary or content as plain text; '' when absent. */
  summary: string;
  /** Publication (or, failing that, update) time in epoch ms; null when absent or unreadable. */
  published: number | null;
  author: string | null;
}

/** A parsed feed. */
export interface ParsedFeed {
  /** The feed's title; '' when absent. */
  title: string;
  /** The feed's language tag (RSS `language`, Atom `xml:lang`), lower case; null when absent. */
  language: string | null;
  items: FeedItem[];
}

/** A parsed XML element: attributes as `@_name`, text as `#text`, children as arrays. */
interface XmlObject {
  [key: string]: XmlNode[] | string | undefined;
}
type XmlNode = XmlObject | string;

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'"
};

/**
 * Decodes only the five predefined XML entities and numeric character references, in one pass.
 * Entities declared in a DOCTYPE are deliberately ignored (`addInputEntities` does nothing): a
 * feed from the internet is untrusted and entity expansion is how "billion laughs" documents
 * exhaust memory. An undeclared reference such as `&nbsp;` stays as written, and the HTML
 * fields decode it later.
 */
const SAFE_ENTITY_DECODER: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
  decode: (text) =>
    text.indexOf('&') === -1
      ? text
      : text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (all, name) => {
          const ref = name as string;
          if (ref[0] !== '#') return XML_ENTITIES[ref] ?? all;
          const cp =
            ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
          const valid = cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
          return valid ? String.fromCodePoint(cp) : '\uFFFD';
        })
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep everything a string: a guid "0012" or a title "1e3" must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Every element is an array, so one item and many items read the same way.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  processEntities: { enabled: true, maxEntityCount: 100, maxEntitySize: 10_000 },
  entityDecoder: SAFE_ENTITY_DECODER,
  // Atom XHTML content is markup, not text: keep it raw and let the HTML converter read it.
  stopNodes: ['..content[type=xhtml]', '..summary[type=xhtml]', '..title[type=xhtml]'],
  maxNestedTags: 100
});

const isObject = (v: unknown): v is XmlObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Child elements with local name `local`, un-prefixed ones first, then any namespace prefix
 * (`dc:creator`, `atom:link`, `rdf:RDF`): feeds spell their namespaces in many ways.
 */
function children(node: XmlNode | undefined, local: string): XmlNode[] {
  if (!isObject(node)) return [];
  const out: XmlNode[] = [];
  const exact = node[local];
  if (Array.isArray(exact)) out.push(...exact);
  const suffix = `:${local}`;
  for (const key of Object.keys(node)) {
    if (key.endsWith(suffix) && !key.startsWith('@_')) {
      const v = node[key];
      if (Array.isArray(v)) out.push(...v);
    }
  }
  return out;
}

const first = (node: XmlNode | undefined, local: string): XmlNode | undefined =>
  children(node, local)[0];

/** An attribute by local name (`about` finds `rdf:about`). */
function attr(node: XmlNode | undefined, local: string): string | null {
  if (!isObject(node)) return null;
  const exact = node[`@_${local}`];
  if (typeof exact === 'string') return exact;
  const suffix = `:${local}`;
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (key.startsWith('@_') && key.endsWith(suffix) && typeof v === 'string') return v;
  }
  return null;
}

/** The text content of an element ('' when it has none). */
function text(node: XmlNode | undefined): string {
  if (typeof node === 'string') return node;
  if (isObject(node)) {
    const t = node['#text'];
    if (typeof t === 'string') return t;
  }
  return '';
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Plain text of an Atom text construct (`type` text, html or xhtml). */
function atomText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  const type = (attr(node, 'type') ?? 'text').toLowerCase();
  if (attr(node, 'src') !== null) return ''; // out-of-line content: nothing to read here
  if (type === 'html' || type === 'xhtml' || type.includes('html')) return htmlToText(text(node));
  if (type === 'text' || type.startsWith('text/')) return text(node).trim();
  return ''; // base64 media and other types are not text
}

/** Epoch ms of an RFC 822 or ISO 8601 date, or null. */
function parseDate(value: string): number | null {
  const s = value.trim();
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= 0 && t <= 8.64e15 ? t : null;
}

/** A BCP 47-looking language tag in lower case, or null. */
function languageTag(value: string | null): string | null {
  const s = (value ?? '').trim().replace(/_/g, '-').toLowerCase();
  return /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/.test(s) && s.length <= 35 ? s : null;
}

/** RSS `author` is "email (Name)" by the spec; many feeds write just a name. */
function rssAuthor(value: string): string | null {
  const s = oneLine(value);
  if (!s) return null;
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(s);
  return named ? named[1]!.trim() : s;
}

function firstText(node: XmlNode | undefined, ...locals: string[]): string {
  for (const local of locals) {
    for (const child of children(node, local)) {
      const t = text(child).trim();
      if (t) return t;
    }
  }
  return '';
}

/** An item of RSS 2.0 (or 0.9x) or RSS 1.0 (RDF). */
function rssItem(item: XmlNode): FeedItem {
  let link: string | null = null;
  for (const l of children(item, 'link')) {
    // `<link>` holds the URL as text; an `atom:link` inside an item holds it in `href`.
    const t =
      text(l).trim() || ((attr(l, 'rel') ?? 'alternate') === 'alternate' ? attr(l, 'href') : null);
    if (t) {
      link = t.trim();
      break;
    }
  }
  const guid = firstText(item, 'guid') || attr(item, 'about')?.trim() || null;
  const description = firstText(item, 'description') || firstText(item, 'encoded');
  const author = rssAuthor(firstText(item, 'author')) ?? rssAuthor(firstText(item, 'creator'));
  return {
    guid,
    link,
    title: oneLine(htmlToText(firstText(item, 'title'))),
    summary: description ? htmlToText(description) : '',
    published: parseDate(firstText(item, 'pubDate', 'date', 'published', 'updated')),
    author
  };
}

function atomAuthor(node: XmlNode | undefined): string | null {
  for (const a of children(node, 'author')) {
    const name = oneLine(firstText(a, 'name') || text(a));
    if (name) return name;
  }
  return null;
}

/** An Atom 1.0 entry; `feedAuthor` applies when the entry names none (RFC 4287 §4.2.1). */
function atomEntry(entry: XmlNode, feedAuthor: string | null): FeedItem {
  const links = children(entry, 'link');
  const alternate =
    links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate' && attr(l, 'href')) ??
    links.find((l) => attr(l, 'href'));
  const summary = atomText(first(entry, 'summary')) || atomText(first(entry, 'content'));
  return {
    guid: firstText(entry, 'id') || null,
    link: attr(alternate, 'href')?.trim() || null,
    title: oneLine(atomText(first(entry, 'title'))),
    summary,
    published:
      parseDate(firstText(entry, 'published')) ??
      parseDate(firstText(entry, 'updated')) ??
      parseDate(firstText(entry, 'issued', 'modified')),
    author: atomAuthor(entry) ?? feedAuthor
  };
}

/** Why a document could not be read as a feed. */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

/**
 * Parses an RSS 2.0 / 0.9x, RSS 1.0 (RDF) or Atom 1.0 document. Pure; throws
 * {@link FeedParseError} with a readable reason when the text is not well-formed XML or not a
 * feed. DOCTYPE entities are never expanded; HTML in descriptions becomes plain text.
 */
export function parseFeed(xml: string): ParsedFeed {
  // A byte order mark or blank lines before the declaration are common and harmless.
  const doc = xml.replace(/^\uFEFF/, '').trimStart();
  if (!doc) throw new FeedParseError('not valid XML (the document is empty)');
  const valid = XMLValidator.validate(doc);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const where = col ? `line ${line}, column ${col}` : `line ${line}`;
    throw new FeedParseError(`not valid XML (${where}: ${msg})`);
  }
  let root: XmlObject;
  try {
    const parsed: unknown = parser.parse(doc);
    root = isObject(parsed) ? parsed : {};
  } catch (err) {
    throw new FeedParseError(`not readable XML (${err instanceof Error ? err.message : err})`);
  }

  const rss = first(root, 'rss');
  if (rss !== undefined) {
    const channel = first(rss, 'channel');
    // RSS 0.9x and some generators put items next to the channel instead of inside it.
    const items = [...children(channel, 'item'), ...children(rss, 'item')];
    return {
      title: oneLine(htmlToText(firstText(channel, 'title'))),
      language: languageTag(firstText(channel, 'language', 'lang')),
      items: items.map(rssItem)
    };
  }
  const rdf = first(root, 'RDF');
  if (rdf !== undefined) {
    const channel = first(rdf, 'channel');
    return {
      title: oneLine(htmlToText(firstText(channel, 'title'))),
      language: languageTag(firstText(channel, 'language')),
      items: [...children(rdf, 'item'), ...children(channel, 'item')].map(rssItem)
    };
  }
  const feed = first(root, 'feed');
  if (feed !== undefined) {
    const feedAuthor = atomAuthor(feed);
    return {
      title: oneLine(atomText(first(feed, 'title'))),
      language: languageTag(attr(feed, 'lang')),
      items: children(feed, 'entry').map((e) => atomEntry(e, feedAuthor))
    };
  }
  const name = Object.keys(root).find((k) => !/^[?#@]/.test(k));
  throw new FeedParseError(
    `not an RSS or Atom feed (the document is <${name ?? 'nothing'}>, expected <rss>, <rdf:RDF> or <feed>)`
  );
}

// ---------------------------------------------------------------------------------------------
// Mapping to mention candidates (pure)
// ---------------------------------------------------------------------------------------------

/** A mention candidate as offered to the source buffer (validated there). */
interface Candidate {
  id: string;
  source: string;
  channel: Channel;
  createdAt: number;
  text: string;
  author: { handle: string; name: string; followers: number; verified: boolean };
  lang: string | null;
  url: string | null;
  inReplyToId: null;
  geo: null;
}

/** What a feed's items are mapped with. */
interface FeedInfo {
  source: string;
  channel: Channel;
  /** The configured feed URL: relative links resolve against it. */
  url: string;
  host: string;
}

const MAX_ID = 200;
/** Dates this far ahead of the poll are treated as wrong (time zone bugs, scheduled posts). */
const FUTURE_SKEW_MS = 5 * 60_000;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A handle-safe slug: ASCII letters, digits, `_ . -`. */
function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100);
}

/** The item's stable id: guid, else link, else a hash of title and date. */
export function itemId(item: FeedItem): string {
  const identity = item.guid ?? item.link;
  if (identity) return identity.length <= MAX_ID ? identity : `sha256:${sha256(identity)}`;
  return `sha256:${sha256(`${item.title}\n${item.published ?? ''}`)}`;
}

/** An absolute http(s) URL for the item link, or null. */
function itemUrl(link: string | null, base: string): string | null {
  if (!link) return null;
  try {
    const u = new URL(link, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href.length <= 2000 ? u.href : null;
  } catch {
    return null;
  }
}

/** Maps one feed item to a mention candidate; null when it has nothing to show. */
function toCandidate(
  item: FeedItem,
  feed: ParsedFeed,
  info: FeedInfo,
  pollTime: number
): Candidate | null {
  const url = itemUrl(item.link, info.url);
  let body = [item.title, item.summary].filter(Boolean).join(' — ');
  if (!body) body = url ?? '';
  if (!body) return null;
  const published = item.published;
  const createdAt =
    published !== null && published <= pollTime + FUTURE_SKEW_MS ? published : pollTime;
  const name = item.author ?? (feed.title || info.host);
  return {
    id: itemId(item),
    source: info.source,
    channel: info.channel,
    createdAt,
    text: clipText(body),
    author: {
      handle: `@${(item.author && slug(item.author)) || slug(info.host) || 'feed'}`,
      name: clipText(name, 300),
      followers: 0,
      verified: false
    },
    lang: feed.language,
    url,
    inReplyToId: null,
    geo: null
  };
}

// ---------------------------------------------------------------------------------------------
// The connector
// ---------------------------------------------------------------------------------------------

/** Tuning of the RSS connector; the defaults suit production, tests shorten them. */
export interface RssOptions {
  /** How long one request (headers and body) may take, ms. Default 15 s. */
  timeoutMs?: number;
  /** Largest feed body accepted, bytes (after decompression). Default 5 MB. */
  maxBytes?: number;
  /** Item ids remembered per feed to skip items already delivered. Default 5,000. */
  maxSeen?: number;
}

/** Sent with every request so feed owners can see who polls them. */
export const RSS_USER_AGENT = 'MissionControl/0.1 (+https://github.com/mission-control)';

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

/** Longest wait a server's Retry-After can impose. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

const formatBytes = (n: number): string =>
  n >= 1024 * 1024
    ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`
    : `${Math.round((n / 1024) * 10) / 10} KB`;

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: 'its host name does not resolve (check the address)',
  EAI_AGAIN: 'its host name could not be looked up (DNS is unavailable)',
  ECONNREFUSED: 'the connection was refused (is the server up?)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the server closed the connection unexpectedly',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host name'
};

/** Words for a failed fetch: the cause's code when Node gives one. */
function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  const message = cause instanceof Error ? cause.message : String(cause);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** Retry-After as a delay in ms (seconds or an HTTP date), or 0. */
function retryAfterMs(value: string | null, now: number): number {
  if (!value) return 0;
  const secs = Number(value);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : 0;
}

/** The text encoding of a feed: Content-Type charset, else the XML declaration, else UTF-8. */
function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  let label = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (!label) {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
    else {
      const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
      label = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1];
    }
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8'); // an unknown label: UTF-8 is the XML default
  }
  return decoder.decode(bytes);
}

/** A poll failure with the words shown to the user and an optional server-imposed wait. */
class PollError extends Error {
  constructor(
    message: string,
    readonly minDelayMs = 0
  ) {
    super(message);
  }
}

interface FeedSettings {
  url: string;
  name?: string | undefined;
  channel: Channel;
  filter: boolean;
}

/** One polled feed; built by {@link createRssSources}. */
class RssFeedSource implements MentionSource {
  readonly kind = 'rss';
  private readonly tracker: HealthTracker;
  private readonly info: FeedInfo;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxSeen: number;
  private buffer: SourceBuffer | null = null;
  private cancelCron: Cancel | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: AbortController | null = null;
  private polling: Promise<void> | null = null;
  private attempt = 0;
  private started = false;
  private stopped = false;
  private etag: string | null = null;
  private lastModified: string | null = null;
  /** Ids already delivered, oldest first (a Set keeps insertion order); capped at maxSeen. */
  private readonly seen = new Set<string>();

  constructor(
    readonly name: string,
    private readonly feed: FeedSettings,
    private readonly schedule: string,
    private readonly ctx: SourceContext,
    private readonly scheduler: Scheduler,
    opts: RssOptions
  ) {
    this.tracker = new HealthTracker(name, 'rss', ctx.clock, ctx.onHealthChange);
    this.info = { source: name, channel: feed.channel, url: feed.url, host: hostOf(feed.url) };
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
    this.maxSeen = opts.maxSeen ?? 5_000;
  }

  health(): SourceHealth {
    return this.tracker.snapshot(this.buffer?.size ?? 0);
  }

  start(sink: MentionSink): void {
    if (this.started) return;
    this.started = true;
    this.buffer = new SourceBuffer(sink, this.tracker, this.ctx.buffer);
    try {
      this.cancelCron = this.scheduler.cron(this.schedule, () => this.tick());
    } catch (err) {
      // A bad schedule is a configuration error: say so and do not poll at all.
      this.tracker.setState('idle');
      this.tracker.error(
        `the RSS schedule "${this.schedule}" is not a valid cron expression (${err instanceof Error ? err.message : err}); fix sources.rss.schedule`
      );
      return;
    }
    this.tracker.setState('connecting');
    this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelCron?.();
    this.cancelCron = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.inFlight?.abort();
    await this.polling;
    this.tracker.setState('stopped');
    await this.buffer?.close();
  }

  /** A cron tick: skipped while a retry is pending or a poll is still running. */
  private tick(): void {
    if (this.stopped || this.retryTimer || this.polling) return;
    this.poll();
  }

  private poll(): void {
    this.polling = this.pollOnce().finally(() => {
      this.polling = null;
    });
  }

  private async pollOnce(): Promise<void> {
    const pollTime = this.ctx.clock.now();
    try {
      const feed = await this.fetchFeed();
      if (this.stopped) return;
      if (feed) this.deliver(feed, pollTime);
      this.attempt = 0;
      this.tracker.setState('connected');
    } catch (err) {
      if (this.stopped) return;
      this.fail(err);
    }
  }

  /** Fetches and parses the feed; null when the server answered 304 Not Modified. */
  private async fetchFeed(): Promise<ParsedFeed | null> {
    const { url } = this.feed;
    const controller = new AbortController();
    this.inFlight = controller;
    let timedOut = false;
    let phase: 'answer' | 'body' = 'answer';
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const headers: Record<string, string> = { 'User-Agent': RSS_USER_AGENT, Accept: ACCEPT };
    if (this.etag) headers['If-None-Match'] = this.etag;
    if (this.lastModified) headers['If-Modified-Since'] = this.lastModified;
    try {
      const res = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
      if (res.status === 304) {
        await res.body?.cancel().catch(() => {});
        return null;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        const reason = res.statusText || STATUS_CODES[res.status] || 'an error';
        const hint =
          res.status === 404 || res.status === 410
            ? ' (check the feed address)'
            : res.status === 401 || res.status === 403
              ? ' (the feed is not public)'
              : '';
        throw new PollError(
          `${url} answered ${res.status} ${reason}${hint}`,
          res.status === 429 || res.status === 503
            ? retryAfterMs(res.headers.get('retry-after'), this.ctx.clock.now())
            : 0
        );
      }
      phase = 'body';
      const bytes = await this.readCapped(res);
      const contentType = res.headers.get('content-type');
      let feed: ParsedFeed;
      try {
        feed = parseFeed(decodeBody(bytes, contentType));
      } catch (err) {
        if (/html/i.test(contentType ?? '') && !/xml/i.test(contentType ?? '')) {
          throw new PollError(`${url} answered with an HTML page, not a feed (check the address)`);
        }
        throw new PollError(
          `${url} did not return a feed: ${err instanceof Error ? err.message : err}`
        );
      }
      // Validators are only worth sending back when the server gave them with a full answer.
      this.etag = res.headers.get('etag');
      this.lastModified = res.headers.get('last-modified');
      return feed;
    } catch (err) {
      if (err instanceof PollError) throw err;
      if (timedOut) {
        throw new PollError(
          phase === 'answer'
            ? `${url} did not answer within ${seconds(this.timeoutMs)}`
            : `${url} did not send the whole feed within ${seconds(this.timeoutMs)}`
        );
      }
      throw new PollError(`${url} could not be reached: ${networkReason(err)}`);
    } finally {
      clearTimeout(timer);
      this.inFlight = null;
    }
  }

  /** Reads the body, refusing it once it grows past the cap (also guards against gzip bombs). */
  private async readCapped(res: Response): Promise<Uint8Array> {
    const tooBig = (): PollError =>
      new PollError(
        `${this.feed.url} sent a feed larger than ${formatBytes(this.maxBytes)}; it was refused`
      );
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw tooBig();
    }
    if (!res.body) return new Uint8Array(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > this.maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooBig();
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }

  /** Offers the items not delivered before (all of them on the first poll), oldest first. */
  private deliver(feed: ParsedFeed, pollTime: number): void {
    const fresh: Candidate[] = [];
    for (const item of feed.items) {
      const c = toCandidate(item, feed, this.info, pollTime);
      if (!c) continue;
      const isNew = !this.seen.has(c.id);
      this.remember(c.id);
      if (!isNew) continue;
      if (this.feed.filter) {
        const m = this.ctx.matcher(c.text);
        if (!m.brand && m.competitors.length === 0) continue;
      }
      fresh.push(c);
    }
    if (fresh.length === 0) return;
    fresh.sort((a, b) => a.createdAt - b.createdAt);
    this.buffer?.offer(fresh);
  }

  /** Marks an id as seen, refreshing it so ids still in the feed are the last evicted. */
  private remember(id: string): void {
    this.seen.delete(id);
    this.seen.add(id);
    if (this.seen.size > this.maxSeen) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const minDelay = err instanceof PollError ? err.minDelayMs : 0;
    const delay = Math.max(
      minDelay,
      backoffDelay(
        this.attempt++,
        this.ctx.backoff ?? CONNECTOR_BACKOFF,
        (this.ctx.random ?? Math.random)()
      )
    );
    this.tracker.error(`${message}; retrying in ${seconds(delay)}`);
    this.tracker.setState('backoff');
    this.ctx.logger.warn({ source: this.name, delayMs: delay }, message);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped) return;
      this.tracker.reconnecting();
      this.tracker.setState('connecting');
      this.poll();
    }, delay);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'feed';
  } catch {
    return 'feed';
  }
}

/**
 * One mention source per configured feed, named `rss:<feed.name ?? host>` (with `-2`, `-3`… when
 * two feeds would share a name). Each feed is polled once at start() and then on
 * `settings.schedule` (a node-cron expression) with conditional GETs; failures back off and
 * retry. Returns no sources when `settings.enabled` is false.
 */
export function createRssSources(
  settings: NonNullable<SourcesConfig['rss']>,
  ctx: SourceContext,
  scheduler: Scheduler,
  opts: RssOptions = {}
): MentionSource[] {
  if (settings.enabled === false) return [];
  const used = new Set<string>();
  return settings.feeds.map((feed) => {
    const base = `rss:${(feed.name ?? hostOf(feed.url)).slice(0, 90)}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return new RssFeedSource(name, feed, settings.schedule, ctx, scheduler, opts);
  });
}
