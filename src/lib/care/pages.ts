/**
 * The care queue's page cache: the queue can hold 100,000 open mentions, so the list keeps only
 * the pages (of PAGE_SIZE rows, keyed by offset) near what is in view, fetches a page when it
 * comes into view, and refetches only the visible pages when the queue changes. Plain TS, not
 * reactive: the component bumps a counter after each change. `now` is always a parameter.
 *
 *   filters change ──reset()──▶ empty cache (a new key; late answers for the old key dropped)
 *   care:summary.version moves ──invalidate(v)──▶ every page stale (still shown until replaced)
 *   scroll ──wanted(first, last)──▶ offsets of pages in view that are missing or stale
 *          ──begin(offset)──▶ fetch ──accept(ticket, answer) / fail(ticket)
 */

import type { CareQueue, CareQueueItem } from '$lib/shared/types';

/** Rows per page fetched from the API. */
export const PAGE_SIZE = 100;
/** Pages kept either side of the visible ones; farther pages are dropped. */
export const KEEP_PAGES = 10;
/** Least time between two refreshes of the queue (care:summary comes about once a second). */
export const REFRESH_GAP_MS = 1000;

/**
 * Offsets of the pages covering rows `first` to `last` inclusive, clamped to `count` rows when it
 * is known; when it is not (nothing loaded yet) the first page.
 */
export function pagesFor(
  first: number,
  last: number,
  count: number | null,
  pageSize = PAGE_SIZE
): number[] {
  if (count === null) return [0];
  const end = Math.min(last, count - 1);
  const start = Math.max(0, first);
  if (end < start) return [];
  const out: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor(end / pageSize); p++) {
    out.push(p * pageSize);
  }
  return out;
}

/** Milliseconds to wait before refreshing, so refreshes are at least `gap` apart (0: now). */
export function throttleWait(lastAt: number | null, now: number, gap = REFRESH_GAP_MS): number {
  if (lastAt === null) return 0;
  return Math.max(0, lastAt + gap - now);
}

/** One cached page. */
export interface CachedPage {
  offset: number;
  items: CareQueueItem[];
  /** The server's clock when the page was read (waiting times are as of then). */
  now: number;
  /** The queue changed since: shown until a fresh copy replaces it. */
  stale: boolean;
}

/** Identifies one request, so a late answer for older filters or a past version is recognised. */
export interface Ticket {
  key: string;
  generation: number;
  offset: number;
}

/** A row of the list: the item and the server time its page was read, or a placeholder. */
export interface Row {
  index: number;
  item: CareQueueItem | null;
  asOf: number;
}

export class PageCache {
  readonly pageSize: number;
  /** The filters the pages belong to. */
  key = '';
  /** The queue version the pages reflect, or null before any. */
  version: number | null = null;
  /** Open mentions matching the filters, from the newest answer; null before any. */
  matching: number | null = null;
  /** Open mentions in all, from the newest answer. */
  total: number | null = null;
  /** The server's clock of the newest answer. */
  serverNow: number | null = null;
  #pages = new Map<number, CachedPage>();
  /** Offsets being fetched, with the generation they were asked in. */
  #inflight = new Map<number, number>();
  /** Bumped on every reset and invalidation. */
  #generation = 0;

  constructor(pageSize = PAGE_SIZE) {
    this.pageSize = pageSize;
  }

  /** Forgets everything: new filters. */
  reset(key: string): void {
    this.key = key;
    this.version = null;
    this.matching = null;
    this.total = null;
    this.#pages.clear();
    this.#inflight.clear();
    this.#generation++;
  }

  /**
   * The queue is now at `version`: when that differs from what the pages reflect, every page is
   * marked stale (and kept for display) and requests in flight will land stale. True when so.
   */
  invalidate(version: number): boolean {
    if (version === this.version) return false;
    this.version = version;
    this.markStale();
    return true;
  }

  /** Marks every page stale whatever the version (after a claim the server refused, say). */
  markStale(): void {
    for (const page of this.#pages.values()) page.stale = true;
    this.#inflight.clear();
    this.#generation++;
  }

  /** Offsets of the pages covering rows `first`–`last` that are missing or stale and not in flight. */
  wanted(first: number, last: number): number[] {
    return pagesFor(first, last, this.matching, this.pageSize).filter((offset) => {
      if (this.#inflight.get(offset) === this.#generation) return false;
      const page = this.#pages.get(offset);
      return !page || page.stale;
    });
  }

  /** Notes a request for the page at `offset`. */
  begin(offset: number): Ticket {
    this.#inflight.set(offset, this.#generation);
    return { key: this.key, generation: this.#generation, offset };
  }

  /** Takes an answer; false when it was for other filters (dropped). */
  accept(ticket: Ticket, queue: CareQueue): boolean {
    if (ticket.key !== this.key) return false;
    const current = ticket.generation === this.#generation;
    if (this.#inflight.get(ticket.offset) === ticket.generation) {
      this.#inflight.delete(ticket.offset);
    }
    const have = this.#pages.get(ticket.offset);
    // An answer from before the last invalidation never replaces a fresh page.
    if (!current && have && !have.stale) return true;
    this.#pages.set(ticket.offset, {
      offset: ticket.offset,
      items: queue.items,
      now: queue.now,
      stale: !current
    });
    this.matching = queue.matching;
    this.total = queue.total;
    this.serverNow = queue.now;
    if (current) this.version = queue.version;
    return true;
  }

  /** A request failed: it may be asked again. */
  fail(ticket: Ticket): void {
    if (ticket.key === this.key && this.#inflight.get(ticket.offset) === ticket.generation) {
      this.#inflight.delete(ticket.offset);
    }
  }

  /** The page at `offset`, if cached. */
  page(offset: number): CachedPage | undefined {
    return this.#pages.get(offset);
  }

  /** Offsets of the cached pages, ascending. */
  offsets(): number[] {
    return [...this.#pages.keys()].sort((a, b) => a - b);
  }

  /** Rows `first`–`last` (clamped to what matches), placeholders where no page is cached. */
  rows(first: number, last: number): Row[] {
    const count = this.matching ?? 0;
    const out: Row[] = [];
    for (let i = Math.max(0, first); i <= Math.min(last, count - 1); i++) {
      const offset = Math.floor(i / this.pageSize) * this.pageSize;
      const page = this.#pages.get(offset);
      out.push({ index: i, item: page?.items[i - offset] ?? null, asOf: page?.now ?? 0 });
    }
    return out;
  }

  /** Drops pages more than `keep` pages away from rows `first`–`last`. */
  prune(first: number, last: number, keep = KEEP_PAGES): void {
    const lo = (Math.floor(Math.max(0, first) / this.pageSize) - keep) * this.pageSize;
    const hi = (Math.floor(Math.max(0, last) / this.pageSize) + keep) * this.pageSize;
    for (const offset of [...this.#pages.keys()]) {
      if (offset < lo || offset > hi) this.#pages.delete(offset);
    }
  }

  /** Replaces the cached copy of `item` (same source and id), e.g. after a claim. */
  replace(item: CareQueueItem): boolean {
    let found = false;
    for (const page of this.#pages.values()) {
      const i = page.items.findIndex((x) => x.source === item.source && x.id === item.id);
      if (i >= 0) {
        const items = page.items.slice();
        items[i] = item;
        page.items = items;
        found = true;
      }
    }
    return found;
  }
}
