import type Database from 'better-sqlite3';
import type { EnrichedMention } from '../../../src/lib/shared/types';
import {
  buildWhere,
  bucketStarts,
  usesText,
  cubeEligible,
  cubeWhere,
  type CompetitorTerms,
  type Cursor,
  type ExploreFilter
} from '../../core/explore/query';
import { STOPWORDS } from '../../core/enrich/stopwords';

const HOUR = 3_600_000;
/** Mentions the top lists count at most; beyond, an even sample of this size. */
const TOP_SAMPLE = 40_000;

/** The columns of `mentions` a stored row has (see sqlite-store.ts). */
export type Row = Record<string, unknown> & { seq: number; created_at: number };

/** A page of mentions, newest first, with whether each customer mention was answered. */
export interface ExplorePage {
  rows: { mention: EnrichedMention; seq: number; answered: boolean }[];
  next: Cursor | null;
}

/** Volume of matching mentions per bucket, total or split by a dimension. */
export interface ExploreVolume {
  t: number[];
  total: number;
  series: { key: string; counts: number[] }[];
}

export type VolumeBy = 'total' | 'channel' | 'sentiment' | 'topic';

/** The exploration reads, over one connection (the main thread's reader). */
export interface ExploreQueries {
  page(f: ExploreFilter, c: CompetitorTerms[], limit: number, after: Cursor | null): ExplorePage;
  volume(f: ExploreFilter, c: CompetitorTerms[], bucketMs: number, by: VolumeBy): ExploreVolume;
  top(
    f: ExploreFilter,
    c: CompetitorTerms[]
  ): {
    topics: { name: string; count: number }[];
    terms: { term: string; count: number }[];
    authors: {
      handle: string;
      name: string;
      followers: number;
      influenceTier: string;
      count: number;
      negative: number;
    }[];
  };
  geo(
    f: ExploreFilter,
    c: CompetitorTerms[]
  ): {
    points: { lat: number; lon: number; count: number }[];
    countries: { country: string; count: number }[];
    located: number;
    total: number;
  };
  /** Mentions by sentiment (total, negative, neutral, positive). */
  totals(
    f: ExploreFilter,
    c: CompetitorTerms[]
  ): Record<'total' | 'negative' | 'neutral' | 'positive', number>;
  /** Stored mentions not in the full-text index yet. */
  textIndexLag(): number;
  /** How many mentions in the range match an FTS5 query (null: every mention in the range). */
  countMatching(from: number, to: number, fts: string | null): number;
  /** One stored mention with its row number, or null. */
  get(
    source: string,
    id: string
  ): { mention: EnrichedMention; seq: number; answered: boolean } | null;
  /** An author's newest mentions. */
  byAuthor(handle: string, limit: number): EnrichedMention[];
  /** The conversation around a mention: its ancestors and every reply below the root. */
  thread(source: string, id: string): EnrichedMention[];
  /** Every matching row in pages of `pageSize`, newest first (CSV export). */
  pages(f: ExploreFilter, c: CompetitorTerms[], pageSize: number): Generator<ExplorePage['rows']>;
}

const metaValue = (db: Database.Database, key: string): number =>
  (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: number } | undefined)
    ?.value ?? 0;

/**
 * Adds the mentions above the text index's watermark to the FTS5 index, at most `limit` rows in
 * one transaction; returns how many.
 */
export function indexText(db: Database.Database, limit: number): number {
  const from = metaValue(db, 'fts_seq');
  const upto =
    (db.prepare('SELECT MAX(seq) AS s FROM mentions').get() as { s: number | null }).s ?? 0;
  const to = Math.min(upto, from + limit);
  if (to <= from) return 0;
  db.transaction(() => {
    db.prepare(
      'INSERT INTO mentions_fts (rowid, text) SELECT seq, text FROM mentions WHERE seq > ? AND seq <= ?'
    ).run(from, to);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('fts_seq', ?)").run(to);
  })();
  return to - from;
}

