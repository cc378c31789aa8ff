import { describe, expect, it } from 'vitest';
import { PageCache, pagesFor, throttleWait } from '../../../src/lib/care/pages';
import { rowWindow } from '../../../src/lib/explore/window';
import type { CareQueue, CareQueueItem } from '../../../src/lib/shared/types';

const item = (i: number, over: Partial<CareQueueItem> = {}): CareQueueItem => ({
  id: `m${i}`,
  source: 'sim',
  channel: 'twitter',
  createdAt: 0,
  text: `mention ${i}`,
  author: { handle: `@a${i}`, name: `A ${i}`, followers: 10, verified: false },
  sentiment: 'negative',
  intent: 'complaint',
  influenceTier: 'everyday',
  topics: [],
  priority: 50,
  reasons: [],
  waitingMs: 0,
  sla: null,
  slaDueAt: null,
  claimedBy: null,
  claimedAt: null,
  ...over
});

const answer = (offset: number, matching: number, version: number, size = 100): CareQueue => ({
  now: 1000,
  total: matching,
  matching,
  version,
  items: Array.from({ length: Math.max(0, Math.min(size, matching - offset)) }, (_, k) =>
    item(offset + k)
  )
});

describe('pagesFor', () => {
  it.each<[string, number, number, number | null, number[]]>([
    ['nothing known yet: the first page', 0, -1, null, [0]],
    ['the top', 0, 15, 100_000, [0]],
    ['straddling a page boundary', 95, 110, 100_000, [0, 100]],
    ['exactly a page', 100, 199, 100_000, [100]],
    ['deep in a long queue', 54_321, 54_340, 100_000, [54_300]],
    ['clamped to the count', 90, 130, 105, [0, 100]],
    ['an empty queue', 0, -1, 0, []],
    ['a window past a shrunken queue', 500, 520, 50, []]
  ])('%s', (_name, first, last, count, offsets) => {
    expect(pagesFor(first, last, count)).toEqual(offsets);
  });

  it('fetches only the page under a scroll position, whatever the length', () => {
    const ROW = 96;
    const win = rowWindow({
      scrollTop: 50_000 * ROW,
      viewportHeight: 800,
      rowHeight: ROW,
      count: 100_000,
      overscan: 6
    });
    expect(win.first).toBe(49_994);
    expect(pagesFor(win.first, win.last, 100_000)).toEqual([49_900, 50_000]);
  });
});

describe('throttleWait', () => {
  it.each<[number | null, number, number]>([
    [null, 5000, 0],
    [1000, 1000, 1000],
    [1000, 1500, 500],
    [1000, 2000, 0],
    [1000, 9000, 0]
  ])('last %s, now %d → wait %d', (last, now, wait) => {
    expect(throttleWait(last, now, 1000)).toBe(wait);
  });
});

describe('PageCache', () => {
  it('asks for the first page, then what scrolls into view, once each', () => {
    const c = new PageCache(100);
    expect(c.wanted(0, 10)).toEqual([0]);
    const t = c.begin(0);
    expect(c.wanted(0, 10)).toEqual([]); // in flight
    expect(c.accept(t, answer(0, 1000, 7))).toBe(true);
    expect(c.matching).toBe(1000);
    expect(c.version).toBe(7);
    expect(c.wanted(0, 10)).toEqual([]);
    expect(c.wanted(150, 260)).toEqual([100, 200]);
    const rows = c.rows(98, 101);
    expect(rows.map((r) => r.item?.id ?? null)).toEqual(['m98', 'm99', null, null]);
  });

  it('marks pages stale on a new version and refetches only the visible ones', () => {
    const c = new PageCache(100);
    for (const off of [0, 100, 200]) c.accept(c.begin(off), answer(off, 1000, 7));
    expect(c.invalidate(7)).toBe(false); // same version: nothing to do
    expect(c.invalidate(8)).toBe(true);
    // Stale pages still show...
    expect(c.rows(150, 150)[0]?.item?.id).toBe('m150');
    // ...and only the pages in view are asked again.
    expect(c.wanted(150, 180)).toEqual([100]);
    c.accept(c.begin(100), answer(100, 1000, 8));
    expect(c.page(100)?.stale).toBe(false);
    expect(c.page(0)?.stale).toBe(true);
  });

  it('lands an answer from before an invalidation as stale, and never over a fresh page', () => {
    const c = new PageCache(100);
    c.accept(c.begin(0), answer(0, 500, 1));
    const old = c.begin(100);
    c.invalidate(2);
    expect(c.wanted(100, 120)).toEqual([100]); // the old request no longer counts
    c.accept(old, answer(100, 500, 1));
    expect(c.page(100)?.stale).toBe(true);
    expect(c.version).toBe(2);
    const fresh = c.begin(0);
    const older = { ...fresh, generation: fresh.generation - 1 };
    c.accept(fresh, answer(0, 500, 2));
    c.accept(older, { ...answer(0, 500, 1), items: [item(999)] });
    expect(c.page(0)?.items[0]?.id).toBe('m0');
  });

  it('drops answers for old filters after a reset', () => {
    const c = new PageCache(100);
    const t = c.begin(0);
    c.reset('channel=twitter');
    expect(c.matching).toBeNull();
    expect(c.accept(t, answer(0, 100, 1))).toBe(false);
    expect(c.offsets()).toEqual([]);
    expect(c.wanted(0, 10)).toEqual([0]);
  });

  it('lets a failed page be asked again', () => {
    const c = new PageCache(100);
    const t = c.begin(0);
    c.fail(t);
    expect(c.wanted(0, 10)).toEqual([0]);
  });

  it('keeps pages near the view only', () => {
    const c = new PageCache(100);
    c.accept(c.begin(0), answer(0, 100_000, 1));
    for (const off of [100, 1000, 5000, 9900]) c.accept(c.begin(off), answer(off, 100_000, 1));
    c.prune(5000, 5010, 10);
    expect(c.offsets()).toEqual([5000]);
  });

  it('replaces a claimed item wherever it is cached', () => {
    const c = new PageCache(100);
    c.accept(c.begin(0), answer(0, 300, 1));
    expect(c.replace(item(5, { claimedBy: 'ana' }))).toBe(true);
    expect(c.rows(5, 5)[0]?.item?.claimedBy).toBe('ana');
    expect(c.replace(item(250, { claimedBy: 'ana' }))).toBe(false);
  });

  it('marks stale without a version, after a refused claim', () => {
    const c = new PageCache(100);
    c.accept(c.begin(0), answer(0, 300, 1));
    c.markStale();
    expect(c.wanted(0, 5)).toEqual([0]);
    expect(c.version).toBe(1);
  });
});
