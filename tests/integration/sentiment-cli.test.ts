import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/test-server';

const dir = tempDataDir();
afterAll(() => dir.cleanup());

function run(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sentiment.ts', ...args], {
    cwd: process.cwd(),
    encoding: 'utf8'
  });
  return { status: r.status, stderr: r.stderr };
}

describe('npm run sentiment (real process)', () => {
  it('writes one label<TAB>score line per input line, blank and CRLF lines included', () => {
    const input = join(dir.dir, 'texts.txt');
    const output = join(dir.dir, 'out.tsv');
    writeFileSync(
      input,
      [
        'I love this, thank you so much!',
        'still waiting on hold for 2 hours, no response',
        '',
        'The store opens at 9am.\r',
        'not bad at all',
        'El pedido llegó tarde otra vez, qué desastre total con este servicio'
      ].join('\n')
    );
    const r = run(['--input', input, '--output', output]);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(output, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(6);
    for (const l of lines) expect(l).toMatch(/^(negative|neutral|positive)\t-?\d+(\.\d+)?$/);
    expect(lines.map((l) => l.split('\t')[0])).toEqual([
      'positive',
      'negative',
      'neutral',
      'neutral',
      'positive',
      'neutral'
    ]);
  });

  it('says how to use it when an argument is missing or the input does not exist', () => {
    const a = run(['--input', join(dir.dir, 'texts.txt')]);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/missing --output/);
    const b = run(['--input', join(dir.dir, 'nope.txt'), '--output', join(dir.dir, 'x.tsv')]);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/cannot read/);
  });
});
