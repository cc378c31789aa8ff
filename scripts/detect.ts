/**
 * `npm run --silent detect -- --input <in.csv> --output <out.csv> [--sensitivity balanced]`:
 * reads a regular series `timestamp,value` (the NAB format; a header line is optional; any
 * regular interval) and writes `timestamp,value,anomaly_score,alert`, where `anomaly_score` is in
 * [0, 1] and `alert` is 1 only on the row where the live system would raise a new alert (its
 * onset). Same detector code and defaults as the live pipeline's volume series
 * (server/core/detect). Streams in constant memory. `-` reads stdin or writes stdout.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import type { Sensitivity } from '../server/core/detect/detector';
import { parseSeriesTime, StreamingDetection, type DetectRow } from '../server/core/detect/series';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run --silent detect -- --input <in.csv> --output <out.csv> [--sensitivity low|balanced|high]\n`
  );
  process.exit(2);
}

let values: { input?: string; output?: string; sensitivity?: string };
try {
  ({ values } = parseArgs({
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      sensitivity: { type: 'string' }
    },
    strict: true
  }));
} catch (err) {
  usage((err as Error).message);
}
if (!values.input) usage('missing --input');
if (!values.output) usage('missing --output');
const sensitivity = (values.sensitivity ?? 'balanced') as Sensitivity;
if (!['low', 'balanced', 'high'].includes(sensitivity)) {
  usage(`--sensitivity must be low, balanced or high, not "${values.sensitivity}"`);
}

const input: NodeJS.ReadableStream =
  values.input === '-' ? process.stdin : createReadStream(values.input);
const output: NodeJS.WritableStream =
  values.output === '-' ? process.stdout : createWriteStream(values.output);
input.on('error', (err: Error) => usage(`cannot read ${values.input}: ${err.message}`));
output.on('error', (err: Error) => usage(`cannot write ${values.output}: ${err.message}`));

function fail(line: number | string, message: string): never {
  process.stderr.write(`${values.input}: line ${line}: ${message}\n`);
  process.exit(1);
}

const detection = new StreamingDetection({ sensitivity });
/** Timestamps as written, waiting for their rows to be answered (at most the probe's 64). */
const written: { ts: string; value: string }[] = [];
let buffered: string[] = ['timestamp,value,anomaly_score,alert\n'];
let rows = 0;
let alerts = 0;
let lastT = -Infinity;

const flush = async (): Promise<void> => {
  if (buffered.length === 0) return;
  const chunk = buffered.join('');
  buffered = [];
  if (!output.write(chunk)) await new Promise<void>((r) => output.once('drain', () => r()));
};
const emit = (answered: DetectRow[]): void => {
  for (const r of answered) {
    const w = written.shift()!;
    if (r.alert) alerts++;
    buffered.push(`${w.ts},${w.value},${r.score.toFixed(6)},${r.alert ? 1 : 0}\n`);
  }
};

const parser = input.pipe(
  parse({ relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, info: true })
);
/** A plain decimal number (no hex, no Infinity): what a count or a rate looks like. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
let first = true;
for await (const { record, info } of parser as AsyncIterable<{
  record: string[];
  info: { lines: number };
}>) {
  // The physical line the record ends on (blank lines are skipped but still counted).
  const line = info.lines;
  const [ts = '', raw = ''] = record;
  // A first row whose value is not a number is the header.
  if (first && !DECIMAL.test(raw)) {
    first = false;
    continue;
  }
  first = false;
  const t = parseSeriesTime(ts);
  if (Number.isNaN(t)) {
    fail(
      line,
      `timestamp "${ts.slice(0, 40)}" is not a date (use "YYYY-MM-DD HH:MM:SS" UTC, ISO 8601 with a zone, or epoch)`
    );
  }
  if (!DECIMAL.test(raw)) fail(line, `value "${raw.slice(0, 40)}" is not a number`);
  const value = Number(raw);
  if (value < 0) fail(line, `value ${raw} is negative; a volume series counts mentions`);
  if (t <= lastT) fail(line, `timestamps must increase (${ts} is not after the previous row)`);
  lastT = t;
  written.push({ ts, value: raw });
  emit(detection.push({ t, value }));
  rows++;
  if (buffered.length >= 4096) await flush();
}
emit(detection.end());
await flush();
if (output !== process.stdout) await new Promise<void>((resolve) => output.end(() => resolve()));
process.stderr.write(`${rows} row(s), ${alerts} alert(s)\n`);
