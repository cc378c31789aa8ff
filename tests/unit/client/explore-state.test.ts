import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  MINUTE,
  addFilter,
  apiQuery,
  defaultState,
  detectionScope,
  driverScope,
  fromLocalInput,
  hasFilters,
  mentionRefValue,
  parseMentionRef,
  parseState,
  parseTime,
  recentScope,
  resolveRange,
  scaleRange,
  scopeQuery,
  serialiseState,
  toLocalInput,
  zoomRange,
  type ExploreState
} from '../../../src/lib/explore/state';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const parse = (q: string): ExploreState => parseState(new URLSearchParams(q));
const state = (over: Partial<ExploreState> = {}): ExploreState => ({ ...defaultState(), ...over });

describe('parseState', () => {
  it('gives the defaults for an empty query', () => {
    expect(parse('')).toEqual({
      range: { preset: '1h' },
      channel: [],
      sentiment: [],
      intent: [],
      tier: [],
      topic: null,
      lang: null,
      competitor: null,
      author: null,
      answered: null,
      about: null,
      q: '',
      by: 'total',
      mention: null,
      alert: null
    });
  });

  it.each<[string, string, Partial<ExploreState>]>([
    ['a live preset', 'range=15m', { range: { preset: '15m' } }],
    ['the 24 h preset', 'range=24h', { range: { preset: '24h' } }],
    [
      'a fixed range in epoch ms',
      `from=${T0}&to=${T0 + HOUR}`,
      { range: { from: T0, to: T0 + HOUR } }
    ],
    [
      'a fixed range in ISO 8601',
      'from=2026-11-23T12:00:00Z&to=2026-11-23T13:00:00.000Z',
      { range: { from: T0, to: T0 + HOUR } }
    ],
    ['a preset over from/to', `range=24h&from=${T0}&to=${T0 + HOUR}`, { range: { preset: '24h' } }],
    ['channels, in canonical order', 'channel=reddit,twitter', { channel: ['twitter', 'reddit'] }],
    ['sentiments', 'sentiment=positive,negative', { sentiment: ['negative', 'positive'] }],
    ['intents', 'intent=question,complaint', { intent: ['complaint', 'question'] }],
    ['tiers', 'tier=celebrity,influencer', { tier: ['influencer', 'celebrity'] }],
    ['a topic', 'topic=Late+delivery', { topic: 'Late delivery' }],
    ['a language', 'lang=EN', { lang: 'en' }],
    ['an undetermined language', 'lang=und', { lang: 'und' }],
    ['answered', 'answered=true', { answered: true }],
    ['unanswered', 'answered=false', { answered: false }],
    ['brand', 'about=brand', { about: 'brand' }],
    [
      'competitor mentions',
      'about=competitor&competitor=Contoso',
      { about: 'competitor', competitor: 'Contoso' }
    ],
    ['an author with @', 'author=%40NorthwindHelp', { author: '@NorthwindHelp' }],
    ['a fediverse author', 'author=%40a%40b.social', { author: '@a@b.social' }],
    ['a search', 'q=%22data+breach%22', { q: '"data breach"' }],
    ['a breakdown', 'by=channel', { by: 'channel' }],
    [
      'a mention',
      'mention=bluesky:at://did:plc:x/post/1',
      { mention: { source: 'bluesky', id: 'at://did:plc:x/post/1' } }
    ],
    [
      'a mention whose source has a colon',
      'mention=rss%253Ablog:42',
      { mention: { source: 'rss:blog', id: '42' } }
    ],
    ['the alert it came from', 'alert=a%2F1', { alert: 'a/1' }]
  ])('reads %s', (_name, query, expected) => {
    expect(parse(query)).toEqual(state(expected));
  });

  it.each<[string, string]>([
    ['an unknown preset', 'range=2d'],
    ['to before from', `from=${T0 + HOUR}&to=${T0}`],
    ['an empty range', `from=${T0}&to=${T0}`],
    ['only from', `from=${T0}`],
    ['a range over 400 days', `from=${T0 - 401 * DAY}&to=${T0}`],
    ['a time that is not one', 'from=yesterday&to=now'],
    ['unknown channels', 'channel=myspace,,'],
    ['unknown sentiments', 'sentiment=angry'],
    ['unknown intents', 'intent=rant'],
    ['unknown tiers', 'tier=god'],
    ['a blank topic', 'topic=++'],
    ['a topic too long', `topic=${'x'.repeat(201)}`],
    ['a language that is not a code', 'lang=english!'],
    ['answered that is not a boolean', 'answered=yes'],
    ['an unknown about', 'about=weather'],
    ['an author with spaces', 'author=a+b'],
    ['an unknown breakdown', 'by=colour'],
    ['a mention without an id', 'mention=bluesky:'],
    ['a mention without a source', 'mention=:42'],
    ['a mention without a colon', 'mention=42'],
    ['a mention with a broken escape', 'mention=%25E0:1']
  ])('drops %s', (_name, query) => {
    expect(parse(query)).toEqual(defaultState());
  });

  it('keeps the valid values of a list and drops the rest', () => {
    expect(parse('channel=reddit,myspace,news&sentiment=negative,angry').channel).toEqual([
      'reddit',
      'news'
    ]);
  });

  it('reads the links alerts drill down with', () => {
    expect(parse(`from=100000&to=2100000&q=melted&alert=a%2F1`)).toEqual(
      state({ range: { from: 100_000, to: 2_100_000 }, q: 'melted', alert: 'a/1' })
    );
  });
});