/**
 * Removes mentions (`seqs`) from the text index before their rows are deleted; only the ones
 * indexed so far (an external-content index must be told the exact text it indexed).
 */
export function unindexText(db: Database.Database, seqs: readonly number[]): void {
  if (seqs.length === 0) return;
  const indexed = metaValue(db, 'fts_seq');
  const del = db.prepare(
    `INSERT INTO mentions_fts (mentions_fts, rowid, text)
     SELECT 'delete', seq, text FROM mentions WHERE seq = ? AND seq <= ?`
  );
  for (const seq of seqs) del.run(seq, indexed);
}

/**
 * Adds the mentions above the cubes' watermarks to the hourly cubes (by dimensions, and by topic),
 * at most `limit` rows each, one transaction each; returns the most rows either took.
 */
export function updateCube(db: Database.Database, limit: number): number {
  const upto =
    (db.prepare('SELECT MAX(seq) AS s FROM mentions').get() as { s: number | null }).s ?? 0;
  let most = 0;
  {
    const from = metaValue(db, 'cube_seq');
    const to = Math.min(upto, from + limit);
    if (to > from) {
      db.transaction(() => {
        db.prepare(
          `INSERT INTO rollup_hour_dims (hour, channel, sentiment, intent, language, tier, n)
           SELECT (created_at / ${HOUR}) * ${HOUR}, channel, sentiment_label, intent, language,
                  influence_tier, COUNT(*)
             FROM mentions WHERE seq > ? AND seq <= ?
            GROUP BY 1, 2, 3, 4, 5, 6
           ON CONFLICT (hour, channel, sentiment, intent, language, tier)
           DO UPDATE SET n = n + excluded.n`
        ).run(from, to);
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('cube_seq', ?)").run(to);
      })();
      most = to - from;
    }
  }
  {
    const from = metaValue(db, 'topic_cube_seq');
    const to = Math.min(upto, from + limit);
    if (to > from) {
      // Grouped by the joined topic set (few distinct), then split here: SQL has no split.
      const groups = db
        .prepare<
          [number, number],
          {
            hour: number;
            topics: string;
            channel: string;
            sentiment: string;
            intent: string;
            language: string;
            tier: string;
            n: number;
          }
        >(
          `SELECT (created_at / ${HOUR}) * ${HOUR} AS hour, topics, channel,
                  sentiment_label AS sentiment, intent, language, influence_tier AS tier,
                  COUNT(*) AS n
             FROM mentions WHERE seq > ? AND seq <= ? AND topics != ''
            GROUP BY 1, 2, 3, 4, 5, 6, 7`
        )
        .all(from, to);
      const upsert = db.prepare(
        `INSERT INTO rollup_hour_topics (hour, topic, channel, sentiment, intent, language, tier, n)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (topic, hour, channel, sentiment, intent, language, tier)
         DO UPDATE SET n = n + excluded.n`
      );
      db.transaction(() => {
        for (const g of groups) {
          for (const topic of g.topics.split('\n')) {
            upsert.run(g.hour, topic, g.channel, g.sentiment, g.intent, g.language, g.tier, g.n);
          }
        }
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('topic_cube_seq', ?)").run(to);
      })();
      most = Math.max(most, to - from);
    }
  }
  return most;
}

/** Words of a text for the top-terms list: lower-case, 3+ letters, no stop-words, no links. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .match(/[#@]?[\p{L}\p{N}_']{3,}/gu) ?? []) {
    const t = w.replace(/'s$/, '').replace(/'/g, '');
    if (t.length < 3 || STOPWORDS.has(t) || /^\d+$/.test(t)) continue;
    out.push(t);
  }
  return out;
}

/**
 * Builds the exploration reads over `db`, with `fromRow` (sqlite-store.ts) turning a row into a
 * mention.
 */
