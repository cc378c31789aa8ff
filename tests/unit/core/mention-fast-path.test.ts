import { describe, expect, it } from 'vitest';
import {
  MAX_TEXT_LENGTH,
  parseJsonMention,
  parseMention
} from '../../../server/core/mention-schema';

/**
 * The Ajv fast path may only ever say yes where zod says yes, with the same result. Each case is
 * a JSON text; both validators get their own fresh `JSON.parse` of it (the fast path fills
 * defaults in place).
 */
const base = {
  id: 't-1',
  source: 'api',
  channel: 'twitter',
  createdAt: 1_800_000_000_000,
  text: 'my order never arrived',
  author: { handle: '@ana', name: 'Ana', followers: 12, verified: false },
  lang: 'en',
  url: 'https://x.example/status/1',
  inReplyToId: null,
  geo: { lat: 51.5, lon: -0.12, country: 'GB' }
};

type Json = Record<string, unknown>;
const withField = (path: string, value: unknown): Json => {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  const keys = path.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k] as Json;
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return copy;
};

const astral = '😀';
const cases: [string, string][] = [
  ['a valid mention', JSON.stringify(base)],
  ['optional fields absent', JSON.stringify(withField('lang', undefined))],
  ['url absent', JSON.stringify(withField('url', undefined))],
  ['geo absent', JSON.stringify(withField('geo', undefined))],
  ['geo without country', JSON.stringify(withField('geo.country', undefined))],
  ['ISO createdAt with Z', JSON.stringify(withField('createdAt', '2026-11-23T10:00:00Z'))],
  [
    'ISO createdAt with offset',
    JSON.stringify(withField('createdAt', '2026-11-23T10:00:00.5+02:00'))
  ],
  ['ISO createdAt without zone', JSON.stringify(withField('createdAt', '2026-11-23T10:00:00'))],
  ['impossible date', JSON.stringify(withField('createdAt', '2026-02-30T10:00:00Z'))],
  ['fractional createdAt', JSON.stringify(withField('createdAt', 1.5))],
  ['negative createdAt', JSON.stringify(withField('createdAt', -1))],
  ['createdAt past the Date range', JSON.stringify(withField('createdAt', 8.64e15 + 1))],
  ['createdAt 1e300', JSON.stringify(withField('createdAt', 1e300))],
  ['createdAt as boolean', JSON.stringify(withField('createdAt', true))],
  ['upper-case URL scheme', JSON.stringify(withField('url', 'HTTPS://X.EXAMPLE/a'))],
  ['javascript: URL', JSON.stringify(withField('url', 'javascript:alert(1)'))],
  ['URL with a space', JSON.stringify(withField('url', 'https://x.example/a b'))],
  ['unknown channel', JSON.stringify(withField('channel', 'myspace'))],
  ['empty id', JSON.stringify(withField('id', ''))],
  ['id of 200 units', JSON.stringify(withField('id', 'x'.repeat(200)))],
  ['id of 201 units', JSON.stringify(withField('id', 'x'.repeat(201)))],
  ['text at the limit', JSON.stringify(withField('text', 'a'.repeat(MAX_TEXT_LENGTH)))],
  [
    'text at the limit in code points, over it in UTF-16 units',
    JSON.stringify(withField('text', astral.repeat(MAX_TEXT_LENGTH)))
  ],
  [
    'text over the limit in code points',
    JSON.stringify(withField('text', astral.repeat(MAX_TEXT_LENGTH + 1)))
  ],
  ['lone surrogates', JSON.stringify(withField('geo.country', '\ud800\udc00'.slice(1) + '\ud800'))],
  ['handle of one astral character', JSON.stringify(withField('author.handle', astral))],
  ['country of one astral character', JSON.stringify(withField('geo.country', astral))],
  ['lang of one astral character', JSON.stringify(withField('lang', astral))],
  ['followers fractional', JSON.stringify(withField('author.followers', 2.5))],
  ['followers above the cap', JSON.stringify(withField('author.followers', 1e10 + 1))],
  ['followers as string', JSON.stringify(withField('author.followers', '12'))],
  ['verified as 0', JSON.stringify(withField('author.verified', 0))],
  ['lat out of range', JSON.stringify(withField('geo.lat', 91))],
  ['extra key', JSON.stringify({ ...base, extra: 1 })],
  ['extra author key', JSON.stringify(withField('author.bio', 'hi'))],
  ['__proto__ key', JSON.stringify(base).replace('{', '{"__proto__":{"polluted":1},')],
  ['constructor key', JSON.stringify(base).replace('{', '{"constructor":{"prototype":{}},')],
  ['author null', JSON.stringify(withField('author', null))],
  ['author an array', JSON.stringify(withField('author', []))],
  ['text missing', JSON.stringify(withField('text', undefined))],
  ['lang null', JSON.stringify(withField('lang', null))],
  ['geo null', JSON.stringify(withField('geo', null))],
  ['top level array', '[]'],
  ['top level string', '"x"'],
  ['top level null', 'null']
];

