import type { EnrichedMention } from '../../../src/lib/shared/types';
import type { RecordFormat } from '../../config';
import { enrich, enrichContext, normaliseHandle } from '../../core/pipeline';
import type { TopicRule } from '../../core/enrich/topics';
import type { SyncStore } from '../store/sqlite-store';
import { detectFormat, readRecords } from './records';

export { detectFormat };

/** What an import did. */
export interface ImportResult {
  format: RecordFormat;
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  /** The first problems, by 1-based line or row number. */
  problems: { at: number; error: string }[];
}

/** Options of one import. */
export interface ImportOptions {
  format?: RecordFormat;
  store: SyncStore;
  brandHandles: readonly string[];
  /** Topic taxonomy (the built-in one when absent). */
  topics?: readonly TopicRule[];
  batchSize?: number;
  /** Called now and then with bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * Streams a recorded file into the store with its original timestamps, in batches, with constant
 * memory. Mentions are enriched exactly as live ones; in twcs data, `inbound=False` authors are
 * treated as brand handles.
 */
export async function importFile(file: string, opts: ImportOptions): Promise<ImportResult> {
  const format = opts.format ?? (await detectFormat(file));
  const ctx = enrichContext(opts.brandHandles, opts.topics);
  const brands = new Set(ctx.brands);
  ctx.brands = brands;
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
  const flush = (): void => {
    if (batch.length === 0) return;
    const { fresh } = opts.store.insertMentions(batch);
    result.imported += fresh.length;
    result.duplicates += batch.length - fresh.length;
    batch = [];
  };
  let lastReport = 0;
  const progress = (bytes: number, total: number): void => {
    if (!opts.onProgress || (bytes - lastReport < 256 * 1024 && bytes < total)) return;
    lastReport = bytes;
    opts.onProgress(bytes, total);
  };

  for await (const r of readRecords(file, format, progress)) {
    result.read++;
    if (!r.ok) {
      result.rejected++;
      if (result.problems.length < 100) result.problems.push({ at: r.at, error: r.error });
      continue;
    }
    if (r.isBrand) brands.add(normaliseHandle(r.mention.author.handle));
    batch.push(enrich(r.mention, ctx));
    if (batch.length >= batchSize) flush();
  }
  flush();
  return result;
}
