import { createCareQueries, type CareQueries } from './care-queries';
import Database, { type Statement } from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CHANNELS,
  type AuditEntry,
  type Channel,
  type EnrichedMention,
  type InfluenceTier,
  type Intent,
  type SentimentLabel
} from '../../../src/lib/shared/types';
import { F, FIELD_COUNT, upgradeRollupCounts } from '../../core/window/rolling-windows';
import {
  createExploreQueries,
  answerMarker,
  indexRecent,
  unindexAuthors,
  unindexText,
  updateCube,
  type ExploreQueries
} from './explore-queries';
import type { MinuteRollup } from '../../core/window/rolling-windows';
import type { AuthRecordKind, Inserted, RestoredMention, Store, StoredAlertRow } from '../../ports';
import { chunkedLength, flatChunks, type Chunks } from '../../core/flat-rows';

/** What inserting a batch of rows answers, row by row. */
export interface InsertedRows {
  /** 1 for a new row, 0 for a duplicate. */
  flags: Uint8Array;
  /** The highest row sequence written (0 when none). */
  lastSeq: number;
  /**
   * Two numbers per row: its seq (0 for a duplicate) and, for a new reply, the seq of the
   * customer (not brand) mention it replies to when that is stored, else 0.
   */
  refs: Float64Array;
}

