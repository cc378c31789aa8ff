import Database from 'better-sqlite3';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate, openSqliteStore, type SyncStore } from '../../server/adapters/store/sqlite-store';
import { enrich, enrichContext } from '../../server/core/pipeline';
import type { Mention } from '../../src/lib/shared/types';
import { makeMention } from '../helpers/fixtures';
import { tempDataDir } from '../helpers/test-server';

const MIGRATIONS = join(process.cwd(), 'server/adapters/store/migrations');
const ctx = enrichContext(['@NorthwindHelp'], undefined);
const T0 = Date.UTC(2026, 10, 1, 12);
const MIN = 60_000;

const data = tempDataDir();
afterAll(() => data.cleanup());

let open: SyncStore[] = [];
afterEach(() => {
  for (const s of open) s.close();
  open = [];
});

let n = 0;
function store(): SyncStore {
  const s = openSqliteStore(join(data.dir, `authors-${++n}.db`));
  open.push(s);
  return s;
}

const by = (handle: string, minute: number, over: Partial<Mention> = {}): Mention =>
  makeMention({
    id: `${handle}-${minute}`,
    createdAt: T0 + minute * MIN,
    author: { handle, name: handle, followers: 10, verified: false },
    ...over
  });

const recentIds = (s: SyncStore, handle: string, limit = 20): string[] =>
  s.explore.byAuthor(handle, limit).map((m) => m.id);

describe("the author card's index, kept behind ingest (migration 011)", () => {
  it('is exact before the job runs, after it, and across the watermark', () => {
    const s = store();
    s.insertMentions([by('@ana', 1), by('@bo', 2), by('@ana', 3)].map((m) => enrich(m, ctx)));
    // Nothing indexed yet: the card reads the rows above the watermark directly.
    expect(s.explore.indexLag()).toEqual({ text: 3, author: 3 });
    expect(recentIds(s, '@ana')).toEqual(['@ana-3', '@ana-1']);

    expect(s.indexRecent(10_000)).toBe(3);
    expect(s.explore.indexLag()).toEqual({ text: 0, author: 0 });
    expect(recentIds(s, '@ana')).toEqual(['@ana-3', '@ana-1']);

    // Half indexed, half not: newest first, each once, the limit over both halves.
    s.insertMentions([by('@ana', 2), by('@ana', 9), by('@bo', 4)].map((m) => enrich(m, ctx)));
    expect(s.explore.indexLag().author).toBe(3);
    expect(recentIds(s, '@ana')).toEqual(['@ana-9', '@ana-3', '@ana-2', '@ana-1']);
    expect(recentIds(s, '@ana', 2)).toEqual(['@ana-9', '@ana-3']);
    expect(recentIds(s, '@bo')).toEqual(['@bo-4', '@bo-2']);
    expect(recentIds(s, '@nobody')).toEqual([]);

    // A duplicate is not stored, so it is not counted twice either.
    s.insertMentions([enrich(by('@ana', 9), ctx)]);
    expect(s.indexRecent(2)).toBe(2);
    expect(s.explore.indexLag()).toEqual({ text: 1, author: 1 });
    expect(recentIds(s, '@ana')).toEqual(['@ana-9', '@ana-3', '@ana-2', '@ana-1']);
    expect(s.indexRecent(10_000)).toBe(1);
    expect(recentIds(s, '@ana')).toEqual(['@ana-9', '@ana-3', '@ana-2', '@ana-1']);
  });

  it('forgets pruned mentions, indexed or not', () => {
    const s = store();
    s.insertMentions([by('@ana', 1), by('@ana', 2)].map((m) => enrich(m, ctx)));
    s.indexRecent(10_000);
    s.insertMentions([by('@ana', 3), by('@ana', 60)].map((m) => enrich(m, ctx)));
    expect(s.prune(T0 + 30 * MIN, 0, 100)).toBe(3);
    expect(recentIds(s, '@ana')).toEqual(['@ana-60']);
    s.indexRecent(10_000);
    expect(recentIds(s, '@ana')).toEqual(['@ana-60']);
    const db = new Database(join(data.dir, `authors-${n}.db`), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS c FROM mentions_by_author').get()).toEqual({ c: 1 });
    } finally {
      db.close();
    }
  });

  it('an upgrade fills the table from the mentions already stored and drops the old index', () => {
    const before = join(data.dir, 'before-011');
    mkdirSync(before);
    for (const f of readdirSync(MIGRATIONS).filter((f) => /^0(0\d|10)_/.test(f))) {
      cpSync(join(MIGRATIONS, f), join(before, f));
    }
    const file = join(data.dir, 'at-010.db');
    const db = new Database(file);
    expect(migrate(db, before)).toBe(10);
    const insert = db.prepare(
      `INSERT INTO mentions (source, id, channel, created_at, text, author_handle, author_name,
         author_followers, author_verified, sentiment_score, sentiment_label, is_brand,
         is_brand_reply)
       VALUES ('api', ?, 'twitter', ?, 'hello', ?, 'X', 1, 0, 0, 'neutral', 0, 0)`
    );
    insert.run('a1', T0, '@ana');
    insert.run('b1', T0 + MIN, '@bo');
    insert.run('a2', T0 + 2 * MIN, '@ana');
    db.close();

    const s = openSqliteStore(file);
    open.push(s);
    expect(s.explore.indexLag().author).toBe(0);
    expect(recentIds(s, '@ana')).toEqual(['a2', 'a1']);
    const after = new Database(file, { readonly: true });
    try {
      const names = after
        .prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'mentions' AND type = 'index'")
        .all()
        .map((r) => (r as { name: string }).name);
      expect(names).not.toContain('mentions_author');
      // The card's read uses the table's key, not a scan of every mention.
      const plan = after
        .prepare(
          "EXPLAIN QUERY PLAN SELECT seq FROM mentions_by_author WHERE author_handle = '@ana' ORDER BY created_at DESC LIMIT 20"
        )
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
      expect(plan).toMatch(/SEARCH mentions_by_author USING PRIMARY KEY \(author_handle=\?\)/);
    } finally {
      after.close();
    }
  });
});
