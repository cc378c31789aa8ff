import type { ServerResponse } from 'node:http';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { EnrichedMention, ExploreMention } from '../../src/lib/shared/types';
import {
  FILTER_KEYS,
  anyOf,
  bucketFor,
  decodeCursor,
  encodeCursor,
  exploreFilterSchema,
  previousWeek,
  usesText,
  type CompetitorTerms,
  type ExploreFilter
} from '../core/explore/query';
import { toRiverItem } from '../core/pipeline';
import type { Matcher } from '../core/tracking';
import type { Store } from '../ports';
import type { RouteHandler } from './auth';
import { fieldOf } from './json-body';
import { sendError, sendJson } from './respond';

/** What the explore routes need from the server. */
export interface ExploreDeps {
  store(): Store;
  /** The configured competitors' names and terms. */
  competitors(): CompetitorTerms[];
  /** The tracking matcher (which competitors a text names). */
  matcher(): Matcher;
  /** Why a stored mention was enriched as it was (as /api/v1/mentions/explain), or null. */
  explain(source: string, id: string): unknown;
  /**
   * Brings the full-text index up to date when it is only a little behind (a search right after
   * a burst must find it); resolves at once when nothing is pending.
   */
  catchUpText(): Promise<void>;
}

const pageQuery = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(500, 'limit must be at most 500')
    .default(100),
  cursor: z.string().max(100).optional()
});

const volumeQuery = z.object({
  by: z
    .enum(['total', 'channel', 'sentiment', 'topic'], {
      error: 'by must be total, channel, sentiment or topic'
    })
    .default('total')
});

const CSV_COLUMNS = [
  'created_at',
  'source',
  'id',
  'channel',
  'author_handle',
  'author_name',
  'followers',
  'text',
  'sentiment',
  'score',
  'intent',
  'language',
  'topics',
  'influence_tier',
  'priority',
  'answered',
  'url'
];

/**
 * Parses the filters and the endpoint's own parameters from a query string; answers the 400
 * itself (naming the field, or the unknown parameter) and returns null.
 */
function parse<T extends z.ZodType>(
  url: URL,
  res: ServerResponse,
  own: T,
  ownKeys: readonly string[]
): { filter: ExploreFilter; own: z.infer<T> } | null {
  const all = Object.fromEntries(url.searchParams);
  const unknown = Object.keys(all).filter(
    (k) => !(FILTER_KEYS as string[]).includes(k) && !ownKeys.includes(k)
  );
  if (unknown.length) {
    sendError(res, 400, `unknown query parameter(s): ${unknown.join(', ')}`, unknown[0]);
    return null;
  }
  const picked = (keys: readonly string[]) =>
    Object.fromEntries(Object.entries(all).filter(([k]) => keys.includes(k)));
  const f = exploreFilterSchema.safeParse(picked(FILTER_KEYS));
  if (!f.success) {
    const { field, message } = fieldOf(f.error.issues);
    sendError(res, 400, message, field);
    return null;
  }
  const o = own.safeParse(picked(ownKeys));
  if (!o.success) {
    const { field, message } = fieldOf(o.error.issues);
    sendError(res, 400, message, field);
    return null;
  }
  return { filter: f.data as ExploreFilter, own: o.data };
}

