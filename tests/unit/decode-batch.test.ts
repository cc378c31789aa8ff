import { describe, expect, it } from 'vitest';
import { decodeBatch, MAX_ITEMS } from '../../server/http/decode-batch';
import { makeMention } from '../helpers/fixtures';

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const m = (): string => JSON.stringify(makeMention());

describe('decodeBatch', () => {
  it.each([
    ['one JSON mention', 'application/json', () => m(), 1, []],
    ['a JSON array', 'application/json', () => `[${m()},${m()},{"id":1}]`, 2, [2]],
    ['NDJSON with blank lines', 'application/x-ndjson', () => `${m()}\n\n  \n${m()}\n`, 2, []],
    ['NDJSON with CRLF line ends', 'application/x-ndjson', () => `${m()}\r\n${m()}\r\n`, 2, []],
    ['NDJSON with a byte-order mark', 'application/x-ndjson', () => `\ufeff${m()}\n${m()}`, 2, []],
    [
      'NDJSON with indented lines and Unicode spaces around them',
      'application/x-ndjson',
      () => `\t ${m()}\n${m()}\u00a0\u2003\n\u3000\n${m()}`,
      3,
      []
    ],
    [
      'NDJSON with a line of only spaces and tabs between broken lines',
      'application/x-ndjson',
      () => `{\n \t \r\n${m()}\n"x`,
      1,
      [0, 2]
    ],
    [
      'NDJSON whose last line has no newline and starts with a brace',
      'application/x-ndjson',
      () => `${m()}\n${m()}`,
      2,
      []
    ],
    [
      'NDJSON with broken lines',
      'application/x-ndjson',
      () => `{oops\n${m()}\n[1,\n${m()}`,
      2,
      [0, 2]
    ]
  ] as const)('%s', (_name, type, body, valid, rejectedAt) => {
    const r = decodeBatch(enc(body()), type);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.valid).toHaveLength(valid);
    expect(r.rejected.map((x) => x.index)).toEqual(rejectedAt);
  });

  it('decodes each NDJSON line exactly, multi-byte characters and emoji included', () => {
    const texts = ['café ☕ naïve', '😡 still waiting 🙄', 'plain ASCII', '日本語のテキスト'];
    const body = texts
      .map((text, i) => JSON.stringify({ ...makeMention(), id: `t${i}`, text }))
      .join('\n');
    const r = decodeBatch(enc(body), 'application/x-ndjson');
    expect(r.ok && r.valid.map((x) => x.text)).toEqual(texts);
    expect(r.ok && r.items).toBe(4);
  });

  it('names the line and the JSON problem for a broken NDJSON line', () => {
    const r = decodeBatch(enc(`${m()}\n{"id": }`), 'application/x-ndjson');
    expect(r.ok && r.rejected[0]).toMatchObject({
      index: 1,
      errors: [{ path: '(line)', message: expect.stringMatching(/^not valid JSON/) as string }]
    });
  });

  it.each([
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'application/json', 400, 'UTF-8'],
    ['broken JSON', enc('{"id": '), 'application/json', 400, 'not valid JSON'],
    ['absurd nesting', enc('['.repeat(100_000)), 'application/json', 400, 'not valid JSON'],
    [
      'too many array items',
      enc(JSON.stringify(new Array(MAX_ITEMS + 1).fill(0))),
      'application/json',
      413,
      'at most'
    ],
    ['too many lines', enc('{}\n'.repeat(MAX_ITEMS + 1)), 'application/x-ndjson', 413, 'at most']
  ] as const)('refuses %s as a whole', (_name, body, type, status, message) => {
    const r = decodeBatch(body, type);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.status).toBe(status);
    expect(r.error.field).toBe('body');
    expect(r.error.message).toContain(message);
  });
});