/** The synchronous SQLite store: what the writer thread runs, and what tools and tests use directly. */
export interface SyncStore {
  insertMentions(mentions: readonly EnrichedMention[]): Inserted;
  /**
   * Inserts rows given as flat positional values (COLUMN_COUNT per row, in chunks of whole rows:
   * core/flat-rows.ts); returns a 0/1 flag per row and the highest row sequence written.
   */
  insertValues(chunks: Chunks): InsertedRows;
  /**
   * `insertValues` for several batches in one transaction (a group commit): one result per batch,
   * in order, and all of them or none committed.
   */
  insertGroups(groups: readonly Chunks[]): readonly InsertedRows[];
  upsertRollups(rollups: readonly MinuteRollup[], countedSeq: number): void;
  loadRollups: Store['loadRollups'];
  rollupWatermark: Store['rollupWatermark'];
  minutesAfter: Store['minutesAfter'];
  loadRange: Store['loadRange'];
  loadUnanswered: Store['loadUnanswered'];
  newest: Store['newest'];
  getMention: Store['getMention'];
  unansweredMentions: Store['unansweredMentions'];
  aggregateRange: Store['aggregateRange'];
  getSetting: Store['getSetting'];
  putSetting(key: string, value: unknown, at: number): void;
  searchMentions: Store['searchMentions'];
  queryMentions: Store['queryMentions'];
  loadAlertRules: Store['loadAlertRules'];
  putAlertRule(id: string, rule: unknown, at: number): void;
  deleteAlertRule(id: string): void;
  putAlert(alert: StoredAlertRow, at: number): void;
  loadAlerts: Store['loadAlerts'];
  getAlert: Store['getAlert'];
  loadAuthRecords: Store['loadAuthRecords'];
  putAuthRecord(kind: AuthRecordKind, id: string, doc: unknown, at: number): void;
  appendAudit(entry: Omit<AuditEntry, 'seq'>): void;
  loadAudit: Store['loadAudit'];
  prune(mentionsBefore: number, rollupsBefore: number, limit: number): number;
  readonly explore: ExploreQueries;
  readonly care: CareQueries;
  updateCube(limit: number): number;
  indexRecent(limit: number): number;
  optimize(): void;
  close(): void;
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

interface MentionRow {
  source: string;
  id: string;
  channel: string;
  created_at: number;
  text: string;
  author_handle: string;
  author_name: string;
  author_followers: number;
  author_verified: number;
  lang: string | null;
  url: string | null;
  in_reply_to_id: string | null;
  geo_lat: number | null;
  geo_lon: number | null;
  geo_country: string | null;
  sentiment_score: number;
  sentiment_label: string;
  is_brand: number;
  is_brand_reply: number;
  language: string;
  sentiment_scored: number;
  intent: string;
  topics: string;
  influence: number;
  influence_tier: string;
  priority: number;
  agent: string | null;
  answered_at: number | null;
}

/** Applies every `NNN_name.sql` file above the database's `user_version`, each in a transaction. */
export function migrate(db: Database.Database, dir = MIGRATIONS_DIR): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const files = readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  let version = current;
  for (const file of files) {
    const n = Number.parseInt(file, 10);
    if (n <= current) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${n}`);
    })();
    version = n;
  }
  return version;
}

const COLUMNS = `source, id, channel, created_at, text, author_handle, author_name,
  author_followers, author_verified, lang, url, in_reply_to_id, geo_lat, geo_lon, geo_country,
  sentiment_score, sentiment_label, is_brand, is_brand_reply, language, sentiment_scored, intent,
  topics, influence, influence_tier, priority, agent`;

/** Values per stored mention row. */
export const COLUMN_COUNT = 27;

/**
 * Columns of few distinct values (source, channel, lang, geo_country, sentiment_label, language,
 * intent, topics, influence_tier, agent): sent between threads as indexes into a string table
 * (string-table.ts).
 */
export const ROW_TABLE_COLUMNS: readonly number[] = [0, 2, 9, 14, 16, 19, 21, 22, 24, 26];

/** The mentions' row values (`rowValues`) in chunks of whole rows (core/flat-rows.ts). */
export function rowChunks(ms: readonly EnrichedMention[]): Chunks {
  return flatChunks(ms.map(rowValues), COLUMN_COUNT);
}

/**
 * One mention's row values as an array: COLUMN_COUNT, in COLUMNS order (by position binds faster
 * than by name).
 */
export function rowValues(m: EnrichedMention): unknown[] {
  const g = m.geo;
  return [
    m.source,
    m.id,
    m.channel,
    m.createdAt,
    m.text,
    m.author.handle,
    m.author.name,
    m.author.followers,
    m.author.verified ? 1 : 0,
    m.lang,
    m.url,
    m.inReplyToId,
    g ? g.lat : null,
    g ? g.lon : null,
    g?.country ?? null,
    m.sentiment.score,
    m.sentiment.label,
    m.isBrand ? 1 : 0,
    m.isBrandReply ? 1 : 0,
    m.language,
    m.sentiment.unscored ? 0 : 1,
    m.intent,
    m.topics.length === 0 ? '' : m.topics.join('\n'),
    m.influence,
    m.influenceTier,
    m.priority,
    m.agent ?? null
  ];
}

/** The enriched mention whose row values (`rowValues`) start at offset `o`. */
export function mentionFromValues(v: readonly unknown[], o: number): EnrichedMention {
  const lat = v[o + 12] as number | null;
  const lon = v[o + 13] as number | null;
  const country = v[o + 14] as string | null;
  const topics = v[o + 22] as string;
  return {
    id: v[o + 1] as string,
    source: v[o] as string,
    channel: v[o + 2] as Channel,
    createdAt: v[o + 3] as number,
    text: v[o + 4] as string,
    author: {
      handle: v[o + 5] as string,
      name: v[o + 6] as string,
      followers: v[o + 7] as number,
      verified: v[o + 8] === 1
    },
    lang: v[o + 9] as string | null,
    url: v[o + 10] as string | null,
    inReplyToId: v[o + 11] as string | null,
    geo:
      lat === null || lon === null ? null : country === null ? { lat, lon } : { lat, lon, country },
    sentiment:
      v[o + 20] === 0
        ? { score: 0, label: 'neutral', unscored: true }
        : { score: v[o + 15] as number, label: v[o + 16] as SentimentLabel },
    isBrand: v[o + 17] === 1,
    isBrandReply: v[o + 18] === 1,
    language: v[o + 19] as string,
    intent: v[o + 21] as Intent,
    topics: topics === '' ? [] : topics.split('\n'),
    influence: v[o + 23] as number,
    influenceTier: v[o + 24] as InfluenceTier,
    priority: v[o + 25] as number,
    agent: v[o + 26] as string | null
  };
}

export function fromRow(r: MentionRow): EnrichedMention {
  return {
    id: r.id,
    source: r.source,
    channel: r.channel as Channel,
    createdAt: r.created_at,
    text: r.text,
    author: {
      handle: r.author_handle,
      name: r.author_name,
      followers: r.author_followers,
      verified: r.author_verified === 1
    },
    lang: r.lang,
    url: r.url,
    inReplyToId: r.in_reply_to_id,
    geo:
      r.geo_lat === null || r.geo_lon === null
        ? null
        : { lat: r.geo_lat, lon: r.geo_lon, ...(r.geo_country ? { country: r.geo_country } : {}) },
    sentiment:
      r.sentiment_scored === 0
        ? { score: 0, label: 'neutral', unscored: true }
        : { score: r.sentiment_score, label: r.sentiment_label as SentimentLabel },
    isBrand: r.is_brand === 1,
    isBrandReply: r.is_brand_reply === 1,
    language: r.language,
    intent: r.intent as Intent,
    topics: r.topics === '' ? [] : r.topics.split('\n'),
    influence: r.influence,
    influenceTier: r.influence_tier as InfluenceTier,
    priority: r.priority,
    agent: r.agent ?? null
  };
}

export interface StoreOptions {
  /**
   * WAL pages after which a commit on this connection checkpoints (SQLite's default is 1,000).
   * The production writer raises it because a checkpoint thread does that work
   * (checkpoint-worker.ts); the raised value is only a fallback should that thread fall behind.
   */
  autoCheckpointPages?: number;
}

/** Bytes per database page for a new database file. */
export const PAGE_SIZE = 8192;

/**
 * Opens (creating and migrating) the SQLite database at `file` in WAL mode; ':memory:' works for
 * tests. One connection, one writer: better-sqlite3 is synchronous, so every batch is one
 * transaction with prepared statements made once.
 */
export function openSqliteStore(file: string, options: StoreOptions = {}): SyncStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // Set before anything is written, so it takes effect only for a new database (an existing one
  // keeps its page size). A mention row is about 400 bytes: 8 KiB pages hold twice as many rows
  // and index entries as SQLite's default 4 KiB, so a batch dirties, logs and checkpoints fewer
  // pages: less of the writer thread's time per mention (ARCHITECTURE.md, Persistence).
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against process crashes; only an OS crash can lose the tail.
  db.pragma('synchronous = NORMAL');
  // A larger page cache keeps the index pages hot under a firehose (negative = KiB).
  db.pragma('cache_size = -32768');
  if (options.autoCheckpointPages !== undefined)
    db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(options.autoCheckpointPages))}`);
  migrate(db);

