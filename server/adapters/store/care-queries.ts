import type Database from 'better-sqlite3';
import type {
  Channel,
  EnrichedMention,
  InfluenceTier,
  Intent
} from '../../../src/lib/shared/types';
import type { Turn } from '../../core/care/resolution';

/** A brand reply with what agent statistics need of the mention it answers. */
export interface ReplyRow {
  at: number;
  /** The `agent` field the source gave, or null (the signature decides then). */
  agent: string | null;
  text: string;
  source: string;
  inReplyToId: string;
  /** The customer mention replied to, when stored. */
  parent: {
    createdAt: number;
    answeredAt: number | null;
    channel: Channel;
    intent: Intent;
    tier: InfluenceTier;
    priority: number;
  } | null;
}

/** An open customer mention as the care queue reloads it on start (no text: read when shown). */
export interface CareRow {
  /** Its row seq (the queue's reference for it). */
  ref: number;
  source: string;
  id: string;
  channel: Channel;
  createdAt: number;
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' };
  intent: Intent;
  influence: number;
  influenceTier: InfluenceTier;
  topics: string[];
  priority: number;
}

/** A first response as the care scene counts it on a restart. */
export interface AnsweredRow {
  channel: Channel;
  intent: Intent;
  tier: InfluenceTier;
  priority: number;
  createdAt: number;
  answeredAt: number;
}

/** The care side's reads, on the main thread's connection (like explore's). */
/** A mention's text and author, for the queue page shown. */
export interface CareDetails {
  text: string;
  author: { handle: string; name: string; followers: number; verified: boolean };
}

export interface CareQueries {
  /** Text and author of mentions by (source, id); missing ones are left out. */
  details(keys: readonly { source: string; id: string }[]): Map<string, CareDetails>;
  /**
   * Unanswered customer mentions created since `since`, in row order (seq ascending, the order
   * the queue keeps), at most `limit`.
   */
  openRows(since: number, limit: number): Iterable<CareRow>;

  /** Customer mentions first answered in [from, to). */
  answered(from: number, to: number, limit: number): AnsweredRow[];
  /** Brand replies in [from, to), with the mention each answers; at most `limit`, newest first. */
  replies(from: number, to: number, limit: number): ReplyRow[];
  /** How many customer mentions were first answered in [from, to). */
  answeredCount(from: number, to: number): number;
  /**
   * Conversations first answered in [from, to): the newest `limit` of them, each as its turns
   * (the customer's mention, brand replies to it, the customer's replies to those, …).
   */
  conversations(from: number, to: number, limit: number): Turn[][];
}

