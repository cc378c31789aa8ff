import type Database from 'better-sqlite3';
import type { EnrichedMention } from '../../../src/lib/shared/types';
import {
  buildWhere,
  bucketStarts,
  textMatch,
  usesText,
  cubeCount,
  cubeEligible,
  cubeWhere,
  type CompetitorTerms,
  type Cursor,
  type ExploreFilter
} from '../../core/explore/query';
import { STOPWORDS } from '../../core/enrich/stopwords';

const HOUR = 3_600_000;
/**
 * Mentions the top lists count at most; beyond, an even sample of about this size (a day of a
 * busy brand: a twentieth of its mentions). Reading a row costs 2–3 µs, so this bounds the
 * lists' cost near 50 ms however long the range.
 */
const TOP_SAMPLE = 20_000;
/** Texts the top terms are counted over: the newest matching ones. */
const TERM_TEXTS = 3_000;

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
  /** Top topics, terms and authors; `terms: false` leaves the terms out (their texts unread). */
  top(
    f: ExploreFilter,
    c: CompetitorTerms[],
    o?: { terms?: boolean }
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
    /** Located mentions per 1° cell, most first; `negative` of them with negative sentiment. */
    points: { lat: number; lon: number; count: number; negative: number }[];
    countries: { country: string; count: number }[];
    located: number;
    total: number;
  };
  /**
   * Located mentions of [from, to) per 1° cell with their negative count, most first (at most
   * 2,000 cells), how many are located and the total: one pass over the range's rows, for the
   * wall's map (`geo` answers explore's filters and countries, in three).
   */
  geoCells(
    from: number,
    to: number
  ): {
    points: { lat: number; lon: number; count: number; negative: number }[];
    located: number;
    total: number;
  };
  /** Mentions by sentiment (total, negative, neutral, positive). */
  totals(
    f: ExploreFilter,
    c: CompetitorTerms[]
  ): Record<'total' | 'negative' | 'neutral' | 'positive', number>;
  /** Stored mentions not yet in each index kept behind ingest (indexRecent). */
  indexLag(): { text: number; author: number };
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
 * Brings the indexes kept behind ingest up to date by at most `limit` mentions each, one
 * transaction per index: the FTS5 text index (above `meta.fts_seq`) and the author table
 * (above `meta.author_seq`, migration 011). Marks early answers first (markEarlyAnswers).
 * Returns the larger of the two counts, so a caller loops while a backlog remains.
 */
