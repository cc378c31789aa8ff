import type { EnrichedMention } from '../../../src/lib/shared/types';
import { enrich, pushFacts } from '../../core/pipeline';
import { decodeBatch } from '../../http/decode-batch';
import type { BodyIngested, IngestType } from '../../ports';
import { pushValues, type SyncStore } from './sqlite-store';

let brandsKey = '';
let brandSet: ReadonlySet<string> = new Set();

/** A decoded, validated and enriched body, ready to commit. */
export type PreparedBody =
  | { done: BodyIngested }
  | {
      done: null;
      items: number;
      rejected: Extract<BodyIngested, { ok: true }>['rejected'];
      enriched: EnrichedMention[];
      /** Row values for the store (COLUMN_COUNT per mention). */
      values: unknown[];
    };

/**
 * First half of ingesting a request body: decode and validate (decode-batch.ts) and enrich with
 * the pure core (`brands` are normalised handles). Whole-body errors and bodies with nothing valid
 * are finished here.
 */
export function prepareBody(
  body: Uint8Array,
  type: IngestType,
  brands: readonly string[]
): PreparedBody {
  const decoded = decodeBatch(body, type);
  if (!decoded.ok) return { done: { ok: false, error: decoded.error } };
  const { valid, rejected, items } = decoded;
  if (valid.length === 0) {
    return {
      done: { ok: true, items, valid: 0, rejected, fresh: 0, facts: [], newest: [], lastSeq: 0 }
    };
  }
  const key = brands.join('\n');
  if (key !== brandsKey) {
    brandsKey = key;
    brandSet = new Set(brands);
  }
  const enriched = new Array<EnrichedMention>(valid.length);
  const values: unknown[] = [];
  for (let i = 0; i < valid.length; i++) {
    const e = enrich(valid[i]!, brandSet);
    enriched[i] = e;
    pushValues(values, e);
  }
  return { done: null, items, rejected, enriched, values };
}

/**
 * Second half, after the commit: for the mentions that were new (flag 1), only what the main
 * thread needs to count them (flat facts) plus the newest few in full for the river.
 */
export function finishBody(
  p: Extract<PreparedBody, { done: null }>,
  flags: Uint8Array,
  lastSeq: number,
  riverSize: number
): BodyIngested {
  const facts: unknown[] = [];
  const fresh: EnrichedMention[] = [];
  for (let i = 0; i < p.enriched.length; i++) {
    if (flags[i] !== 1) continue;
    pushFacts(facts, p.enriched[i]!);
    fresh.push(p.enriched[i]!);
  }
  return {
    ok: true,
    items: p.items,
    valid: p.enriched.length,
    rejected: p.rejected,
    fresh: fresh.length,
    facts,
    newest: fresh.slice(-riverSize),
    lastSeq
  };
}

/** The whole ingest of one body on one thread, with a synchronous store (tools and tests). */
export function ingestBody(
  store: SyncStore,
  body: Uint8Array,
  type: IngestType,
  brands: readonly string[],
  riverSize: number
): BodyIngested {
  const p = prepareBody(body, type, brands);
  if (p.done) return p.done;
  const { flags, lastSeq } = store.insertValues(p.values);
  return finishBody(p, flags, lastSeq, riverSize);
}