/** Builds the care reads over `db`, with `fromRow` (sqlite-store.ts) turning a row into a mention. */
export function createCareQueries(
  db: Database.Database,
  fromRow: (r: never) => EnrichedMention
): CareQueries {
  // Narrow: the queue keeps only what it decides with (a mention's text and author are read
  // for the page shown).
  type Raw = {
    seq: number;
    source: string;
    id: string;
    channel: string;
    created_at: number;
    sentiment_score: number;
    sentiment_label: string;
    intent: string;
    influence: number;
    influence_tier: string;
    topics: string;
    priority: number;
  };
  const toCareRow = (r: Raw): CareRow => ({
    ref: r.seq,
    source: r.source,
    id: r.id,
    channel: r.channel as Channel,
    createdAt: r.created_at,
    sentiment: {
      score: r.sentiment_score,
      label: r.sentiment_label as CareRow['sentiment']['label']
    },
    intent: r.intent as Intent,
    influence: r.influence,
    influenceTier: r.influence_tier as InfluenceTier,
    topics: r.topics === '' ? [] : r.topics.split('\n'),
    priority: r.priority
  });
  const selectOpenRows = db.prepare<[number, number], Raw>(
    `SELECT seq, source, id, channel, created_at, sentiment_score, sentiment_label, intent,
            influence, influence_tier, topics, priority FROM mentions
      WHERE created_at >= ? AND is_brand = 0 AND answered_at IS NULL ORDER BY seq LIMIT ?`
  );
  const selectDetails = db.prepare<
    [string, string],
    {
      text: string;
      author_handle: string;
      author_name: string;
      author_followers: number;
      author_verified: number;
    }
  >(
    `SELECT text, author_handle, author_name, author_followers, author_verified FROM mentions
      WHERE source = ? AND id = ?`
  );
  // answered_at is set on customer mentions only, and indexed (migration 010).
  const selectAnswered = db.prepare<[number, number, number], AnsweredRow>(
    `SELECT channel, intent, influence_tier AS tier, priority, created_at AS createdAt,
            answered_at AS answeredAt
       FROM mentions WHERE answered_at >= ? AND answered_at < ?
      ORDER BY answered_at DESC LIMIT ?`
  );
  const countAnswered = db.prepare<[number, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM mentions WHERE answered_at >= ? AND answered_at < ?'
  );
  const selectReplies = db.prepare<
    [number, number, number],
    {
      at: number;
      agent: string | null;
      text: string;
      source: string;
      in_reply_to_id: string;
      p_created: number | null;
      p_answered: number | null;
      p_channel: string | null;
      p_intent: string | null;
      p_tier: string | null;
      p_priority: number | null;
    }
  >(
    `SELECT r.created_at AS at, r.agent, r.text, r.source, r.in_reply_to_id,
            p.created_at AS p_created, p.answered_at AS p_answered, p.channel AS p_channel,
            p.intent AS p_intent, p.influence_tier AS p_tier, p.priority AS p_priority
       FROM mentions r
       LEFT JOIN mentions p ON p.source = r.source AND p.id = r.in_reply_to_id AND p.is_brand = 0
      WHERE r.created_at >= ? AND r.created_at < ? AND r.is_brand_reply = 1
      ORDER BY r.created_at DESC LIMIT ?`
  );
  const selectRoots = db.prepare<[number, number, number], { source: string; id: string }>(
    `SELECT source, id FROM mentions WHERE answered_at >= ? AND answered_at < ?
        AND in_reply_to_id IS NULL ORDER BY answered_at DESC LIMIT ?`
  );
  const selectOne = db.prepare<[string, string], Record<string, unknown>>(
    'SELECT * FROM mentions WHERE source = ? AND id = ?'
  );
  const selectChildren = db.prepare<[string, string], Record<string, unknown>>(
    'SELECT * FROM mentions WHERE source = ? AND in_reply_to_id = ? ORDER BY created_at LIMIT 50'
  );
  return {
    details: (keys) => {
      const out = new Map<string, CareDetails>();
      for (const k of keys) {
        const r = selectDetails.get(k.source, k.id);
        if (!r) continue;
        out.set(`${k.source}\u0000${k.id}`, {
          text: r.text,
          author: {
            handle: r.author_handle,
            name: r.author_name,
            followers: r.author_followers,
            verified: r.author_verified === 1
          }
        });
      }
      return out;
    },
    *openRows(since, limit) {
      for (const r of selectOpenRows.iterate(since, limit)) yield toCareRow(r);
    },
    answered: (from, to, limit) => selectAnswered.all(from, to, limit),
    answeredCount: (from, to) => countAnswered.get(from, to)!.n,
    replies: (from, to, limit) =>
      selectReplies.all(from, to, limit).map((r) => ({
        at: r.at,
        agent: r.agent,
        text: r.text,
        source: r.source,
        inReplyToId: r.in_reply_to_id,
        parent:
          r.p_created === null
            ? null
            : {
                createdAt: r.p_created,
                answeredAt: r.p_answered,
                channel: r.p_channel as Channel,
                intent: r.p_intent as Intent,
                tier: r.p_tier as InfluenceTier,
                priority: r.p_priority ?? 0
              }
      })),
    conversations: (from, to, limit) => {
      const out: Turn[][] = [];
      for (const root of selectRoots.all(from, to, limit)) {
        const first = selectOne.get(root.source, root.id);
        if (!first) continue;
        // The root, then replies below it breadth first (at most 40 turns a conversation).
        const rows = [fromRow(first as never)];
        for (let i = 0; i < rows.length && rows.length < 40; i++) {
          for (const c of selectChildren.all(root.source, rows[i]!.id)) {
            rows.push(fromRow(c as never));
          }
        }
        out.push(
          rows
            .sort((a, b) => a.createdAt - b.createdAt)
            .map((m) => ({
              role: m.isBrand ? ('brand' as const) : ('customer' as const),
              at: m.createdAt,
              text: m.text,
              sentiment: m.sentiment.score
            }))
        );
      }
      return out;
    }
  };
}