  const insert = db.prepare(
    `INSERT OR IGNORE INTO mentions (${COLUMNS}) VALUES (${COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})`
  );
  const markAnswered = answerMarker(db);
  const customerSeq = db.prepare<[string, string], { seq: number }>(
    'SELECT seq FROM mentions WHERE source = ? AND id = ? AND is_brand = 0'
  );
  const insertRows = (chunks: Chunks): InsertedRows => {
    const n = chunkedLength(chunks) / COLUMN_COUNT;
    const flags = new Uint8Array(n);
    const refs = new Float64Array(2 * n);
    let lastSeq = 0;
    let i = 0;
    for (const v of chunks) {
      for (let o = 0; o < v.length; i++, o += COLUMN_COUNT) {
        // Spelled out: a slice and a spread per row cost about an eighth of the insert time.
        const r = insert.run(
          v[o],
          v[o + 1],
          v[o + 2],
          v[o + 3],
          v[o + 4],
          v[o + 5],
          v[o + 6],
          v[o + 7],
          v[o + 8],
          v[o + 9],
          v[o + 10],
          v[o + 11],
          v[o + 12],
          v[o + 13],
          v[o + 14],
          v[o + 15],
          v[o + 16],
          v[o + 17],
          v[o + 18],
          v[o + 19],
          v[o + 20],
          v[o + 21],
          v[o + 22],
          v[o + 23],
          v[o + 24],
          v[o + 25],
          v[o + 26]
        );
        if (r.changes > 0) {
          flags[i] = 1;
          lastSeq = Number(r.lastInsertRowid);
          refs[2 * i] = lastSeq;
          const replyTo = v[o + 11] as string | null;
          if (replyTo === null) continue;
          // A brand reply stops its mention's clock (is_brand_reply implies in_reply_to_id). The
          // parent's seq goes back with the row: the wall's thread finds what it tracks for the
          // parent by that number, with no per-mention key string (ARCHITECTURE.md, Ingest).
          refs[2 * i + 1] =
            v[o + 18] === 1
              ? markAnswered(v[o] as string, replyTo, v[o + 3] as number)
              : (customerSeq.get(v[o] as string, replyTo)?.seq ?? 0);
        }
      }
    }
    return { flags, lastSeq, refs };
  };
  const insertValues = db.transaction(insertRows);
  // Several batches in one transaction: one commit writes each dirty index page once for all.
  const insertGroups = db.transaction((groups: readonly Chunks[]) => groups.map(insertRows));
  const upsertRollup = db.prepare(
    'INSERT OR REPLACE INTO rollup_minute (start, counts, sketch) VALUES (?, ?, ?)'
  );
  const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  const getMeta = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
  const upsertRollups = db.transaction((rs: readonly MinuteRollup[], countedSeq: number) => {
    setMeta.run('rollups_seq', countedSeq);
    for (const r of rs)
      upsertRollup.run(r.start, JSON.stringify(r.counts), JSON.stringify(r.sketch));
  });
  const selectRollups = db.prepare<[number], { start: number; counts: string; sketch: string }>(
    'SELECT start, counts, sketch FROM rollup_minute WHERE start >= ? ORDER BY start'
  );
  const selectMinutesAfter = db.prepare<[number, number, number, number], { minute: number }>(
    `SELECT DISTINCT (created_at / 60000) * 60000 AS minute FROM mentions
       WHERE seq > ? AND created_at >= ?
     UNION
     SELECT DISTINCT (p.created_at / 60000) * 60000 FROM mentions r
       JOIN mentions p ON p.source = r.source AND p.id = r.in_reply_to_id
       WHERE r.seq > ? AND r.is_brand_reply = 1 AND p.created_at >= ?`
  );
  const selectRecent = db.prepare<
    [number, number],
    MentionRow & {
      replied: number;
      parent_created_at: number | null;
      first_reply_at: number | null;
    }
  >(`SELECT m.*,
      EXISTS (SELECT 1 FROM mentions r WHERE r.source = m.source AND r.in_reply_to_id = m.id
              AND r.is_brand_reply = 1) AS replied,
      CASE WHEN m.is_brand_reply = 1 THEN
        (SELECT p.created_at FROM mentions p WHERE p.source = m.source AND p.id = m.in_reply_to_id
         AND p.is_brand = 0) END AS parent_created_at,
      CASE WHEN m.is_brand_reply = 1 THEN
        (SELECT MIN(r.created_at) FROM mentions r WHERE r.source = m.source
         AND r.in_reply_to_id = m.in_reply_to_id AND r.is_brand_reply = 1) END AS first_reply_at
    FROM mentions m WHERE m.created_at >= ? AND m.created_at < ? ORDER BY m.created_at`);
  const selectUnanswered = db.prepare<
    [number, number],
    { seq: number; source: string; id: string; created_at: number }
  >(`SELECT m.seq, m.source, m.id, m.created_at FROM mentions m
     WHERE m.created_at >= ? AND m.is_brand = 0
       AND NOT EXISTS (SELECT 1 FROM mentions r WHERE r.source = m.source
                       AND r.in_reply_to_id = m.id AND r.is_brand_reply = 1)
     ORDER BY m.seq DESC LIMIT ?`);
  const selectMention = db.prepare<[string, string], MentionRow>(
    'SELECT * FROM mentions WHERE source = ? AND id = ?'
  );
  const selectUnansweredRows = db.prepare<[number, number], MentionRow>(
    `SELECT m.* FROM mentions m
     WHERE m.created_at >= ? AND m.is_brand = 0
       AND NOT EXISTS (SELECT 1 FROM mentions r WHERE r.source = m.source
                       AND r.in_reply_to_id = m.id AND r.is_brand_reply = 1)
     ORDER BY m.created_at DESC LIMIT ?`
  );
  const selectCounts = db.prepare<
    [number, number],
    { channel: string; label: string; brand: number; n: number; answered: number }
  >(`SELECT m.channel, m.sentiment_label AS label, m.is_brand AS brand, COUNT(*) AS n,
       SUM(CASE WHEN m.is_brand = 0 AND EXISTS (SELECT 1 FROM mentions r WHERE r.source = m.source
         AND r.in_reply_to_id = m.id AND r.is_brand_reply = 1) THEN 1 ELSE 0 END) AS answered
     FROM mentions m WHERE m.created_at >= ? AND m.created_at < ?
     GROUP BY m.channel, m.sentiment_label, m.is_brand`);
  // First brand replies in the range to customer mentions, with their delay.
  const selectResponses = db.prepare<[number, number], { delay: number }>(
    `SELECT r.created_at - p.created_at AS delay FROM mentions r
       JOIN mentions p ON p.source = r.source AND p.id = r.in_reply_to_id AND p.is_brand = 0
     WHERE r.is_brand_reply = 1 AND r.created_at >= ? AND r.created_at < ?
       AND r.created_at = (SELECT MIN(r2.created_at) FROM mentions r2 WHERE r2.source = r.source
                           AND r2.in_reply_to_id = r.in_reply_to_id AND r2.is_brand_reply = 1)
     GROUP BY r.source, r.in_reply_to_id`
  );
  const selectSetting = db.prepare<[string], { value: string }>(
    'SELECT value FROM settings WHERE key = ?'
  );
  const upsertSetting = db.prepare(
    'INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)'
  );
  const selectRules = db.prepare<[], { doc: string }>('SELECT doc FROM alert_rules ORDER BY rowid');
  const upsertRule = db.prepare(
    'INSERT OR REPLACE INTO alert_rules (id, doc, updated_at) VALUES (?, ?, ?)'
  );
  const removeRule = db.prepare('DELETE FROM alert_rules WHERE id = ?');
  const upsertAlert = db.prepare(
    `INSERT OR REPLACE INTO alerts (id, rule_id, state, drill, started_at, updated_at, doc)
     VALUES (?, ?, ?, ?, ?, ?, ?)`
  );
  const selectAlert = db.prepare<[string], { doc: string }>('SELECT doc FROM alerts WHERE id = ?');
  const selectAuth = db.prepare<[string], { doc: string }>(
    'SELECT doc FROM auth_records WHERE kind = ? ORDER BY rowid'
  );
  const upsertAuth = db.prepare(
    'INSERT OR REPLACE INTO auth_records (kind, id, doc, updated_at) VALUES (?, ?, ?, ?)'
  );
  const removeAuth = db.prepare('DELETE FROM auth_records WHERE kind = ? AND id = ?');
  const insertAudit = db.prepare(
    `INSERT INTO audit_log (at, actor, via, action, target, detail, ip)
     VALUES (@at, @actor, @via, @action, @target, @detail, @ip)`
  );
  const selectAudit = db.prepare<[number, number], AuditEntry>(
    `SELECT seq, at, actor, via, action, target, detail, ip FROM audit_log
     WHERE seq < ? ORDER BY seq DESC LIMIT ?`
  );
  const oldestSeqs = db
    .prepare<[number, number], number>(
      'SELECT seq FROM mentions WHERE created_at < ? ORDER BY created_at LIMIT ?'
    )
    .pluck();
  const deleteMention = db.prepare('DELETE FROM mentions WHERE seq = ?');
  const pruneRollups = db.prepare('DELETE FROM rollup_minute WHERE start < ?');
  const pruneCube = db.prepare('DELETE FROM rollup_hour_dims WHERE hour < ?');
  const pruneTopicCube = db.prepare('DELETE FROM rollup_hour_topics WHERE hour < ?');
  const alertQueries = {
    open: `state != 'resolved'`,
    resolved: `state = 'resolved'`,
    all: '1'
  } as const;
  const selectAlerts = Object.fromEntries(
    (Object.keys(alertQueries) as (keyof typeof alertQueries)[]).map((k) => [
      k,
      db.prepare<[number, number], { doc: string }>(
        `SELECT doc FROM alerts WHERE ${alertQueries[k]} AND drill <= ?
         ORDER BY started_at DESC LIMIT ?`
      )
    ])
  ) as Record<keyof typeof alertQueries, Statement<[number, number], { doc: string }>>;
  const selectNewest = db.prepare<[number], MentionRow>(
    'SELECT * FROM mentions ORDER BY created_at DESC LIMIT ?'
  );

