/**
 * `npm run import -- <file> [--format ndjson|twcs|twitter-v2]`: loads recorded mentions into history with
 * their original timestamps (DATA_DIR and BRAND_HANDLES as for the server). Streams with constant
 * memory and draws a progress bar on stderr. A running server picks imported minutes of the last
 * 24 hours up at its next start.
 */
import { openSqliteStore } from '../server/adapters/store/sqlite-store';
import { importFile } from '../server/adapters/sources/importer';
import { ConfigError, loadConfig, RECORD_FORMATS, type RecordFormat } from '../server/config';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run import -- <file> [--format ndjson|twcs|twitter-v2]\n`
  );
  process.exit(2);
}

const args = process.argv.slice(2);
let file: string | undefined;
let format: RecordFormat | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--format') {
    const f = args[++i];
    if (!f || !(RECORD_FORMATS as readonly string[]).includes(f))
      usage(`--format must be one of ${RECORD_FORMATS.join(', ')}, got ${f ?? 'nothing'}`);
    format = f as RecordFormat;
  } else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (file) usage('one file at a time');
  else file = a;
}
if (!file) usage('which file?');

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) usage(err.message);
  throw err;
}

const store = openSqliteStore(config.dbFile);
const started = Date.now();
const bar = (done: number, total: number): void => {
  if (!process.stderr.isTTY && done < total) return;
  const share = total ? done / total : 1;
  const width = 30;
  const filled = Math.round(share * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${(done / 1048576).toFixed(1)} MB`
  );
};
try {
  const r = await importFile(file, {
    format,
    store,
    brandHandles: config.brandHandles,
    onProgress: bar
  });
  process.stderr.write('\n');
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({
      file,
      ...r,
      problems: r.problems.slice(0, 10),
      seconds: Math.round(seconds * 10) / 10
    })
  );
  if (r.imported + r.duplicates === 0) process.exitCode = 1;
} catch (err) {
  process.stderr.write(`\nimport failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  store.close();
}
