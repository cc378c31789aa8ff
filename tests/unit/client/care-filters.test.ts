import { describe, expect, it } from 'vitest';
import {
  NO_FILTERS,
  careHref,
  filterKey,
  hasFilters,
  parseFilters,
  queuePath,
  serialiseFilters,
  toggleFilter,
  type CareFilters
} from '../../../src/lib/care/filters';

describe('care filters in the URL', () => {
  it.each<[string, string, CareFilters, string]>([
    ['nothing', '', NO_FILTERS, ''],
    [
      'the example',
      'channel=twitter&intent=complaint',
      { channel: ['twitter'], intent: ['complaint'], tier: [] },
      'channel=twitter&intent=complaint'
    ],
    [
      'comma lists in canonical order, deduplicated',
      'channel=reddit,twitter,reddit&tier=celebrity,everyday',
      { channel: ['twitter', 'reddit'], intent: [], tier: ['everyday', 'celebrity'] },
      'channel=twitter,reddit&tier=everyday,celebrity'
    ],
    [
      'repeated parameters',
      'intent=question&intent=praise',
      { channel: [], intent: ['question', 'praise'], tier: [] },
      'intent=question,praise'
    ],
    [
      'unknown values and parameters dropped',
      'channel=twitter,myspace&intent=rant&tier=&foo=bar',
      { channel: ['twitter'], intent: [], tier: [] },
      'channel=twitter'
    ],
    [
      'case and spaces tolerated',
      'channel=%20Twitter%20,FACEBOOK',
      { channel: ['twitter', 'facebook'], intent: [], tier: [] },
      'channel=twitter,facebook'
    ]
  ])('%s', (_name, query, filters, canonical) => {
    const parsed = parseFilters(new URLSearchParams(query));
    expect(parsed).toEqual(filters);
    expect(serialiseFilters(parsed)).toBe(canonical);
    // Round trip: the canonical form parses to the same filters.
    expect(parseFilters(canonical)).toEqual(filters);
  });

  it('toggles a value on and off, keeping the order', () => {
    const a = toggleFilter(NO_FILTERS, 'channel', 'reddit');
    const b = toggleFilter(a, 'channel', 'twitter');
    expect(b.channel).toEqual(['twitter', 'reddit']);
    expect(toggleFilter(b, 'channel', 'twitter').channel).toEqual(['reddit']);
    expect(toggleFilter(b, 'tier', 'notable').tier).toEqual(['notable']);
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters(b)).toBe(true);
  });

  it('builds hrefs, keys and API paths', () => {
    const f: CareFilters = { channel: ['twitter', 'reddit'], intent: ['complaint'], tier: [] };
    expect(careHref('/care', f)).toBe('/care?channel=twitter,reddit&intent=complaint');
    expect(careHref('/care', NO_FILTERS)).toBe('/care');
    expect(filterKey(f)).not.toBe(filterKey(NO_FILTERS));
    expect(queuePath(f, 200, 100)).toBe(
      '/api/v1/care/queue?channel=twitter,reddit&intent=complaint&offset=200&limit=100'
    );
    expect(queuePath(NO_FILTERS, 0, 100)).toBe('/api/v1/care/queue?offset=0&limit=100');
  });
});