describe('serialiseState', () => {
  it.each<[string, Partial<ExploreState>, string]>([
    ['the defaults as nothing', {}, ''],
    ['a preset', { range: { preset: '24h' } }, 'range=24h'],
    ['a fixed range', { range: { from: 1, to: 2 } }, 'from=1&to=2'],
    [
      'filters in a fixed order',
      { q: 'melted', channel: ['twitter', 'news'], topic: 'Late delivery', answered: false },
      'channel=twitter%2Cnews&topic=Late+delivery&answered=false&q=melted'
    ],
    ['page-only fields last', { by: 'sentiment', alert: 'a1' }, 'by=sentiment&alert=a1'],
    ['a mention', { mention: { source: 'rss:x%', id: 'a:b' } }, 'mention=rss%253Ax%2525%3Aa%3Ab'],
    ['a blank search as nothing', { q: '   ' }, '']
  ])('writes %s', (_name, over, expected) => {
    expect(serialiseState(state(over))).toBe(expected);
  });

  it.each([
    'range=15m',
    `from=${T0}&to=${T0 + HOUR}`,
    'channel=twitter%2Creddit&sentiment=negative&topic=Billing&intent=complaint&lang=en&tier=influencer%2Ccelebrity&answered=true&about=competitor&competitor=Contoso&author=%40a&q=%22data+breach%22&by=topic&mention=test%3At-1&alert=a1'
  ])('round-trips %s', (query) => {
    expect(serialiseState(parse(query))).toBe(query);
  });
});

describe('ranges', () => {
  it.each<[string, ExploreState['range'], { from: number; to: number }]>([
    ['15 min live', { preset: '15m' }, { from: T0 - 15 * MINUTE, to: T0 }],
    ['1 h live', { preset: '1h' }, { from: T0 - HOUR, to: T0 }],
    ['24 h live', { preset: '24h' }, { from: T0 - DAY, to: T0 }],
    ['fixed', { from: 5, to: 10 }, { from: 5, to: 10 }]
  ])('resolves %s', (_name, range, expected) => {
    expect(resolveRange(range, T0)).toEqual(expected);
  });

  it('sends the resolved range and the filters to the API, never page-only fields', () => {
    const s = state({
      range: { preset: '15m' },
      channel: ['reddit'],
      by: 'channel',
      mention: { source: 'a', id: 'b' },
      alert: 'x'
    });
    expect(apiQuery(s, T0, { limit: '200' })).toBe(
      `from=${T0 - 15 * MINUTE}&to=${T0}&channel=reddit&limit=200`
    );
  });

  it.each<[string, number, number, { from: number; to: number } | null]>([
    ['orders and rounds a drag', T0 + 0.6, T0 - HOUR, { from: T0 - HOUR, to: T0 + 1 }],
    ['widens a tiny drag to a minute', T0, T0 + 10, { from: T0 + 5 - 30_000, to: T0 + 5 + 30_000 }],
    ['refuses NaN', Number.NaN, T0, null],
    ['refuses more than 400 days', T0 - 500 * DAY, T0, null]
  ])('zoomRange %s', (_name, a, b, expected) => {
    expect(zoomRange(a, b)).toEqual(expected);
  });

  it('zooms in about the middle and out without passing now', () => {
    expect(scaleRange({ from: T0 - HOUR, to: T0 - 0 }, 0.5, T0 + DAY)).toEqual({
      from: T0 - 45 * MINUTE,
      to: T0 - 15 * MINUTE
    });
    expect(scaleRange({ preset: '1h' }, 2, T0)).toEqual({ from: T0 - 2 * HOUR, to: T0 });
  });

  it('converts datetime-local values both ways', () => {
    const t = new Date(2026, 10, 23, 9, 5).getTime();
    expect(toLocalInput(t)).toBe('2026-11-23T09:05');
    expect(fromLocalInput('2026-11-23T09:05')).toBe(t);
    expect(fromLocalInput('not a date')).toBeNull();
  });

  it.each<[string | null, number | null]>([
    [null, null],
    ['', null],
    ['123', 123],
    ['2026-11-23T12:00:00Z', T0],
    ['12:00', null],
    ['2026-13-45', null]
  ])('parseTime(%j)', (raw, expected) => {
    expect(parseTime(raw)).toBe(expected);
  });
});