export function indexRecent(db: Database.Database, limit: number): number {
  const upto =
    (db.prepare('SELECT MAX(seq) AS s FROM mentions').get() as { s: number | null }).s ?? 0;
  // On the text index's short period, so an import's early replies show within seconds.
  markEarlyAnswers(db, upto, limit);
  return Math.max(
    indexAbove(db, 'fts_seq', upto, limit, (from, to) =>
      db
        .prepare(
          'INSERT INTO mentions_fts (rowid, text) SELECT seq, text FROM mentions WHERE seq > ? AND seq <= ?'
        )
        .run(from, to)
    ),
    indexAbove(db, 'author_seq', upto, limit, (from, to) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO mentions_by_author (author_handle, created_at, seq)
           SELECT author_handle, created_at, seq FROM mentions WHERE seq > ? AND seq <= ?`
        )
        .run(from, to)
    )
  );
}

/** Runs `add` over the next (from, to] of at most `limit` rows above `key`'s watermark. */
function indexAbove(
  db: Database.Database,
  key: 'fts_seq' | 'author_seq',
  upto: number,
  limit: number,
  add: (from: number, to: number) => unknown
): number {
  const from = metaValue(db, key);
  const to = Math.min(upto, from + limit);
  if (to <= from) return 0;
  db.transaction(() => {
    add(from, to);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, to);
  })();
  return to - from;
}

/** Removes mentions (`seqs`) from the author table before their rows are deleted. */
export function unindexAuthors(db: Database.Database, seqs: readonly number[]): void {
  if (seqs.length === 0) return;
  const del = db.prepare(
    `DELETE FROM mentions_by_author WHERE (author_handle, created_at, seq) IN
       (SELECT author_handle, created_at, seq FROM mentions WHERE seq = ?)`
  );
  for (const seq of seqs) del.run(seq);
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
 * Sets `answered_at` on the customer mentions above `meta.answer_seq` whose first brand reply was
 * stored before them (an import out of order); at most `limit` rows. Runs with the text index
 * (every few seconds) and before the cubes, which count only rows up to this watermark so that
 * they see each mention's answer as it stands. Returns the new watermark.
 */
function markEarlyAnswers(db: Database.Database, upto: number, limit: number): number {
  const from = metaValue(db, 'answer_seq');
  const to = Math.min(upto, from + limit);
  if (to <= from) return from;
  db.transaction(() => {
    db.prepare(
      `UPDATE mentions SET answered_at = (
         SELECT MIN(r.created_at) FROM mentions r WHERE r.source = mentions.source
            AND r.in_reply_to_id = mentions.id AND r.is_brand_reply = 1)
        WHERE seq > ? AND seq <= ? AND is_brand = 0 AND answered_at IS NULL
          AND EXISTS (SELECT 1 FROM mentions r WHERE r.source = mentions.source
                       AND r.in_reply_to_id = mentions.id AND r.is_brand_reply = 1)`
    ).run(from, to);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('answer_seq', ?)").run(to);
  })();
  return to;
}

/**
 * Adds the mentions above the cubes' watermarks to the hourly cubes (by dimensions, and by topic),
 * at most `limit` rows each, one transaction each; returns the most rows either took. Each cell
 * counts all mentions (`n`), customer mentions and answered ones.
 */
export function updateCube(db: Database.Database, limit: number): number {
  const stored =
    (db.prepare('SELECT MAX(seq) AS s FROM mentions').get() as { s: number | null }).s ?? 0;
  const upto = markEarlyAnswers(db, stored, limit);
  let most = 0;
  {
    const from = metaValue(db, 'cube_seq');
    const to = Math.min(upto, from + limit);
    if (to > from) {
      db.transaction(() => {
        db.prepare(
          `INSERT INTO rollup_hour_dims
             (hour, channel, sentiment, intent, language, tier, n, customer, answered)
           SELECT (created_at / ${HOUR}) * ${HOUR}, channel, sentiment_label, intent, language,
                  influence_tier, COUNT(*), SUM(is_brand = 0), SUM(answered_at IS NOT NULL)
             FROM mentions WHERE seq > ? AND seq <= ?
            GROUP BY 1, 2, 3, 4, 5, 6
           ON CONFLICT (hour, channel, sentiment, intent, language, tier)
           DO UPDATE SET n = n + excluded.n, customer = customer + excluded.customer,
                         answered = answered + excluded.answered`
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
            customer: number;
            answered: number;
          }
        >(
          `SELECT (created_at / ${HOUR}) * ${HOUR} AS hour, topics, channel,
                  sentiment_label AS sentiment, intent, language, influence_tier AS tier,
                  COUNT(*) AS n, SUM(is_brand = 0) AS customer,
                  SUM(answered_at IS NOT NULL) AS answered
             FROM mentions WHERE seq > ? AND seq <= ? AND topics != ''
            GROUP BY 1, 2, 3, 4, 5, 6, 7`
        )
        .all(from, to);
      const upsert = db.prepare(
        `INSERT INTO rollup_hour_topics
           (hour, topic, channel, sentiment, intent, language, tier, n, customer, answered)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (topic, hour, channel, sentiment, intent, language, tier)
         DO UPDATE SET n = n + excluded.n, customer = customer + excluded.customer,
                       answered = answered + excluded.answered`
      );
      db.transaction(() => {
        for (const g of groups) {
          for (const topic of g.topics.split('\n')) {
            upsert.run(
              g.hour,
              topic,
              g.channel,
              g.sentiment,
              g.intent,
              g.language,
              g.tier,
              g.n,
              g.customer,
              g.answered
            );
          }
        }
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('topic_cube_seq', ?)").run(to);
      })();
      most = Math.max(most, to - from);
    }
  }
  return most;
}

/**
 * Records brand replies as they are committed (inside the commit's transaction): the customer
 * mention replied to gets `answered_at` (the earliest reply wins), and when the cubes already
 * counted that mention, its cells count one more answered mention. A reply whose mention is not
 * stored yet is picked up by the cube job when the mention arrives (markEarlyAnswers). Returns
 * the seq of the customer mention replied to, 0 when it is not stored.
 */
export function answerMarker(
  db: Database.Database
): (source: string, inReplyToId: string, at: number) => number {
  const target = db.prepare<
    [string, string],
    {
      seq: number;
      created_at: number;
      channel: string;
      sentiment_label: string;
      intent: string;
      language: string;
      influence_tier: string;
      topics: string;
      answered_at: number | null;
    }
  >(
    `SELECT seq, created_at, channel, sentiment_label, intent, language, influence_tier, topics,
            answered_at FROM mentions WHERE source = ? AND id = ? AND is_brand = 0`
  );
  const set = db.prepare('UPDATE mentions SET answered_at = ? WHERE seq = ?');
  const watermark = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
  const dims = db.prepare(
    `UPDATE rollup_hour_dims SET answered = answered + 1
      WHERE hour = ? AND channel = ? AND sentiment = ? AND intent = ? AND language = ? AND tier = ?`
  );
  const topics = db.prepare(
    `UPDATE rollup_hour_topics SET answered = answered + 1
      WHERE topic = ? AND hour = ? AND channel = ? AND sentiment = ? AND intent = ?
        AND language = ? AND tier = ?`
  );
  return (source, inReplyToId, at) => {
    const t = target.get(source, inReplyToId);
    if (!t) return 0;
    if (t.answered_at !== null && t.answered_at <= at) return t.seq;
    set.run(at, t.seq);
    if (t.answered_at !== null) return t.seq; // already counted as answered
    const hour = Math.floor(t.created_at / HOUR) * HOUR;
    const cell = [t.channel, t.sentiment_label, t.intent, t.language, t.influence_tier] as const;
    if (t.seq <= (watermark.get('cube_seq')?.value ?? 0)) dims.run(hour, ...cell);
    if (t.topics !== '' && t.seq <= (watermark.get('topic_cube_seq')?.value ?? 0)) {
      for (const topic of t.topics.split('\n')) topics.run(topic, hour, ...cell);
    }
    return t.seq;
  };
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
  const answeredSql = '(m.answered_at IS NOT NULL)';
  const cubeSeq = db.prepare<[], { value: number }>(
    "SELECT value FROM meta WHERE key = 'cube_seq'"
  );
  const topicCubeSeq = db.prepare<[], { value: number }>(
    "SELECT value FROM meta WHERE key = 'topic_cube_seq'"
  );
  const selectOne = db.prepare<[string, string], Row & { answered: number }>(
    `SELECT m.*, ${answeredSql} AS answered FROM mentions m WHERE m.source = ? AND m.id = ?`
  );
  // The author table up to its watermark, plus the rows ingest added since (read by rowid range;
  // at most MAX_INDEX_LAG in app.ts), in one statement so both halves see one snapshot.
  const selectByAuthor = db.prepare<{ handle: string; limit: number }, Row>(
    `SELECT * FROM mentions WHERE seq IN (
       SELECT seq FROM (SELECT seq FROM mentions_by_author WHERE author_handle = @handle
                         ORDER BY created_at DESC LIMIT @limit)
       UNION
       SELECT seq FROM mentions
        WHERE seq > (SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = 'author_seq')
          AND author_handle = @handle)
     ORDER BY created_at DESC, seq DESC LIMIT @limit`
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
    if (f.about === 'brand' && c.length) {
      // Not naming a competitor = all − naming one: the first often comes from the cubes, the
      // second reads only the text index's matches, where excluding them would read every row.
      const all = volume({ ...f, about: undefined }, c, bucketMs, by);
      const rivals = volume({ ...f, about: 'competitor' }, c, bucketMs, by);
      const minus = new Map(rivals.series.map((x) => [x.key, x.counts]));
      return {
        t: all.t,
        total: all.total - rivals.total,
        series: all.series.map((x) => {
          const m = minus.get(x.key);
          return m ? { key: x.key, counts: x.counts.map((n, i) => n - (m[i] ?? 0)) } : x;
        })
      };
    }
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
              `SELECT (hour / ${bucketMs}) * ${bucketMs} AS b, ${cubeKey} AS k, SUM(${cubeCount(f)}) AS n
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
              `SELECT (hour / ${bucketMs}) * ${bucketMs} AS b, ${cubeKey} AS k, SUM(${cubeCount(f)}) AS n
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

  function top(f: ExploreFilter, c: CompetitorTerms[], o: { terms?: boolean } = {}) {
    // Over many mentions, topics and authors are counted on an even sample — every k-th row by
    // its number — and scaled: a day of a busy brand costs what TOP_SAMPLE mentions cost, and the
    // leaders stay the leaders. The sample's row numbers are picked before any row is read: from
    // the range's lowest to highest row, or, for a text search, from the text index's matches
    // (read once, within those bounds). Rows are then fetched by number, in one statement.
    const b = seqRange.get(f.from, f.to);
    const match = textMatch(f, c);
    let picked: number[] = [];
    let newest: number[] | null = null;
    let k = 1;
    if (b && b.lo !== null && b.hi !== null && match !== false) {
      if (match === null) {
        k = Math.max(1, Math.ceil((b.hi - b.lo + 1) / TOP_SAMPLE));
        for (let s = b.lo; s <= b.hi; s += k) picked.push(s);
      } else {
        const hits = ftsRows.all(match, b.lo, b.hi);
        k = Math.max(1, Math.ceil(hits.length / TOP_SAMPLE));
        picked = k === 1 ? hits : hits.filter((_, i) => i % k === 0);
        newest = hits.slice(-TERM_TEXTS);
      }
    }
    const rest = buildWhere(
      f,
      c,
      f,
      b && b.lo !== null && b.hi !== null ? { lo: b.lo, hi: b.hi } : null,
      true
    );
    const rows = db
      .prepare<(string | number)[], [string, string, string, number, string, string, number]>(
        `SELECT m.topics, m.author_handle, m.author_name, m.author_followers, m.influence_tier,
                m.sentiment_label, m.is_brand
           FROM json_each(?) j JOIN mentions m ON m.seq = j.value WHERE ${rest.sql}`
      )
      .raw()
      .all(JSON.stringify(picked), ...rest.args);
    const topics = new Map<string, number>();
    const people = new Map<
      string,
      { name: string; followers: number; tier: string; n: number; neg: number }
    >();
    const TIER_RANK: Record<string, number> = {
      everyday: 0,
      notable: 1,
      influencer: 2,
      celebrity: 3
    };
    for (const [topicSet, handle, name, followers, tier, label, brand] of rows) {
      if (topicSet !== '') {
        for (const t of topicSet.split('\n')) topics.set(t, (topics.get(t) ?? 0) + k);
      }
      if (brand === 1) continue;
      const p = people.get(handle);
      if (!p) {
        people.set(handle, { name, followers, tier, n: 1, neg: label === 'negative' ? 1 : 0 });
        continue;
      }
      p.n++;
      if (label === 'negative') p.neg++;
      if (followers > p.followers) p.followers = followers;
      if ((TIER_RANK[tier] ?? 0) > (TIER_RANK[p.tier] ?? 0)) p.tier = tier;
      if (name > p.name) p.name = name;
    }
    const authors = [...people]
      .sort((x, y) => y[1].n - x[1].n || y[1].followers - x[1].followers || (x[0] < y[0] ? -1 : 1))
      .slice(0, 20)
      .map(([handle, a]) => ({ handle, ...a }));
    // Terms from at most TERM_TEXTS matching texts among the range's newest 20,000 mentions (a
    // rare filter over a busy day must not walk every row of the day looking for matches), or
    // among a text search's newest matches.
    const texts =
      o.terms === false
        ? []
        : newest !== null
          ? db
              .prepare<(string | number)[], { text: string }>(
                `SELECT m.text FROM json_each(?) j JOIN mentions m ON m.seq = j.value
                WHERE ${rest.sql} AND m.is_brand = 0`
              )
              .all(JSON.stringify(newest), ...rest.args)
          : db
              .prepare<(string | number)[], { text: string }>(
                `SELECT m.text FROM mentions m
                WHERE m.seq IN (SELECT seq FROM mentions WHERE created_at >= ? AND created_at < ?
                                 ORDER BY created_at DESC LIMIT 20000)
                  AND ${rest.sql} AND m.is_brand = 0
                LIMIT ${TERM_TEXTS}`
              )
              .all(f.from, f.to, ...rest.args);
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
      .prepare<(string | number)[], { lat: number; lon: number; count: number; negative: number }>(
        `SELECT ROUND(m.geo_lat) AS lat, ROUND(m.geo_lon) AS lon, COUNT(*) AS count,
                SUM(m.sentiment_label = 'negative') AS negative
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

  function geoCells(from: number, to: number) {
    const cells = geoCellRows.all(from, to);
    let located = 0;
    for (const x of cells) located += x.count;
    cells.sort((a, b) => b.count - a.count || a.lat - b.lat || a.lon - b.lon);
    return { points: cells.slice(0, 2000), located, total: countAll.get(from, to)!.n };
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
    if (fts === null) return countAll.get(from, to)!.n;
    // The text index reads only the range's stretch of rows (see `where`), not every match ever.
    const b = seqRange.get(from, to);
    if (!b || b.lo === null || b.hi === null) return 0;
    return countText.get(from, to, fts, b.lo, b.hi)!.n;
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

  const ftsRows = db
    .prepare<[string, number, number], number>(
      'SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid BETWEEN ? AND ?'
    )
    .pluck();
  const seqRange = db.prepare<[number, number], { lo: number | null; hi: number | null }>(
    'SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM mentions WHERE created_at >= ? AND created_at < ?'
  );
  const countAll = db.prepare<[number, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM mentions WHERE created_at >= ? AND created_at < ?'
  );
  const countText = db.prepare<[number, number, string, number, number], { n: number }>(
    `SELECT COUNT(*) AS n FROM mentions WHERE created_at >= ? AND created_at < ?
       AND seq IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?
                    AND rowid BETWEEN ? AND ?)`
  );
  const geoCellRows = db.prepare<
    [number, number],
    { lat: number; lon: number; count: number; negative: number }
  >(
    `SELECT ROUND(geo_lat) AS lat, ROUND(geo_lon) AS lon, COUNT(*) AS count,
            SUM(sentiment_label = 'negative') AS negative
       FROM mentions WHERE created_at >= ? AND created_at < ? AND geo_lat IS NOT NULL
      GROUP BY 1, 2`
  );
  const lag = db.prepare<[], { text: number; author: number }>(
    `SELECT MAX(0, top - COALESCE((SELECT value FROM meta WHERE key = 'fts_seq'), 0)) AS text,
            MAX(0, top - COALESCE((SELECT value FROM meta WHERE key = 'author_seq'), 0)) AS author
       FROM (SELECT COALESCE(MAX(seq), 0) AS top FROM mentions)`
  );

  return {
    page,
    volume,
    indexLag: () => {
      const { text, author } = lag.get()!;
      return { text, author };
    },
    top,
    geo,
    geoCells,
    totals,
    countMatching,
    get,
    byAuthor: (handle, limit) => selectByAuthor.all({ handle, limit }).map(toMention),
    thread,
    pages
  };
}
