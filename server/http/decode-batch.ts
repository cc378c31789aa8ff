import { isUtf8 } from 'node:buffer';
import type { Mention } from '../../src/lib/shared/types';
import { parseJsonMention } from '../core/mention-schema';
import type { BodyError, IngestType, Rejection } from '../ports';

export type { BodyError, IngestType, Rejection };

/** Items in one request at most. */
export const MAX_ITEMS = 50_000;

/** The content types the ingest API reads. */
export const INGEST_TYPES: readonly IngestType[] = ['application/json', 'application/x-ndjson'];

/** What a request body holds. */
export type Decoded =
  | { ok: true; valid: Mention[]; rejected: Rejection[]; items: number }
  | { ok: false; error: BodyError };

const tooMany = (): Decoded => ({
  ok: false,
  error: { status: 413, message: `at most ${MAX_ITEMS} mentions per request`, field: 'body' }
});

/**
 * Decodes and validates an ingest body: one JSON mention, a JSON array, or NDJSON. Whole-body
 * problems (invalid UTF-8, broken JSON, too many items) are a BodyError; otherwise every item is
 * either a valid mention or a rejection naming its index and fields. Used on the SQLite writer
 * thread, so parsing a 5 MB batch never blocks the event loop that serves the wall.
 */
export function decodeBatch(body: Uint8Array, type: IngestType): Decoded {
  // A native check plus a decode is several times cheaper than a fatal TextDecoder.
  if (!isUtf8(body)) {
    return {
      ok: false,
      error: { status: 400, message: 'the request body is not valid UTF-8', field: 'body' }
    };
  }
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const items: unknown[] = [];
  const rejected: Rejection[] = [];
  const broken = new Set<number>();
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch (err) {
      // RangeError for absurd nesting lands here too: still the client's malformed input.
      return {
        ok: false,
        error: {
          status: 400,
          message: `the request body is not valid JSON: ${(err as Error).message}`,
          field: 'body'
        }
      };
    }
    if (Array.isArray(value)) {
      if (value.length > MAX_ITEMS) return tooMany();
      for (const v of value as unknown[]) items.push(v);
    } else items.push(value);
  } else {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      if (items.length >= MAX_ITEMS) return tooMany();
      try {
        items.push(JSON.parse(line) as unknown);
      } catch (err) {
        broken.add(items.length);
        rejected.push({
          index: items.length,
          errors: [{ path: '(line)', message: `not valid JSON: ${(err as Error).message}` }]
        });
        items.push(undefined);
      }
    }
  }
  const valid: Mention[] = [];
  for (let index = 0; index < items.length; index++) {
    if (broken.has(index)) continue;
    const r = parseJsonMention(items[index]);
    if (r.ok) valid.push(r.mention);
    else rejected.push({ index, errors: r.errors });
  }
  rejected.sort((a, b) => a.index - b.index);
  return { ok: true, valid, rejected, items: items.length };
}
