/**
 * `npm run --silent sentiment -- --input <texts.txt> --output <out.tsv>`: scores one text per
 * input line and writes one `label<TAB>score` line per input line (label negative, neutral or
 * positive), with the same code and defaults as the live pipeline (server/core/enrich). Streams,
 * so files of any size run in constant memory. `-` reads stdin or writes stdout.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { sentimentFor } from '../server/core/enrich/text';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run --silent sentiment -- --input <texts.txt> --output <out.tsv>\n`
  );
  process.exit(2);
}

let values: { input?: string | undefined; output?: string | undefined };
try {
  ({ values } = parseArgs({
    options: { input: { type: 'string' }, output: { type: 'string' } },
    strict: true
  }));
} catch (err) {
  usage((err as Error).message);
}
if (!values.input) usage('missing --input');
if (!values.output) usage('missing --output');

const input: NodeJS.ReadableStream =
  values.input === '-' ? process.stdin : createReadStream(values.input);
const output: NodeJS.WritableStream =
  values.output === '-' ? process.stdout : createWriteStream(values.output);
input.on('error', (err: Error) => usage(`cannot read ${values.input}: ${err.message}`));
output.on('error', (err: Error) => usage(`cannot write ${values.output}: ${err.message}`));

let lines = 0;
let buffered: string[] = [];
const flush = async (): Promise<void> => {
  if (buffered.length === 0) return;
  const chunk = buffered.join('');
  buffered = [];
  if (!output.write(chunk)) await new Promise<void>((r) => output.once('drain', () => r()));
};
// crlfDelay: a \r\n line ending is one line break, so Windows files keep their line count.
for await (const line of createInterface({ input, crlfDelay: Infinity })) {
  const s = sentimentFor(line, null).sentiment;
  buffered.push(`${s.label}\t${s.score}\n`);
  lines++;
  if (buffered.length >= 4096) await flush();
}
await flush();
if (output !== process.stdout) await new Promise<void>((resolve) => output.end(() => resolve()));
process.stderr.write(`scored ${lines} line(s)\n`);
