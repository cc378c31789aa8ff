import type { EnrichedMention } from '../../../src/lib/shared/types';
import {
  enrich,
  enrichContext,
  FACT_COUNT,
  pushFacts,
  type EnrichConfig,
  type EnrichContext
} from '../../core/pipeline';
import { decodeBatch } from '../../http/decode-batch';
import type { BodyIngested, IngestType } from '../../ports';
import { pushValues, type SyncStore } from './sqlite-store';

let configKey = '';
let ctx: EnrichContext = enrichContext([], undefined);

/** A decoded, validated and enriched body, ready to commit. */
export type PreparedBody =
  | { done: BodyIngested }
  | {
      done: null;
      items: number;
      valid: number;
      rejected: Extract<BodyIngested, { ok: true }>['rejected'];
      /** Counting facts of every valid mention (FACT_COUNT each, see `pushFacts`). */
      facts: unknown[];
      /** The last `riverSize` valid mentions in full, for the river. */
      tail: EnrichedMention[];
      /** Row values for the store (COLUMN_COUNT per mention). */
      values: unknown[];
    };

/**
 * First half of ingesting a request body: decode and validate (decode-batch.ts) and enrich with
 * the pure core. Whole-body errors and bodies with nothing valid
 * are finished here. Only flat facts and the river's tail are kept for after the commit: holding
 * every enriched object across the writer's round trip would push them all into the old
 * generation and make the garbage collector the busiest part of ingest.
 */
export function prepareBody(
  body: Uint8Array,
  type: IngestType,
  enrichment: EnrichConfig,
  riverSize: number
): PreparedBody {
  const decoded = decodeBatch(body, type);
  if (!decoded.ok) return { done: { ok: false, error: decoded.error } };
  const { valid, rejected, items } = decoded;
  if (valid.length === 0) {
    return {
      done: { ok: true, items, valid: 0, rejected, fresh: 0, facts: [], newest: [], lastSeq: 0 }
    };
  }
  // Compiled once per configuration, not per body.
  const key = JSON.stringify(enrichment);
  if (key !== configKey) {
    configKey = key;
    ctx = enrichContext(enrichment.brands, enrichment.topics);
  }
  const values: unknown[] = [];
  const facts: unknown[] = [];
  const tail: EnrichedMention[] = [];
  const tailFrom = valid.length - riverSize;
  for (let i = 0; i < valid.length; i++) {
    const e = enrich(valid[i]!, ctx);
    pushValues(values, e);
    pushFacts(facts, e);
    if (i >= tailFrom) tail.push(e);
  }
  return { done: null, items, valid: valid.length, rejected, facts, tail, values };
}

/**
 * Second half, after the commit: the facts of the mentions that were new (flag 1), plus the
 * newest new ones in full for the river.
 */
export function finishBody(
  p: Extract<PreparedBody, { done: null }>,
  flags: Uint8Array,
  lastSeq: number
): BodyIngested {
  const facts: unknown[] = [];
  let fresh = 0;
  for (let i = 0, o = 0; i < p.valid; i++, o += FACT_COUNT) {
    if (flags[i] !== 1) continue;
    fresh++;
    for (let k = 0; k < FACT_COUNT; k++) facts.push(p.facts[o + k]);
  }
  const tailFrom = p.valid - p.tail.length;
  const newest = p.tail.filter((_, j) => flags[tailFrom + j] === 1);
  return {
    ok: true,
    items: p.items,
    valid: p.valid,
    rejected: p.rejected,
    fresh,
    facts,
    newest,
    lastSeq
  };
}

/** The whole ingest of one body on one thread, with a synchronous store (tools and tests). */
export function ingestBody(
  store: SyncStore,
  body: Uint8Array,
  type: IngestType,
  enrichment: EnrichConfig,
  riverSize: number
): BodyIngested {
  const p = prepareBody(body, type, enrichment, riverSize);
  if (p.done) return p.done;
  const { flags, lastSeq } = store.insertValues(p.values);
  return finishBody(p, flags, lastSeq);
}