/** The explore routes: `/api/v1/mentions` (GET), its CSV export and detail, `/api/v1/explore/*`. */
export function exploreRoutes(deps: ExploreDeps): Record<string, RouteHandler> {
  const view = (m: EnrichedMention, answered: boolean): ExploreMention => ({
    ...toRiverItem(m),
    language: m.language,
    inReplyToId: m.inReplyToId,
    answered,
    competitors: deps.matcher()(m.text).competitors,
    geo: m.geo ? { lat: m.geo.lat, lon: m.geo.lon, country: m.geo.country ?? null } : null
  });

  return {
    'GET /api/v1/mentions': async (_req, res, url) => {
      const p = parse(url, res, pageQuery, ['limit', 'cursor']);
      if (!p) return;
      if (usesText(p.filter)) await deps.catchUpText();
      const after = p.own.cursor === undefined ? null : decodeCursor(p.own.cursor);
      if (p.own.cursor !== undefined && !after) {
        return sendError(
          res,
          400,
          'cursor is not valid: pass back nextCursor as it came',
          'cursor'
        );
      }
      const page = deps.store().explore.page(p.filter, deps.competitors(), p.own.limit, after);
      sendJson(res, 200, {
        items: page.rows.map((r) => view(r.mention, r.answered)),
        nextCursor: page.next ? encodeCursor(page.next) : null
      });
    },

    'GET /api/v1/mentions/export.csv': async (_req, res, url) => {
      const p = parse(url, res, z.object({}), []);
      if (!p) return;
      if (usesText(p.filter)) await deps.catchUpText();
      const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="mentions-${day(p.filter.from)}-${day(p.filter.to)}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff'
      });
      res.write(stringify([CSV_COLUMNS]));
      // A page at a time, waiting for the socket to drain: constant memory for any range, and a
      // client that stops reading stops the export.
      for (const rows of deps.store().explore.pages(p.filter, deps.competitors(), 1000)) {
        if (res.destroyed) return;
        const chunk = stringify(
          rows.map(({ mention: m, answered }) => [
            new Date(m.createdAt).toISOString(),
            m.source,
            m.id,
            m.channel,
            m.author.handle,
            m.author.name,
            m.author.followers,
            // Spreadsheets run cells that start with = + - @ as formulas: quote them as text.
            /^[=+\-@\t\r]/.test(m.text) ? `'${m.text}` : m.text,
            m.sentiment.label,
            m.sentiment.score,
            m.intent,
            m.language,
            m.topics.join('|'),
            m.influenceTier,
            m.priority,
            m.isBrand ? '' : answered ? 'yes' : 'no',
            m.url ?? ''
          ])
        );
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    },

    'GET /api/v1/mentions/:source/:id': (_req, res, _url, params) => {
      const store = deps.store();
      const one = store.explore.get(params.source!, params.id!);
      if (!one) return sendError(res, 404, `no mention ${params.id} from ${params.source}`, 'id');
      const m = one.mention;
      const thread = store.explore.thread(m.source, m.id);
      const byId = new Map(thread.map((x) => [x.id, x]));
      const answeredIds = new Set(
        thread.filter((x) => x.isBrandReply && x.inReplyToId).map((x) => x.inReplyToId!)
      );
      sendJson(res, 200, {
        mention: view(m, one.answered),
        explain: deps.explain(m.source, m.id),
        author: {
          handle: m.author.handle,
          name: m.author.name,
          followers: m.author.followers,
          verified: m.author.verified,
          influenceTier: m.influenceTier,
          recent: store.explore
            .byAuthor(m.author.handle, 20)
            .map((x) => view(x, answeredIds.has(x.id)))
        },
        thread: thread.map((x) => {
          const parent = x.inReplyToId ? byId.get(x.inReplyToId) : undefined;
          return {
            mention: view(x, answeredIds.has(x.id)),
            responseMs:
              x.isBrandReply && parent ? Math.max(0, x.createdAt - parent.createdAt) : null
          };
        })
      });
    },

    'GET /api/v1/explore/volume': async (_req, res, url) => {
      const p = parse(url, res, volumeQuery, ['by']);
      if (!p) return;
      if (usesText(p.filter)) await deps.catchUpText();
      const bucketMs = bucketFor(p.filter.from, p.filter.to);
      const v = deps.store().explore.volume(p.filter, deps.competitors(), bucketMs, p.own.by);
      sendJson(res, 200, { from: p.filter.from, to: p.filter.to, bucketMs, ...v });
    },

    'GET /api/v1/explore/top': async (_req, res, url) => {
      const p = parse(url, res, z.object({}), []);
      if (!p) return;
      if (usesText(p.filter)) await deps.catchUpText();
      sendJson(res, 200, deps.store().explore.top(p.filter, deps.competitors()));
    },

    'GET /api/v1/explore/geo': async (_req, res, url) => {
      const p = parse(url, res, z.object({}), []);
      if (!p) return;
      if (usesText(p.filter)) await deps.catchUpText();
      sendJson(res, 200, deps.store().explore.geo(p.filter, deps.competitors()));
    },

    'GET /api/v1/explore/compare': async (_req, res, url) => {
      const p = parse(url, res, z.object({}), []);
      if (!p) return;
      // Share of voice always searches the text.
      await deps.catchUpText();
      const store = deps.store();
      const competitors = deps.competitors();
      const net = (t: { total: number; negative: number; positive: number }) =>
        t.total ? (t.positive - t.negative) / t.total : 0;
      const current = store.explore.totals(p.filter, competitors);
      const prev = previousWeek(p.filter.from, p.filter.to);
      const previous = store.explore.totals({ ...p.filter, ...prev }, competitors);
      // Share of voice over the range: each competitor's mentions against the brand's (those
      // naming no competitor).
      const { from, to } = p.filter;
      const all = store.explore.countMatching(from, to, null);
      const anyCompetitor = anyOf(competitors.flatMap((c) => c.terms));
      const brand =
        all - (anyCompetitor ? store.explore.countMatching(from, to, anyCompetitor) : 0);
      const counts = [
        { name: 'brand', count: brand, brand: true },
        ...competitors.map((c) => ({
          name: c.name,
          count: (() => {
            const q = anyOf(c.terms);
            return q ? store.explore.countMatching(from, to, q) : 0;
          })(),
          brand: false
        }))
      ];
      const sum = counts.reduce((a, c) => a + c.count, 0);
      sendJson(res, 200, {
        current: { ...current, net: net(current) },
        previous: { ...previous, net: net(previous) },
        previousFrom: prev.from,
        previousTo: prev.to,
        shareOfVoice: counts.map((c) => ({ ...c, share: sum ? c.count / sum : 0 }))
      });
    }
  };
}