describe('filters', () => {
  it.each<[string, Parameters<typeof addFilter>[1], string, Partial<ExploreState>]>([
    ['a topic', 'topic', 'Billing', { topic: 'Billing' }],
    ['an author', 'author', '@x', { author: '@x' }],
    ['a term as a search', 'q', 'refund', { q: 'refund' }],
    ['a channel to the list', 'channel', 'news', { channel: ['twitter', 'news'] }],
    ['a tier', 'tier', 'celebrity', { tier: ['celebrity'] }],
    ['answered', 'answered', 'false', { answered: false }],
    ['about', 'about', 'brand', { about: 'brand' }]
  ])('adds %s', (_name, name, value, expected) => {
    const base = state({ channel: ['twitter'] });
    expect(addFilter(base, name, value)).toEqual({ ...base, ...expected });
  });

  it('does not add a list value twice', () => {
    expect(addFilter(state({ channel: ['news'] }), 'channel', 'news').channel).toEqual(['news']);
  });

  it('knows when anything narrows the mentions', () => {
    expect(hasFilters(defaultState())).toBe(false);
    expect(hasFilters(state({ by: 'channel', alert: 'a' }))).toBe(false);
    expect(hasFilters(state({ answered: false }))).toBe(true);
  });
});

describe('links into explore', () => {
  it.each<[string, Parameters<typeof scopeQuery>[0], string]>([
    ['a window', { from: 1_000_000, to: 2_000_000 }, 'from=1000000&to=2000000'],
    [
      'a topic',
      { from: 1_000_000, to: 2_000_000, topic: 'Late delivery' },
      'from=1000000&to=2000000&topic=Late+delivery'
    ],
    [
      'a term',
      { from: 1_000_000, to: 2_000_000, q: 'data breach' },
      'from=1000000&to=2000000&q=data+breach'
    ],
    [
      'an author',
      { from: 1_000_000, to: 2_000_000, author: '@NorthwindHelp' },
      'from=1000000&to=2000000&author=%40NorthwindHelp'
    ],
    [
      'a channel and sentiment',
      { from: 1_000_000, to: 2_000_000, channel: 'reddit', sentiment: 'negative' },
      'from=1000000&to=2000000&channel=reddit&sentiment=negative'
    ],
    ['a broken window as the default range', { from: 5, to: Number.NaN }, '']
  ])('opens %s', (_name, scope, expected) => {
    expect(scopeQuery(scope)).toBe(expected);
  });

  it('names mentions so that both parts come back', () => {
    for (const ref of [
      { source: 'bluesky', id: 'at://did:plc:abc/app.bsky.feed.post/1' },
      { source: 'rss:acme-blog', id: 'https://x.test/a?b=c' },
      { source: '100%', id: '%41' }
    ]) {
      expect(parseMentionRef(mentionRefValue(ref))).toEqual(ref);
    }
  });
});

describe('scopes from the wall', () => {
  const at = T0;
  it.each<[string, string, number | null, string]>([
    ['a volume spike', 'volume', null, ''],
    ['a channel spike', 'channel:reddit', null, '&channel=reddit'],
    ['an unknown channel', 'channel:myspace', null, ''],
    ['a topic spike', 'topic:Late delivery', null, '&topic=Late+delivery'],
    ['a term spike', 'term:data breach', null, '&q=data+breach'],
    ['a negative-share anomaly', 'negative-share', null, '&sentiment=negative'],
    ['a resolved spike', 'volume', T0 + HOUR, '']
  ])('opens %s on its window', (_name, series, resolvedAt, extra) => {
    const to = (resolvedAt ?? at + MINUTE) + 15 * MINUTE;
    expect(scopeQuery(detectionScope({ series, at, resolvedAt }))).toBe(
      `from=${at - 15 * MINUTE}&to=${to}${extra}`
    );
  });

  it.each<[string, Parameters<typeof driverScope>[1], string]>([
    ['a channel', { kind: 'channel', name: 'news' }, '&channel=news'],
    ['a topic', { kind: 'topic', name: 'Billing' }, '&topic=Billing'],
    ['a term', { kind: 'term', name: 'refund' }, '&q=refund'],
    ['an author', { kind: 'author', name: '@star' }, '&author=%40star']
  ])('narrows to %s driver', (_name, driver, extra) => {
    expect(scopeQuery(driverScope({ from: 1_000_000, to: 2_000_000 }, driver))).toBe(
      `from=1000000&to=2000000${extra}`
    );
  });

  it('ends a recent window on the next whole minute', () => {
    expect(recentScope(T0 + 1, 15 * MINUTE)).toEqual({
      from: T0 + MINUTE - 15 * MINUTE,
      to: T0 + MINUTE
    });
    expect(recentScope(T0, DAY)).toEqual({ from: T0 - DAY, to: T0 });
  });
});
