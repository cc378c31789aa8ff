import type { Channel, Geo, Mention } from '../../../src/lib/shared/types';
import { enrich, enrichContext, type EnrichConfig, type EnrichContext } from '../../core/pipeline';
import { decodeBatch } from '../../http/decode-batch';
import type { BatchIngested, BodyIngested, IngestType, Rejection } from '../../ports';
import { commitAnswer } from './commit-answer';
import { flatChunks, type Chunks } from '../../core/flat-rows';
import { COLUMN_COUNT, rowValues, type SyncStore } from './sqlite-store';
import type { StringTable } from '../../core/string-table';

let configKey = '';
let ctx: EnrichContext = enrichContext([], undefined);

/** A decoded, validated and enriched body, ready to commit (or finished already). */
export type PreparedBody =
  | { done: BodyIngested }
  | {
      done: null;
      /** Items in the body. */
      items: number;
      rejected: Rejection[];
      /** Row values of the valid mentions for the store (COLUMN_COUNT each, in chunks). */
      values: Chunks;
    };

/** The enrichment context for a configuration, compiled once per configuration, not per batch. */
function contextFor(enrichment: EnrichConfig): EnrichContext {
  const key = JSON.stringify(enrichment);
  if (key !== configKey) {
    configKey = key;
    ctx = enrichContext(enrichment.brands, enrichment.topics);
  }
  return ctx;
}

/**
 * Enriches valid mentions with the pure core into row values for the store (COLUMN_COUNT each,
 * see `rowValues`; built row by row and joined into chunks of whole rows by `flatChunks`).
 * Nothing else is kept: what counting needs is built from the same values after the commit
 * (`commitAnswer`), so no enriched object lives through the writer's round trip (objects that
 * outlive a few young-generation collections are promoted, and collecting the old generation was
 * the busiest part of ingest).
 */
export function prepareMentions(valid: readonly Mention[], enrichment: EnrichConfig): Chunks {
  const c = contextFor(enrichment);
  const rows = new Array<unknown[]>(valid.length);
  for (let i = 0; i < valid.length; i++) rows[i] = rowValues(enrich(valid[i]!, c));
  return flatChunks(rows, COLUMN_COUNT);
}

/**
 * Ingesting a request body up to the commit: decode and validate (decode-batch.ts), then enrich
 * (`prepareMentions`). Whole-body errors and bodies with nothing valid are finished here.
 */
export function prepareBody(
  body: Uint8Array,
  type: IngestType,
  enrichment: EnrichConfig
): PreparedBody {
  const decoded = decodeBatch(body, type);
  if (!decoded.ok) return { done: { ok: false, error: decoded.error } };
  const { valid, rejected, items } = decoded;
  if (valid.length === 0) {
    return {
      done: { ok: true, items, valid: 0, rejected, fresh: 0, facts: [], newest: [], lastSeq: 0 }
    };
  }
  return { done: null, items, rejected, values: prepareMentions(valid, enrichment) };
}

/** The whole ingest of one body on one thread, with a synchronous store (tools and tests). */
export function ingestBody(
  store: SyncStore,
  body: Uint8Array,
  type: IngestType,
  enrichment: EnrichConfig,
  riverSize: number
): BodyIngested {
  const p = prepareBody(body, type, enrichment);
  if (p.done) return p.done;
  return commitAnswer(p.values, store.insertValues(p.values), {
    items: p.items,
    rejected: p.rejected,
    riverSize
  });
}

/** The whole ingest of validated mentions on one thread, with a synchronous store. */
export function ingestMentions(
  store: SyncStore,
  mentions: readonly Mention[],
  enrichment: EnrichConfig,
  riverSize: number
): BatchIngested {
  const values = prepareMentions(mentions, enrichment);
  return commitAnswer(values, store.insertValues(values), {
    items: mentions.length,
    rejected: [],
    riverSize
  });
}

/** Values per mention in `pushMention`'s flat layout. */
export const MENTION_VALUE_COUNT = 16;

/**
 * Appends a validated mention as flat positional values (flat primitives cross threads far
 * cheaper than nested objects): id, source, channel, createdAt, text, author handle, name,
 * followers, verified, lang, url, inReplyToId, geo lat, lon, country (null without geo), agent.
 * Source, channel, lang, country and agent, of few distinct values, are written as their index
 * in `t`.
 */
export function pushMention(out: unknown[], m: Mention, t: StringTable): void {
  const a = m.author;
  const g = m.geo;
  out.push(
    m.id,
    t.id(m.source),
    t.id(m.channel),
    m.createdAt,
    m.text,
    a.handle,
    a.name,
    a.followers,
    a.verified,
    t.id(m.lang),
    m.url,
    m.inReplyToId,
    g === null ? null : g.lat,
    g === null ? null : g.lon,
    g === null || g.country === undefined ? null : t.id(g.country),
    m.agent == null ? null : t.id(m.agent)
  );
}

/** The mentions `pushMention` flattened, rebuilt with the table's strings. */
export function mentionsFromValues(v: readonly unknown[], strings: readonly string[]): Mention[] {
  const out = new Array<Mention>(v.length / MENTION_VALUE_COUNT);
  for (let i = 0, o = 0; o < v.length; i++, o += MENTION_VALUE_COUNT) {
    const lat = v[o + 12] as number | null;
    const lang = v[o + 9] as number | null;
    const country = v[o + 14] as number | null;
    const agent = v[o + 15] as number | null;
    let geo: Geo | null = null;
    if (lat !== null) {
      const lon = v[o + 13] as number;
      geo = country === null ? { lat, lon } : { lat, lon, country: strings[country]! };
    }
    out[i] = {
      id: v[o] as string,
      source: strings[v[o + 1] as number]!,
      channel: strings[v[o + 2] as number] as Channel,
      createdAt: v[o + 3] as number,
      text: v[o + 4] as string,
      author: {
        handle: v[o + 5] as string,
        name: v[o + 6] as string,
        followers: v[o + 7] as number,
        verified: v[o + 8] as boolean
      },
      lang: lang === null ? null : strings[lang]!,
      url: v[o + 10] as string | null,
      inReplyToId: v[o + 11] as string | null,
      geo
    };
    // Only brand replies carry one, rarely: absent rather than null, as the input had it.
    if (agent !== null) out[i]!.agent = strings[agent]!;
  }
  return out;
}
