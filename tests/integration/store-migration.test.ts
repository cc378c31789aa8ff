import Database from 'better-sqlite3';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openSqliteStore, PAGE_SIZE } from '../../server/adapters/store/sqlite-store';
import { Pipeline } from '../../server/core/pipeline';
import { makeMention } from '../helpers/fixtures';
import { tempDataDir } from '../helpers/test-server';

const MIGRATIONS = join(process.cwd(), 'server/adapters/store/migrations');
const data = tempDataDir();
afterAll(() => data.cleanup());

describe('upgrading a database written before enrichment (migration 004)', () => {
  it('keeps every stored mention and gives the new fields their defaults', () => {
    // A database as the previous release left it: migrations 001–003 only, one mention stored.
    const before = join(data.dir, 'before');
    mkdirSync(before);
    for (const f of readdirSync(MIGRATIONS).filter((f) => /^00[1-3]_/.test(f))) {
      cpSync(join(MIGRATIONS, f), join(before, f));
    }
    const file = join(data.dir, 'old.db');
    const db = new Database(file);
    expect(migrate(db, before)).toBe(3);
    db.prepare(
      `INSERT INTO mentions (source, id, channel, created_at, text, author_handle, author_name,
         author_followers, author_verified, lang, url, in_reply_to_id, geo_lat, geo_lon,
         geo_country, sentiment_score, sentiment_label, is_brand, is_brand_reply)
       VALUES ('api', 'm1', 'twitter', 1800000000000, 'still waiting', '@ana', 'Ana', 12, 0,
         'en', NULL, NULL, NULL, NULL, NULL, -0.4, 'negative', 0, 0)`
    ).run();
    db.close();

    const store = openSqliteStore(file);
    try {
      const m = store.getMention('api', 'm1');
      expect(m).toMatchObject({
        text: 'still waiting',
        sentiment: { score: -0.4, label: 'negative' },
        language: 'und',
        intent: 'other',
        topics: [],
        influence: 0,
        influenceTier: 'everyday',
        priority: 0
      });
      expect(m!.sentiment.unscored).toBeUndefined();
    } finally {
      store.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(
      readdirSync(MIGRATIONS).filter((f) => /^\d+_.+\.sql$/.test(f)).length
    );
    after.close();
  });
});

describe('page size', () => {
  const pageSize = (file: string): number => {
    const db = new Database(file, { readonly: true });
    try {
      return db.pragma('page_size', { simple: true }) as number;
    } finally {
      db.close();
    }
  };

  it('creates a new database with 8 KiB pages', () => {
    const file = join(data.dir, 'new.db');
    openSqliteStore(file).close();
    expect(PAGE_SIZE).toBe(8192);
    expect(pageSize(file)).toBe(PAGE_SIZE);
  });

  it('keeps the page size of a database created with 4 KiB pages, and its mentions', () => {
    const file = join(data.dir, 'four-k.db');
    const first = new Database(file);
    first.pragma('page_size = 4096');
    first.pragma('journal_mode = WAL');
    first.close();
    const store = openSqliteStore(file);
    try {
      const [m] = new Pipeline({ brandHandles: [] }).enrichBatch([
        makeMention({ id: 'kept', text: 'still waiting for my refund' })
      ]);
      store.insertMentions([m!]);
      expect(store.getMention(m!.source, 'kept')?.text).toBe('still waiting for my refund');
    } finally {
      store.close();
    }
    expect(pageSize(file)).toBe(4096);
  });
});
