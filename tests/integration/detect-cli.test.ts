import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { mulberry32, poisson } from '../helpers/random';

// Not tests/helpers/test-server's tempDataDir: importing it loads the whole app (seconds).
const dir = mkdtempSync(join(tmpdir(), 'mc-detect-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`npm run detect` is `tsx scripts/detect.ts`), optionally feeding stdin. */
function run(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/detect.ts', ...args], {
      cwd: process.cwd(),
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may exit before reading (usage errors)
    child.stdin.end(stdin ?? '');
  });
}

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const MIN = 60_000;
const T0 = Date.UTC(2015, 1, 23); // a Monday
/** NAB's timestamp format, `YYYY-MM-DD HH:MM:SS` (UTC). */
const nab = (t: number): string => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

// 4 days of 5-minute counts (Poisson, 30 per row) with one ×8 spike for 30 minutes on day 3.
const ROWS = 4 * 288;
const SPIKE_FROM = 2 * 288 + 10 * 12; // day 3, 10:00
const SPIKE_ROWS = 6;
const fixture: { ts: string; value: string }[] = (() => {
  const rng = mulberry32(42);
  return Array.from({ length: ROWS }, (_, i) => {
    const spike = i >= SPIKE_FROM && i < SPIKE_FROM + SPIKE_ROWS;
    const v = poisson(rng, spike ? 240 : 30);
    // A few values in another spelling, to check that they are echoed as written.
    return { ts: nab(T0 + i * 5 * MIN), value: i % 97 === 5 ? `${v}.0` : String(v) };
  });
})();
const fixtureCsv = `timestamp,value\n${fixture.map((r) => `${r.ts},${r.value}\n`).join('')}`;
const fixturePath = write('series.csv', fixtureCsv);

// Each process costs about a second (tsx compiles on start), so the tests run concurrently and
// each one spawns a single process.
describe.concurrent('npm run detect (real process)', () => {
  it('writes timestamp,value,anomaly_score,alert to stdout ("-"), one alert inside the spike', async ({
    expect
  }) => {
    const r = await run(['--input', fixturePath, '--output', '-']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`${ROWS} row(s), 1 alert(s)\n`);
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('timestamp,value,anomaly_score,alert');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(ROWS);
    // Timestamps and values echoed as written, in order; four columns everywhere.
    expect(rows.map((row) => `${row[0]},${row[1]}`)).toEqual(
      fixture.map((f) => `${f.ts},${f.value}`)
    );
    expect(rows.filter((row) => row.length !== 4)).toEqual([]);
    const badScore = rows.filter(
      ([, , score]) => !/^\d\.\d{6}$/.test(score!) || !(Number(score) >= 0 && Number(score) <= 1)
    );
    expect(badScore).toEqual([]);
    expect(rows.filter((row) => row[3] !== '0' && row[3] !== '1')).toEqual([]);
    const alerts = rows.flatMap((row, i) => (row[3] === '1' ? [i] : []));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toBeGreaterThanOrEqual(SPIKE_FROM);
    expect(alerts[0]).toBeLessThan(SPIKE_FROM + SPIKE_ROWS);
    expect(Number(rows[alerts[0]!]![2])).toBeGreaterThanOrEqual(0.5);
  });

  it('reads CRLF line endings without a header, from stdin ("-"), into a file', async ({
    expect
  }) => {
    const ts = (i: number): string => new Date(T0 + i * MIN).toISOString();
    const body = Array.from({ length: 200 }, (_, i) => `${ts(i)},${10 + (i % 3)}\r\n`).join('');
    const output = join(dir, 'crlf-out.csv');
    const r = await run(['--input', '-', '--output', output, '--sensitivity', 'high'], body);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('200 row(s), 0 alert(s)\n');
    const lines = readFileSync(output, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('timestamp,value,anomaly_score,alert');
    expect(lines).toHaveLength(201);
    const expected = Array.from({ length: 200 }, (_, i) => `${ts(i)},${10 + (i % 3)},0`);
    expect(lines.slice(1).map((l) => l.replace(/,\d\.\d{6},/, ','))).toEqual(expected);
  });

  it.for([
    [['--output', '-'], /missing --input/],
    [['--input', '-'], /missing --output/],
    [
      ['--input', '-', '--output', '-', '--sensitivity', 'extreme'],
      /--sensitivity must be low, balanced or high, not "extreme"/
    ]
  ] as const)('exits 2 with usage on bad arguments: %j', async ([args, message], { expect }) => {
    const r = await run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(
      /usage: npm run --silent detect -- --input <in\.csv> --output <out\.csv> \[--sensitivity low\|balanced\|high\]/
    );
  });

  it.for([
    [
      'a non-numeric value',
      'timestamp,value\n2015-02-23 00:00:00,1\n2015-02-23 00:05:00,2\n2015-02-23 00:10:00,abc\n',
      /: line 4: value "abc" is not a number/
    ],
    [
      'an unparsable timestamp',
      '2015-02-23 00:00:00,1\nsoon,2\n2015-02-23 00:10:00,3\n',
      /: line 2: timestamp "soon" is not a date/
    ],
    [
      'a non-increasing timestamp',
      'timestamp,value\n2015-02-23 00:00:00,1\n2015-02-23 00:05:00,2\n2015-02-23 00:05:00,3\n',
      /: line 4: timestamps must increase/
    ],
    [
      'a first data row with an impossible date (not taken for a header)',
      '2015-13-01 00:00:00,1\n2015-02-23 00:05:00,2\n',
      /: line 1: timestamp "2015-13-01 00:00:00" is not a date/
    ],
    [
      'a negative count',
      'timestamp,value\n2015-02-23 00:00:00,1\n2015-02-23 00:05:00,-2\n',
      /: line 3: value -2 is negative/
    ],
    [
      'a hexadecimal value',
      'timestamp,value\n2015-02-23 00:00:00,0x10\n',
      /: line 2: value "0x10" is not a number/
    ]
  ] as const)('exits 1 naming the line of %s', async ([name, content, message], { expect }) => {
    const input = write(`bad-${name.replace(/\W/g, '')}.csv`, content);
    const r = await run(['--input', input, '--output', '-']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  // Line numbers are physical lines of the file, blank lines included.
  it('names the physical line of a bad row after a blank line', async ({ expect }) => {
    const input = write(
      'blank.csv',
      'timestamp,value\n2015-02-23 00:00:00,1\n\n2015-02-23 00:05:00,x\n'
    );
    const r = await run(['--input', input, '--output', '-']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/: line 4: value "x" is not a number/);
  });
});