  return {
    insertMentions: (ms) => {
      if (ms.length === 0) return { fresh: [], lastSeq: 0 };
      const { flags, lastSeq } = insertValues(rowChunks(ms));
      return { fresh: ms.filter((_, i) => flags[i] === 1), lastSeq };
    },
    insertValues: (chunks) =>
      chunkedLength(chunks) > 0
        ? insertValues(chunks)
        : { flags: new Uint8Array(0), lastSeq: 0, refs: new Float64Array(0) },
    insertGroups: (groups) => insertGroups(groups),
    upsertRollups: (rs, countedSeq) => upsertRollups(rs, countedSeq),
    rollupWatermark: () => getMeta.get('rollups_seq')?.value ?? 0,
    minutesAfter: (seq, since) =>
      selectMinutesAfter.all(seq, since, seq, since).map((r) => r.minute),
    loadRollups: (since) =>
      selectRollups.all(since).map((r) => ({
        start: r.start,
        counts: upgradeRollupCounts(JSON.parse(r.counts) as number[]),
        sketch: JSON.parse(r.sketch) as number[]
      })),
    loadRange: (from, to): RestoredMention[] =>
      selectRecent.all(from, to).map((r) => ({
        mention: fromRow(r),
        answered: r.replied === 1,
        responseMs:
          r.parent_created_at !== null && r.first_reply_at === r.created_at
            ? Math.max(0, r.created_at - r.parent_created_at)
            : null
      })),
    loadUnanswered: (since, limit) =>
      selectUnanswered
        .all(since, limit)
        .reverse()
        .map((r) => ({ seq: r.seq, source: r.source, id: r.id, createdAt: r.created_at })),
    newest: (limit) => selectNewest.all(limit).map(fromRow),
    getMention: (source, id) => {
      const r = selectMention.get(source, id);
      return r ? fromRow(r) : null;
    },
    unansweredMentions: (since, limit) => selectUnansweredRows.all(since, limit).map(fromRow),
    aggregateRange: (from, to) => {
      const sums = new Array<number>(FIELD_COUNT).fill(0);
      for (const r of selectCounts.iterate(from, to)) {
        const ch = CHANNELS.indexOf(r.channel as Channel);
        sums[F.total]! += r.n;
        if (ch >= 0) sums[F.channel0 + ch]! += r.n;
        const label =
          r.label === 'negative' ? F.negative : r.label === 'positive' ? F.positive : F.neutral;
        sums[label]! += r.n;
        if (r.brand === 0) {
          sums[F.customer]! += r.n;
          sums[F.answered]! += r.answered;
        }
      }
      const delays: number[] = [];
      for (const r of selectResponses.iterate(from, to)) delays.push(Math.max(0, r.delay));
      sums[F.replies] = delays.length;
      return { sums, responseMs: Float64Array.from(delays).sort() };
    },
    getSetting: (key) => {
      const row = selectSetting.get(key);
      return row ? (JSON.parse(row.value) as unknown) : null;
    },
    putSetting: (key, value, at) => {
      upsertSetting.run(key, JSON.stringify(value), at);
    },
    searchMentions: (from, to, where, limit) => {
      const like = (where.textLike ?? []).slice(0, 50);
      const tiers = (where.tiers ?? []).slice(0, 10);
      const conds: string[] = [];
      const args: (string | number)[] = [from, to];
      if (like.length) {
        conds.push(like.map(() => `text LIKE ? ESCAPE '\\'`).join(' OR '));
        for (const t of like) args.push(`%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      if (tiers.length) {
        conds.push(`influence_tier IN (${tiers.map(() => '?').join(', ')})`);
        args.push(...tiers);
      }
      if (conds.length === 0) return [];
      args.push(Math.max(0, Math.floor(limit)));
      const rows = db
        .prepare<
          (string | number)[],
          {
            created_at: number;
            text: string;
            channel: string;
            topics: string;
            sentiment_label: string;
            influence_tier: string;
          }
        >(
          `SELECT created_at, text, channel, topics, sentiment_label, influence_tier FROM mentions
           WHERE created_at >= ? AND created_at < ? AND is_brand = 0 AND (${conds.join(' OR ')})
           ORDER BY created_at LIMIT ?`
        )
        .all(...args);
      return rows.map((r) => ({
        createdAt: r.created_at,
        text: r.text,
        channel: r.channel,
        topics: r.topics === '' ? [] : r.topics.split('\n'),
        sentiment: r.sentiment_label,
        influenceTier: r.influence_tier
      }));
    },
    queryMentions: (q) => {
      const conds = ['created_at >= ?', 'created_at < ?'];
      const args: (string | number)[] = [q.from, q.to];
      if (q.channel) {
        conds.push('channel = ?');
        args.push(q.channel);
      }
      if (q.sentiment) {
        conds.push('sentiment_label = ?');
        args.push(q.sentiment);
      }
      if (q.topic) {
        // Topic names are joined by newlines and cannot contain one.
        conds.push(`instr(char(10) || topics || char(10), ?) > 0`);
        args.push(`\n${q.topic}\n`);
      }
      if (q.text) {
        conds.push(`text LIKE ? ESCAPE '\\'`);
        args.push(`%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      const where = conds.join(' AND ');
      const total = db
        .prepare<(string | number)[], { n: number }>(
          `SELECT COUNT(*) AS n FROM mentions WHERE ${where}`
        )
        .get(...args)!.n;
      const rows = db
        .prepare<(string | number)[], MentionRow>(
          `SELECT * FROM mentions WHERE ${where} ORDER BY created_at DESC LIMIT ?`
        )
        .all(...args, Math.max(0, Math.floor(q.limit)));
      return { total, mentions: rows.map(fromRow) };
    },
    loadAlertRules: () => selectRules.all().map((r) => JSON.parse(r.doc) as unknown),
    putAlertRule: (id, rule, at) => {
      upsertRule.run(id, JSON.stringify(rule), at);
    },
    deleteAlertRule: (id) => {
      removeRule.run(id);
    },
    putAlert: (a, at) => {
      upsertAlert.run(
        a.id,
        a.ruleId,
        a.state,
        a.drill ? 1 : 0,
        a.startedAt,
        at,
        JSON.stringify(a.doc)
      );
    },
    loadAlerts: (filter, limit, drills = false) =>
      selectAlerts[filter].all(drills ? 1 : 0, limit).map((r) => JSON.parse(r.doc) as unknown),
    getAlert: (id) => {
      const row = selectAlert.get(id);
      return row ? (JSON.parse(row.doc) as unknown) : null;
    },
    loadAuthRecords: (kind) => selectAuth.all(kind).map((r) => JSON.parse(r.doc) as unknown),
    putAuthRecord: (kind, id, doc, at) => {
      if (doc === null) removeAuth.run(kind, id);
      else upsertAuth.run(kind, id, JSON.stringify(doc), at);
    },
    appendAudit: (entry) => {
      insertAudit.run(entry);
    },
    loadAudit: (limit, before) =>
      selectAudit.all(before ?? Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(limit))),
    prune: db.transaction((mentionsBefore: number, rollupsBefore: number, limit: number) => {
      const seqs = oldestSeqs.all(mentionsBefore, Math.max(1, Math.floor(limit)));
      unindexText(db, seqs);
      unindexAuthors(db, seqs);
      for (const seq of seqs) deleteMention.run(seq);
      const n = seqs.length;
      pruneRollups.run(rollupsBefore);
      pruneCube.run(rollupsBefore);
      pruneTopicCube.run(rollupsBefore);
      return n;
    }),
    explore: createExploreQueries(db, fromRow as (r: never) => EnrichedMention),
    care: createCareQueries(db, fromRow as (r: never) => EnrichedMention),
    updateCube: (limit) => updateCube(db, limit),
    indexRecent: (limit) => indexRecent(db, limit),
    optimize: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('optimize');
    },
    close: () => db.close()
  };
}
