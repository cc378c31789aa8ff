import { parse } from 'csv-parse';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { EnrichedMention } from '../../../src/lib/shared/types';
import { parseMention } from '../../core/mention-schema';
import { enrich, normaliseHandle } from '../../core/pipeline';
import type { SyncStore } from '../store/sqlite-store';
import { TWCS_COLUMNS, twcsToMention, type TwcsRow } from './formats/twcs';

/** Recorded-data formats the importer reads. */
export type ImportFormat = 'ndjson' | 'twcs';

/** What an import did. */
export interface ImportResult {
  format: ImportFormat;
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  /** The first problems, by 1-based line or row number. */
  problems: { at: number; error: string }[];
}

/** Options of one import. */
export interface ImportOptions {
  format?: ImportFormat;
  store: SyncStore;
  brandHandles: readonly string[];
  batchSize?: number;
  /** Called now and then with bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Guesses the format from the first line: the twcs CSV header, or JSON. */
export async function detectFormat(file: string): Promise<ImportFormat> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    if (head.startsWith(TWCS_COLUMNS.join(','))) return 'twcs';
    if (head.trimStart().startsWith('{')) return 'ndjson';
    throw new Error(
      'cannot tell the format from the first line: expected NDJSON mentions or the twcs CSV header; pass --format'
    );
  } finally {
    await fh.close();
  }
}

/**
 * Streams a recorded file into the store with its original timestamps, in batches, with constant
 * memory. Mentions are enriched exactly as live ones; in twcs data, `inbound=False` authors are
 * treated as brand handles.
 */
export async function importFile(file: string, opts: ImportOptions): Promise<ImportResult> {
  const format = opts.format ?? (await detectFormat(file));
  const total = statSync(file).size;
  const brands = new Set(opts.brandHandles.map(normaliseHandle));
  const batchSize = opts.batchSize ?? 1000;
  const result: ImportResult = {
    format,
    read: 0,
    imported: 0,
    duplicates: 0,
    rejected: 0,
    problems: []
  };
  let batch: EnrichedMention[] = [];

  const raw = createReadStream(file);
  let bytes = 0;
  let lastReport = 0;
  raw.on('data', (chunk) => {
    bytes += chunk.length;
    if (opts.onProgress && bytes - lastReport > 256 * 1024) {
      lastReport = bytes;
      opts.onProgress(bytes, total);
    }
  });

  const problem = (at: number, error: string): void => {
    result.rejected++;
    if (result.problems.length < 100) result.problems.push({ at, error });
  };
  const flush = (): void => {
    if (batch.length === 0) return;
    const { fresh } = opts.store.insertMentions(batch);
    result.imported += fresh.length;
    result.duplicates += batch.length - fresh.length;
    batch = [];
  };

  if (format === 'ndjson') {
    let line = 0;
    for await (const text of createInterface({ input: raw, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      result.read++;
      let value: unknown;
      try {
        value = JSON.parse(text) as unknown;
      } catch (err) {
        problem(line, `not valid JSON: ${(err as Error).message}`);
        continue;
      }
      const r = parseMention(value);
      if (!r.ok) {
        problem(line, r.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
        continue;
      }
      batch.push(enrich(r.mention, brands));
      if (batch.length >= batchSize) flush();
    }
  } else {
    const rows = raw.pipe(parse({ columns: true, relax_column_count: true, bom: true }));
    let row = 1;
    for await (const rec of rows as AsyncIterable<TwcsRow>) {
      row++;
      result.read++;
      const r = twcsToMention(rec);
      if (!r.ok) {
        problem(row, r.error);
        continue;
      }
      if (r.isBrand) brands.add(normaliseHandle(r.mention.author.handle));
      batch.push(enrich(r.mention, brands));
      if (batch.length >= batchSize) flush();
    }
  }
  flush();
  opts.onProgress?.(total, total);
  return result;
}