/** A small seeded generator, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  'id',
  'source',
  'channel',
  'createdAt',
  'text',
  'author',
  'author.handle',
  'author.name',
  'author.followers',
  'author.verified',
  'lang',
  'url',
  'inReplyToId',
  'geo',
  'geo.lat',
  'geo.lon',
  'geo.country'
];
const VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'ab',
  'GB',
  astral,
  astral.repeat(100),
  astral.repeat(201),
  '\ud800',
  'x'.repeat(199),
  'x'.repeat(201),
  'https://a.example',
  'http:/broken',
  '2026-01-01T00:00:00Z',
  '2026-01-01',
  0,
  -0.5,
  1,
  90.0001,
  -180,
  2 ** 53,
  1e10,
  true,
  false,
  [],
  {},
  { lat: 1, lon: 2 },
  'twitter',
  'mastodon'
];

function agree(json: string): void {
  const fast = parseJsonMention(JSON.parse(json));
  const slow = parseMention(JSON.parse(json));
  expect(fast.ok, json.slice(0, 200)).toBe(slow.ok);
  expect(fast).toEqual(slow);
}

describe('the Ajv fast path agrees with zod', () => {
  it.each(cases)('%s', (_name, json) => agree(json));

  it('on 5,000 random mutations of a valid mention', () => {
    const random = rng(7);
    let accepted = 0;
    for (let n = 0; n < 5000; n++) {
      let m = JSON.parse(JSON.stringify(base)) as Json;
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const path = PATHS[Math.floor(random() * PATHS.length)]!;
        const value = VALUES[Math.floor(random() * VALUES.length)];
        const parent = path.includes('.') ? path.split('.')[0]! : null;
        if (parent && (typeof m[parent] !== 'object' || m[parent] === null)) continue;
        m = { ...m };
        if (parent) m[parent] = { ...(m[parent] as Json) };
        const target = parent ? (m[parent] as Json) : m;
        const key = path.split('.').at(-1)!;
        if (value === undefined) delete target[key];
        else target[key] = value;
      }
      const json = JSON.stringify(m);
      const slow = parseMention(JSON.parse(json));
      if (slow.ok) accepted++;
      agree(json);
    }
    // Both outcomes are exercised, not only refusals.
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(4800);
  });

  it('returns epoch milliseconds for an ISO createdAt and nulls for absent fields', () => {
    const r = parseJsonMention(
      JSON.parse(
        JSON.stringify({
          ...withField('createdAt', '2026-11-23T10:00:00.000Z'),
          lang: undefined,
          url: undefined,
          geo: undefined
        })
      )
    );
    expect(r.ok && r.mention.createdAt).toBe(Date.UTC(2026, 10, 23, 10));
    expect(r.ok && [r.mention.lang, r.mention.url, r.mention.geo]).toEqual([null, null, null]);
  });
});
