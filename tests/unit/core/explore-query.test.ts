import { describe, expect, it } from 'vitest';
import {
  anyOf,
  bucketFor,
  buildWhere,
  cubeCount,
  cubeEligible,
  decodeCursor,
  encodeCursor,
  exploreFilterSchema,
  ftsQuery,
  type ExploreFilter
} from '../../../server/core/explore/query';

const H = 3_600_000;
const base: ExploreFilter = { from: 0, to: H };

describe('ftsQuery', () => {
  it.each([
    ['charger', '"charger"'],
    ['charger melted', '"charger" "melted"'],
    ['"melted charger" fire', '"melted charger" "fire"'],
    ['char*', '"char"*'],
    ['wi-fi', '"wi fi"'],
    // Punctuation joins words into a phrase, as the text itself would be tokenised.
    ['NEAR(a b)', '"NEAR a" "b"'],
    ['title:x OR -y ^z', '"title x" "OR" "y" "z"'],
    ['Café', '"Café"'],
    ['"', null],
    ['  ', null],
    ['!!! ???', null],
    ['"unterminated phrase', '"unterminated" "phrase"']
  ])('%j → %j', (q, expected) => {
    expect(ftsQuery(q)).toBe(expected);
  });

  it('anyOf makes one OR of phrases, skipping empty terms', () => {
    expect(anyOf(['Contoso', 'contoso support', '!!'])).toBe('"Contoso" OR "contoso support"');
    expect(anyOf([])).toBeNull();
  });
});

describe('buildWhere', () => {
  it.each([
    ['the range only', {}, 'm.created_at >= ? AND m.created_at < ?', [0, H]],
    [
      'channels and sentiments as IN lists',
      { channel: ['twitter', 'reddit'], sentiment: ['negative'] },
      'm.channel IN (?, ?)',
      [0, H, 'twitter', 'reddit', 'negative']
    ],
    ['a topic as a whole line', { topic: 'Delivery' }, 'instr(', [0, H, '\nDelivery\n']],
    [
      'an author with or without @',
      { author: 'dana' },
      'm.author_handle IN (?, ?)',
      [0, H, '@dana', 'dana']
    ],
    [
      'unanswered customers',
      { answered: false },
      'm.is_brand = 0 AND m.answered_at IS NULL',
      [0, H]
    ],
    ['answered customers', { answered: true }, 'm.answered_at IS NOT NULL', [0, H]],
    [
      'text search through FTS5',
      { q: 'melted "fire risk"' },
      'mentions_fts MATCH ?',
      [0, H, '("melted" "fire risk")']
    ]
  ] as [string, Partial<ExploreFilter>, string, unknown[]][])('%s', (_n, f, fragment, args) => {
    const w = buildWhere({ ...base, ...f });
    expect(w.sql).toContain(fragment);
    expect(w.args).toEqual(args);
    // As many placeholders as arguments.
    expect(w.sql.split('?').length - 1).toBe(w.args.length);
  });

  const competitors = [
    { name: 'Contoso', terms: ['Contoso', 'contosohelp'] },
    { name: 'Fabrikam', terms: ['Fabrikam'] }
  ];

  it('about=competitor matches any competitor; a named one only its own terms', () => {
    expect(buildWhere({ ...base, about: 'competitor' }, competitors).args).toContain(
      '("Contoso" OR "contosohelp" OR "Fabrikam")'
    );
    expect(buildWhere({ ...base, competitor: 'fabrikam' }, competitors).args).toContain(
      '("Fabrikam")'
    );
  });

  it('about=brand excludes every competitor; an unknown competitor matches nothing', () => {
    expect(buildWhere({ ...base, about: 'brand' }, competitors).sql).toContain('m.seq NOT IN');
    expect(buildWhere({ ...base, competitor: 'Nobody' }, competitors).sql).toContain(' AND 0');
    expect(buildWhere({ ...base, about: 'competitor' }, []).sql).toContain(' AND 0');
  });

  it('combines the text search and the competitor in one MATCH', () => {
    const w = buildWhere({ ...base, q: 'refund', competitor: 'Contoso' }, competitors);
    expect(w.args).toContain('("refund") AND ("Contoso" OR "contosohelp")');
  });

  it('is cube-eligible only for the cube dimensions', () => {
    expect(cubeEligible({ ...base, channel: ['twitter'], tier: ['influencer'], lang: 'en' })).toBe(
      true
    );
    expect(cubeEligible({ ...base, q: '  ' })).toBe(true);
    expect(cubeEligible({ ...base, answered: false, sentiment: ['negative'] })).toBe(true);
    for (const f of [{ q: 'x' }, { topic: 'x' }, { about: 'brand' as const }, { author: 'x' }]) {
      expect(cubeEligible({ ...base, ...f })).toBe(false);
    }
  });
});

describe('cubeCount', () => {
  it.each([
    [undefined, 'n'],
    [true, 'answered'],
    [false, '(customer - answered)']
  ] as const)('answered=%s counts %s', (answered, expr) => {
    expect(cubeCount(answered === undefined ? base : { ...base, answered })).toBe(expr);
  });
});

describe('filters from a query string', () => {
  it.each([
    [{ from: '0' }, 'to'],
    [{ from: 'soon', to: '1' }, 'from'],
    [{ from: '10', to: '5' }, 'to'],
    [{ from: '0', to: String(401 * 86_400_000) }, 'from'],
    [{ from: '0', to: '1', channel: 'twitter,myspace' }, 'channel'],
    [{ from: '0', to: '1', sentiment: 'angry' }, 'sentiment'],
    [{ from: '0', to: '1', answered: 'maybe' }, 'answered'],
    [{ from: '0', to: '1', lang: 'english' }, 'lang'],
    [{ from: '0', to: '1', about: 'them' }, 'about']
  ])('%j is refused naming %s', (q, field) => {
    const r = exploreFilterSchema.safeParse(q);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe(field);
  });

  it('reads times as epoch ms or ISO, lists deduplicated', () => {
    const r = exploreFilterSchema.parse({
      from: '2026-11-23T10:00:00Z',
      to: '1795435200000',
      channel: 'twitter, reddit,twitter',
      answered: 'false'
    });
    expect(r).toMatchObject({ from: Date.parse('2026-11-23T10:00:00Z'), to: 1795435200000 });
    expect(r.channel).toEqual(['twitter', 'reddit']);
    expect(r.answered).toBe(false);
  });
});

describe('buckets and cursors', () => {
  it.each([
    [H, 60_000],
    [6 * H, 60_000],
    [6 * H + 1, H],
    [14 * 24 * H, H],
    [30 * 24 * H, 24 * H]
  ])('a %d ms range has %d ms buckets', (span, bucket) => {
    expect(bucketFor(0, span)).toBe(bucket);
  });

  it('round-trips a cursor and refuses forged ones', () => {
    const c = { createdAt: 1795435200000, seq: 123456 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['', 'x'.repeat(50), '!!', Buffer.from('1.2.3').toString('base64url')]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});