export function createExploreQueries(
  db: Database.Database,
  fromRow: (r: never) => EnrichedMention
): ExploreQueries {
  const toMention = (r: Row): EnrichedMention => fromRow(r as never);
  const answeredSql = `EXISTS (SELECT 1 FROM mentions r WHERE r.source = m.source
    AND r.in_reply_to_id = m.id AND r.is_brand_reply = 1)`;
  const cubeSeq = db.prepare<[], { value: number }>(
    "SELECT value FROM meta WHERE key = 'cube_seq'"
  );
  const topicCubeSeq = db.prepare<[], { value: number }>(
    "SELECT value FROM meta WHERE key = 'topic_cube_seq'"
  );
  const selectOne = db.prepare<[string, string], Row & { answered: number }>(
    `SELECT m.*, ${answeredSql} AS answered FROM mentions m WHERE m.source = ? AND m.id = ?`
  );
  const selectByAuthor = db.prepare<[string, number], Row>(
    'SELECT * FROM mentions WHERE author_handle = ? ORDER BY created_at DESC LIMIT ?'
  );
  const selectReplies = db.prepare<[string, string], Row>(
    'SELECT * FROM mentions WHERE source = ? AND in_reply_to_id = ? ORDER BY created_at LIMIT 200'
  );

  /**
   * The WHERE clause of a filter over [range); a text search over up to a week first reads the
   * range's lowest and highest row (an index range scan: milliseconds for a day) so the text
   * index reads only that stretch.
   */
  function where(
    f: ExploreFilter,
    c: CompetitorTerms[],
    range: { from: number; to: number } = f
  ): { sql: string; args: (string | number)[] } {
    if (!usesText(f) || range.to - range.from > 7 * 24 * HOUR) return buildWhere(f, c, range);
    const b = seqRange.get(range.from, range.to);
    if (!b || b.lo === null || b.hi === null) return { sql: '0', args: [] };
    return buildWhere(f, c, range, { lo: b.lo, hi: b.hi });
  }

  function page(
    f: ExploreFilter,
    c: CompetitorTerms[],
    limit: number,
    after: Cursor | null
  ): ExplorePage {
    const w = where(f, c);
    let sql = w.sql;
    const args = [...w.args];
    if (after) {
      sql += ' AND (m.created_at < ? OR (m.created_at = ? AND m.seq < ?))';
      args.push(after.createdAt, after.createdAt, after.seq);
    }
    const rows = db
      .prepare<(string | number)[], Row & { answered: number }>(
        `SELECT m.*, ${answeredSql} AS answered FROM mentions m WHERE ${sql}
         ORDER BY m.created_at DESC, m.seq DESC LIMIT ?`
      )
      .all(...args, limit + 1);
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return {
      rows: kept.map((r) => ({ mention: toMention(r), seq: r.seq, answered: r.answered === 1 })),
      next: more && last ? { createdAt: last.created_at, seq: last.seq } : null
    };
  }

  /** Counts per (bucket, key) from the raw rows of `w`. */
  function rawCounts(
    w: { sql: string; args: (string | number)[] },
    bucketMs: number,
    keyExpr: string
  ): { b: number; k: string; n: number }[] {
    return db
      .prepare<(string | number)[], { b: number; k: string; n: number }>(
        `SELECT (m.created_at / ${bucketMs}) * ${bucketMs} AS b, ${keyExpr} AS k, COUNT(*) AS n
           FROM mentions m WHERE ${w.sql} GROUP BY 1, 2`
      )
      .all(...w.args);
  }

  function volume(
    f: ExploreFilter,
    c: CompetitorTerms[],
    bucketMs: number,
    by: VolumeBy
  ): ExploreVolume {
    const t = bucketStarts(f.from, f.to, bucketMs);
    const index = new Map(t.map((x, i) => [x, i]));
    const series = new Map<string, number[]>();
    let total = 0;
    const add = (b: number, k: string, n: number): void => {
      const i = index.get(Math.floor(b / bucketMs) * bucketMs);
      if (i === undefined) return;
      let s = series.get(k);
      if (!s) series.set(k, (s = new Array<number>(t.length).fill(0)));
      s[i]! += n;
    };
    const keyExpr =
      by === 'channel' ? 'm.channel' : by === 'sentiment' ? 'm.sentiment_label' : "'total'";
    const topicCube =
      (by === 'topic' || f.topic !== undefined) && cubeEligible({ ...f, topic: undefined });
    const dimsCube = by !== 'topic' && cubeEligible(f);
    if (bucketMs >= HOUR && (topicCube || dimsCube)) {
      // Whole hours from a cube (rows up to its watermark), the rest from raw rows: the hours
      // cut by the range's ends, and rows committed after the cube's last update.
      const seq = (topicCube ? topicCubeSeq : cubeSeq).get()?.value ?? 0;
      const fromHour = Math.ceil(f.from / HOUR) * HOUR;
      const toHour = Math.floor(f.to / HOUR) * HOUR;
      const raw = (w: { sql: string; args: (string | number)[] }): void => {
        if (by === 'topic') {
          for (const r of rawCounts(w, bucketMs, 'm.topics')) {
            total += r.n;
            if (r.k !== '') for (const name of r.k.split('\n')) add(r.b, name, r.n);
          }
        } else {
          for (const r of rawCounts(w, bucketMs, keyExpr)) {
            total += r.n;
            add(r.b, r.k, r.n);
          }
        }
      };
      if (toHour > fromHour) {
        const cw = cubeWhere(f, fromHour, toHour);
        if (topicCube) {
          if (f.topic !== undefined) {
            cw.sql += ' AND topic = ?';
            cw.args.push(f.topic);
          }
          const cubeKey =
            by === 'topic'
              ? 'topic'
              : by === 'channel'
                ? 'channel'
                : by === 'sentiment'
                  ? 'sentiment'
                  : "'total'";
          for (const r of db
            .prepare<(string | number)[], { b: number; k: string; n: number }>(
              `SELECT (hour / ${bucketMs}) * ${bucketMs} AS b, ${cubeKey} AS k, SUM(n) AS n
                 FROM rollup_hour_topics WHERE ${cw.sql} GROUP BY 1, 2`
            )
            .all(...cw.args)) {
            add(r.b, r.k, r.n);
          }
          if (by !== 'topic') {
            total += [...series.values()].reduce((a, s) => a + s.reduce((x, y) => x + y, 0), 0);
          }
        } else {
          const cubeKey =
            by === 'channel' ? 'channel' : by === 'sentiment' ? 'sentiment' : "'total'";
          for (const r of db
            .prepare<(string | number)[], { b: number; k: string; n: number }>(
              `SELECT (hour / ${bucketMs}) * ${bucketMs} AS b, ${cubeKey} AS k, SUM(n) AS n
                 FROM rollup_hour_dims WHERE ${cw.sql} GROUP BY 1, 2`
            )
            .all(...cw.args)) {
            total += r.n;
            add(r.b, r.k, r.n);
          }
        }
        for (const e of [
          { from: f.from, to: fromHour },
          { from: toHour, to: f.to }
        ]) {
          if (e.to > e.from) raw(where(f, c, e));
        }
        // Rows above the watermark are few and recent: found by their numbers (`+` keeps SQLite
        // from walking the whole range's time index instead).
        const late = where(f, c, { from: fromHour, to: toHour });
        raw({
          sql: `m.seq > ? AND ${late.sql.replace('m.created_at >= ? AND m.created_at < ?', '+m.created_at >= ? AND +m.created_at < ?')}`,
          args: [seq, ...late.args]
        });
      } else {
        raw(where(f, c));
      }
      if (by === 'topic') {
        // A mention with two topics is in two series but counts once in the total: the total is
        // the filter's own count (from the dimensions cube), or the one topic's series.
        total =
          f.topic !== undefined
            ? (series.get(f.topic)?.reduce((a, b) => a + b, 0) ?? 0)
            : volume(f, c, bucketMs, 'total').total;
      }
    } else if (by === 'topic') {
      // Topics are multi-valued (newline-joined): split here, after grouping by the joined set.
      for (const r of rawCounts(where(f, c), bucketMs, 'm.topics')) {
        total += r.n;
        if (r.k !== '') for (const name of r.k.split('\n')) add(r.b, name, r.n);
      }
    } else {
      for (const r of rawCounts(where(f, c), bucketMs, keyExpr)) {
        total += r.n;
        add(r.b, r.k, r.n);
      }
    }
    return {
      t,
      total,
      series: [...series]
        .map(([key, counts]) => ({ key, counts }))
        .sort((a, b) => a.key.localeCompare(b.key))
    };
  }

  function top(f: ExploreFilter, c: CompetitorTerms[]) {
    const full = where(f, c);
    // Over many mentions, topics and authors are counted on an even sample — every k-th row by
    // its number, picked from the time index before any row is read — and scaled: a day of a
    // busy brand costs what 40,000 mentions cost, and the leaders stay the leaders.
    const inRange = countRange.get(f.from, f.to)!.n;
    const k = Math.max(1, Math.ceil(inRange / TOP_SAMPLE));
    const w =
      k === 1
        ? full
        : {
            sql: `m.seq IN (SELECT seq FROM mentions WHERE created_at >= ? AND created_at < ?
                    AND seq % ${k} = 0) AND ${full.sql}`,
            args: [f.from, f.to, ...full.args]
          };
    const topicSets = db
      .prepare<(string | number)[], { k: string; n: number }>(
        `SELECT m.topics AS k, COUNT(*) AS n FROM mentions m WHERE ${w.sql} AND m.topics != ''
          GROUP BY 1`
      )
      .all(...w.args);
    const topics = new Map<string, number>();
    for (const r of topicSets) {
      for (const t of r.k.split('\n')) topics.set(t, (topics.get(t) ?? 0) + r.n * k);
    }
    const authors = db
      .prepare<
        (string | number)[],
        { handle: string; name: string; followers: number; tier: string; n: number; neg: number }
      >(
        `SELECT m.author_handle AS handle, MAX(m.author_name) AS name,
                MAX(m.author_followers) AS followers, MAX(m.influence_tier) AS tier,
                COUNT(*) AS n, SUM(m.sentiment_label = 'negative') AS neg
           FROM mentions m WHERE ${w.sql} AND m.is_brand = 0
          GROUP BY m.author_handle ORDER BY n DESC, followers DESC LIMIT 20`
      )
      .all(...w.args);
    // Terms from at most 3,000 matching texts among the range's newest 20,000 mentions: a rare
    // filter over a busy day must not walk every row of the day looking for matches.
    const texts = db
      .prepare<(string | number)[], { text: string }>(
        `SELECT m.text FROM mentions m
          WHERE m.seq IN (SELECT seq FROM mentions WHERE created_at >= ? AND created_at < ?
                           ORDER BY created_at DESC LIMIT 20000)
            AND ${full.sql} AND m.is_brand = 0
          LIMIT 3000`
      )
      .all(f.from, f.to, ...full.args);
    const terms = new Map<string, number>();
    for (const { text } of texts) {
      for (const t of new Set(words(text))) terms.set(t, (terms.get(t) ?? 0) + 1);
    }
    const byCount = <T extends [string, number]>(a: T, b: T): number =>
      b[1] - a[1] || a[0].localeCompare(b[0]);
    return {
      sampledEvery: k,
      topics: [...topics]
        .sort(byCount)
        .slice(0, 20)
        .map(([name, count]) => ({ name, count })),
      terms: [...terms]
        .filter(([, x]) => x > 1)
        .sort(byCount)
        .slice(0, 20)
        .map(([term, count]) => ({ term, count })),
      authors: authors.map((a) => ({
        handle: a.handle,
        name: a.name,
        followers: a.followers,
        influenceTier: a.tier,
        count: a.n * k,
        negative: a.neg * k
      }))
    };
  }

  function geo(f: ExploreFilter, c: CompetitorTerms[]) {
    const w = where(f, c);
    const points = db
      .prepare<(string | number)[], { lat: number; lon: number; count: number }>(
        `SELECT ROUND(m.geo_lat) AS lat, ROUND(m.geo_lon) AS lon, COUNT(*) AS count
           FROM mentions m WHERE ${w.sql} AND m.geo_lat IS NOT NULL
          GROUP BY 1, 2 ORDER BY count DESC LIMIT 2000`
      )
      .all(...w.args);
    const countries = db
      .prepare<(string | number)[], { country: string; count: number }>(
        `SELECT m.geo_country AS country, COUNT(*) AS count FROM mentions m
          WHERE ${w.sql} AND m.geo_country IS NOT NULL GROUP BY 1 ORDER BY count DESC LIMIT 250`
      )
      .all(...w.args);
    const counts = db
      .prepare<(string | number)[], { total: number; located: number }>(
        `SELECT COUNT(*) AS total, COUNT(m.geo_lat) AS located FROM mentions m WHERE ${w.sql}`
      )
      .get(...w.args)!;
    return { points, countries, located: counts.located, total: counts.total };
  }

  function totals(f: ExploreFilter, c: CompetitorTerms[]) {
    const v = volume(f, c, Math.max(HOUR, f.to - f.from), 'sentiment');
    const sum = (k: string): number =>
      v.series.find((s) => s.key === k)?.counts.reduce((a, b) => a + b, 0) ?? 0;
    return {
      total: v.total,
      negative: sum('negative'),
      neutral: sum('neutral'),
      positive: sum('positive')
    };
  }

  function countMatching(from: number, to: number, fts: string | null): number {
    if (fts === null) {
      return db
        .prepare<[number, number], { n: number }>(
          'SELECT COUNT(*) AS n FROM mentions WHERE created_at >= ? AND created_at < ?'
        )
        .get(from, to)!.n;
    }
    return db
      .prepare<[number, number, string], { n: number }>(
        `SELECT COUNT(*) AS n FROM mentions WHERE created_at >= ? AND created_at < ?
           AND seq IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)`
      )
      .get(from, to, fts)!.n;
  }

  function get(source: string, id: string) {
    const r = selectOne.get(source, id);
    return r ? { mention: toMention(r), seq: r.seq, answered: r.answered === 1 } : null;
  }

  function thread(source: string, id: string): EnrichedMention[] {
    // Up to the root (at most 20 hops), then every reply below it, breadth first (at most 500).
    let root = selectOne.get(source, id);
    if (!root) return [];
    for (let hops = 0; hops < 20 && typeof root.in_reply_to_id === 'string'; hops++) {
      const parent = selectOne.get(source, root.in_reply_to_id);
      if (!parent) break;
      root = parent;
    }
    const out: Row[] = [root];
    const seen = new Set([String(root.id)]);
    for (let i = 0; i < out.length && out.length < 500; i++) {
      for (const r of selectReplies.all(source, String(out[i]!.id))) {
        if (seen.has(String(r.id))) continue;
        seen.add(String(r.id));
        out.push(r);
      }
    }
    return out.map(toMention).sort((a, b) => a.createdAt - b.createdAt);
  }

  function* pages(f: ExploreFilter, c: CompetitorTerms[], pageSize: number) {
    let after: Cursor | null = null;
    for (;;) {
      const p = page(f, c, pageSize, after);
      if (p.rows.length) yield p.rows;
      if (!p.next) return;
      after = p.next;
    }
  }

  const countRange = db.prepare<[number, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM mentions WHERE created_at >= ? AND created_at < ?'
  );
  const seqRange = db.prepare<[number, number], { lo: number | null; hi: number | null }>(
    'SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM mentions WHERE created_at >= ? AND created_at < ?'
  );
  const lag = db.prepare<[], { n: number }>(
    `SELECT COALESCE(MAX(seq), 0) - COALESCE((SELECT value FROM meta WHERE key = 'fts_seq'), 0)
       AS n FROM mentions`
  );

  return {
    page,
    volume,
    textIndexLag: () => Math.max(0, lag.get()!.n),
    top,
    geo,
    totals,
    countMatching,
    get,
    byAuthor: (handle, limit) => selectByAuthor.all(handle, limit).map(toMention),
    thread,
    pages
  };
}
