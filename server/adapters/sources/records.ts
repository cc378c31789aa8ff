import { parse } from 'csv-parse';
import { createReadStream, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Mention } from '../../../src/lib/shared/types';
import type { RecordFormat } from '../../config';
import { parseMention } from '../../core/mention-schema';
import { TWCS_COLUMNS, twcsToMention, type TwcsRow } from './formats/twcs';
import { twitterPageToMentions, type TweetResult } from './formats/twitter-v2';

/** One record of a recorded file: a valid mention, or why the line or row was refused. */
export type RecordItem =
  | { at: number; ok: true; mention: Mention; isBrand: boolean }
  | { at: number; ok: false; error: string };

/** A pretty-printed (not line-delimited) Twitter API v2 file is read whole up to this size. */
const WHOLE_JSON_LIMIT = 256 * 1024 * 1024;

/** Guesses the format from the start of the file: the twcs CSV header, a v2 response, or NDJSON. */
export async function detectFormat(file: string): Promise<RecordFormat> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    if (head.startsWith(TWCS_COLUMNS.join(','))) return 'twcs';
    if (/^\s*\{\s*"(data|includes|meta|errors)"\s*:/.test(head)) return 'twitter-v2';
    if (head.trimStart().startsWith('{')) return 'ndjson';
    throw new Error(
      'cannot tell the format from the start of the file: expected NDJSON mentions, the twcs CSV header or a Twitter API v2 response; pass --format'
    );
  } finally {
    await fh.close();
  }
}

/** Validates a mapped mention with the same schema as the ingest API. */
function checked(at: number, m: Mention, isBrand: boolean): RecordItem {
  const r = parseMention(m);
  if (r.ok) return { at, ok: true, mention: r.mention, isBrand };
  return { at, ok: false, error: r.errors.map((e) => `${e.path}: ${e.message}`).join('; ') };
}

function* fromTweets(at: number, results: TweetResult[]): Generator<RecordItem> {
  for (const r of results) {
    if (r.ok) yield checked(at, r.mention, false);
    else yield { at, ok: false, error: r.error };
  }
}

/**
 * Streams the records of a recorded file with constant memory (one line, row or API page at a
 * time). `at` is the 1-based line (NDJSON, v2 JSONL) or row (CSV, header = 1). `onBytes` reports
 * bytes read so far for a progress bar.
 */
export async function* readRecords(
  file: string,
  format: RecordFormat,
  onBytes?: (bytesRead: number, totalBytes: number) => void
): AsyncGenerator<RecordItem> {
  const total = statSync(file).size;
  const raw = createReadStream(file);
  let bytes = 0;
  raw.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes?.(bytes, total);
  });
  try {
    if (format === 'twcs') {
      const rows = raw.pipe(parse({ columns: true, relax_column_count: true, bom: true }));
      let row = 1;
      for await (const rec of rows as AsyncIterable<TwcsRow>) {
        row++;
        const r = twcsToMention(rec);
        yield r.ok ? checked(row, r.mention, r.isBrand) : { at: row, ok: false, error: r.error };
      }
      return;
    }
    let line = 0;
    for await (const text of createInterface({ input: raw, crlfDelay: Infinity })) {
      line++;
      const trimmed = text.trim();
      if (trimmed === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(trimmed) as unknown;
      } catch (err) {
        if (format === 'twitter-v2' && line === 1) {
          // Not one response per line: a single pretty-printed response, read whole.
          raw.destroy();
          yield* wholeTwitterFile(file, total);
          return;
        }
        yield { at: line, ok: false, error: `not valid JSON: ${(err as Error).message}` };
        continue;
      }
      if (format === 'twitter-v2') {
        yield* fromTweets(line, twitterPageToMentions(value));
        continue;
      }
      const r = parseMention(value);
      yield r.ok
        ? { at: line, ok: true, mention: r.mention, isBrand: false }
        : { at: line, ok: false, error: r.errors.map((e) => `${e.path}: ${e.message}`).join('; ') };
    }
  } finally {
    raw.destroy();
    onBytes?.(total, total);
  }
}

async function* wholeTwitterFile(file: string, size: number): AsyncGenerator<RecordItem> {
  if (size > WHOLE_JSON_LIMIT) {
    yield {
      at: 1,
      ok: false,
      error:
        'a pretty-printed Twitter API v2 file over 256 MB cannot be streamed: write one response per line (JSONL, as twarc2 does)'
    };
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    yield { at: 1, ok: false, error: `not valid JSON: ${(err as Error).message}` };
    return;
  }
  yield* fromTweets(1, twitterPageToMentions(value));
}
