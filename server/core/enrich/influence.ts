import type { InfluenceTier as SharedInfluenceTier } from '../../../src/lib/shared/types';

/*
 * Author influence: a 0–100 reach score with a tier, and a detector of "hidden influencers"
 * (authors whose mentions draw far more engagement than their follower count predicts).
 */

/** Reach of an author: 'everyday' | 'notable' | 'influencer' | 'celebrity'. */
export type InfluenceTier = SharedInfluenceTier;

/** Interactions with one mention, as the source reports them. */
export interface Engagement {
  replies: number;
  reposts: number;
  likes: number;
}

/** An author's influence score (integer 0–100), its tier and the points behind it. */
export interface InfluenceResult {
  score: number;
  tier: InfluenceTier;
  reasons: string[];
}

/**
 * Points per decade of followers: 100/7, so 1k followers → 43, 10k → 57, 100k → 71,
 * 1M → 86 and 10M or more → 100. Fewer than 10 followers score 0.
 */
export const POINTS_PER_DECADE = 100 / 7;
/** Bonus for a verified account: +10 points, worth as much as 5× the followers. */
export const VERIFIED_BONUS = 10;
/**
 * Engagement bonus: 5 · log10(1 + 2·replies + 3·reposts + likes), at most 15 (reached at 1,000
 * weighted interactions). Reposts spread a mention furthest, replies start conversations.
 */
export const ENGAGEMENT_BONUS_MAX = 15;

/**
 * Tiers by the unrounded score. The cuts are the follower-only scores of 10k, 100k and 1M
 * followers, so an unverified author without engagement data is tiered by followers exactly
 * (everyday < 10k ≤ notable < 100k ≤ influencer < 1M ≤ celebrity); verification and
 * engagement can lift an author by as much as their points are worth in followers.
 */
export const TIER_THRESHOLDS: readonly { tier: InfluenceTier; minScore: number }[] = [
  { tier: 'celebrity', minScore: 6 * POINTS_PER_DECADE },
  { tier: 'influencer', minScore: 5 * POINTS_PER_DECADE },
  { tier: 'notable', minScore: 4 * POINTS_PER_DECADE },
  { tier: 'everyday', minScore: -Infinity }
];

// The follower-only score of exactly 10^k followers equals the k-th cut; the slack keeps
// floating-point rounding of log10 from dropping it below.
const TIER_SLACK = 1e-9;

function finite(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}

/** "950", "12.3k", "4.5M", formatted from integers (a fractional number's toString is slow). */
function compact(n: number): string {
  if (n < 999.5) return String(Math.round(n));
  const big = n >= 999_950;
  const tenths = Math.round(n / (big ? 100_000 : 100));
  const whole = Math.floor(tenths / 10);
  const frac = tenths - whole * 10;
  const unit = big ? 'M' : 'k';
  return frac === 0 ? `${whole}${unit}` : `${whole}.${frac}${unit}`;
}

/** The follower and verification points of an author, unrounded. */
function reachPoints(followers: number, verified: boolean): number {
  return (
    (followers >= 1 ? Math.log10(followers) * POINTS_PER_DECADE : 0) +
    (verified ? VERIFIED_BONUS : 0)
  );
}

/** The tier of an unrounded score (TIER_THRESHOLDS). */
function tierOf(raw: number): InfluenceTier {
  for (const t of TIER_THRESHOLDS) if (raw + TIER_SLACK >= t.minScore) return t.tier;
  return 'everyday';
}

/**
 * Influence of an author, 0–100: followers on a log10 scale (POINTS_PER_DECADE), +10 if
 * verified, + an engagement bonus (ENGAGEMENT_BONUS_MAX); clamped and rounded. The tier comes
 * from the unrounded score (TIER_THRESHOLDS). Reasons name each contributing part with its points.
 */
export function influenceScore(
  a: { followers: number; verified: boolean },
  engagement?: Engagement
): InfluenceResult {
  const followers = finite(a.followers);
  const followerPoints = followers >= 1 ? Math.log10(followers) * POINTS_PER_DECADE : 0;
  let raw = reachPoints(followers, a.verified);
  const reasons: string[] = [];
  const fp = Math.round(Math.min(followerPoints, 100));
  if (fp > 0) reasons.push(`${compact(followers)} followers (+${fp})`);
  if (a.verified) reasons.push(`verified (+${VERIFIED_BONUS})`);
  if (engagement !== undefined) {
    const replies = finite(engagement.replies);
    const reposts = finite(engagement.reposts);
    const likes = finite(engagement.likes);
    const weighted = 2 * replies + 3 * reposts + likes;
    const bonus = Math.min(ENGAGEMENT_BONUS_MAX, 5 * Math.log10(1 + weighted));
    raw += bonus;
    const ep = Math.round(bonus);
    if (ep > 0) {
      const counts = `${compact(replies)} replies, ${compact(reposts)} reposts, ${compact(likes)} likes`;
      reasons.push(`engagement ${counts} (+${ep})`);
    }
  }
  return { score: Math.round(Math.min(100, raw)), tier: tierOf(raw), reasons };
}

/**
 * `influenceScore` without engagement and without the reasons: the score and tier alone, as
 * enrichment needs them for every mention of the firehose (formatting the reasons would cost more
 * than the score).
 */
export function influenceOf(a: { followers: number; verified: boolean }): {
  score: number;
  tier: InfluenceTier;
} {
  const raw = reachPoints(finite(a.followers), a.verified);
  return { score: Math.round(Math.min(100, raw)), tier: tierOf(raw) };
}

// ---------------------------------------------------------------------------------------------
// Hidden influencers
// ---------------------------------------------------------------------------------------------

/** Options of a HiddenInfluencers detector. */
export interface HiddenInfluencersOptions {
  /** Sliding window over which mentions and engagement are counted, ms (default 24 h). */
  windowMs?: number;
  /** Least engagement in the window for an author to be reported (default 20). */
  minEngagement?: number;
  /** Least engagement / expected ratio for an author to be reported (default 5). */
  ratio?: number;
  /** Most authors tracked; the least recently seen are evicted beyond it (default 10,000). */
  maxAuthors?: number;
}

/** A reported hidden influencer. */
export interface HiddenInfluencer {
  handle: string;
  followers: number;
  /** Replies plus reposts in the window. */
  engagement: number;
  /** What the follower count predicts for the author's mentions in the window. */
  expected: number;
  /** engagement / expected. */
  ratio: number;
}

/**
 * Expected engagement per mention per square root of followers: an author with f followers is
 * expected to draw max(1, 0.2·√f) replies and reposts per mention (50 followers → 1.4,
 * 10k → 20, 2M → 283). The square root reflects that engagement grows far slower than audience.
 */
export const EXPECTED_PER_SQRT_FOLLOWER = 0.2;

/** Buckets per window: counts expire in steps of windowMs / BUCKETS. */
const BUCKETS = 24;
/** Stale authors checked (and dropped) per record call, oldest first. */
const SWEEP_PER_RECORD = 2;

interface AuthorState {
  /** Normalised handle: the key in the map. */
  key: string;
  /** Handle as last seen. */
  handle: string;
  /** Followers from the latest mention; -1 until a mention is recorded. */
  followers: number;
  lastSeen: number;
  /** Bucket index (floor(t / bucketMs)), mentions and engagement per bucket, oldest first. */
  buckets: number[];
  mentions: number[];
  engagement: number[];
  totalMentions: number;
  totalEngagement: number;
  /** Neighbours in the recency list (older, newer). */
  older: AuthorState | null;
  newer: AuthorState | null;
}

function normaliseHandle(handle: string): string {
  return (handle.startsWith('@') ? handle.slice(1) : handle).toLowerCase();
}

/**
 * Finds authors whose mentions draw far more replies and reposts than their follower count
 * predicts. Model: over the window, expected = max(1, mentions) · max(1, 0.2·√followers)
 * (EXPECTED_PER_SQRT_FOLLOWER); an author is reported when engagement ≥ minEngagement and
 * engagement / expected ≥ ratio. Authors never seen with a mention (followers unknown) are not
 * reported.
 *
 * Pure and bounded: time is passed in; counts live in BUCKETS buckets per window per author and
 * expire once their bucket is wholly older than the window (so data is kept between windowMs
 * and windowMs + windowMs/24); at most maxAuthors authors are held, the least recently seen
 * evicted first, and a few stale authors are dropped on every record call.
 */
export class HiddenInfluencers {
  readonly windowMs: number;
  readonly minEngagement: number;
  readonly ratio: number;
  readonly maxAuthors: number;
  private readonly bucketMs: number;
  /** By normalised handle. */
  private readonly authors = new Map<string, AuthorState>();
  /** Recency list: least recently seen first. A Map re-inserted on every touch would do, but
   * V8 leaves deleted slots at its front until a rehash, which makes "peek the oldest" slow. */
  private oldest: AuthorState | null = null;
  private newest: AuthorState | null = null;

  constructor(opts: HiddenInfluencersOptions = {}) {
    this.windowMs = Math.max(1, opts.windowMs ?? 24 * 3_600_000);
    this.minEngagement = opts.minEngagement ?? 20;
    this.ratio = opts.ratio ?? 5;
    this.maxAuthors = Math.max(1, Math.floor(opts.maxAuthors ?? 10_000));
    this.bucketMs = this.windowMs / BUCKETS;
  }

  /** Number of authors held. */
  get size(): number {
    return this.authors.size;
  }

  /** Whether `handle` is being followed (seen with a mention or engagement in the window). */
  has(handle: string): boolean {
    return this.authors.has(normaliseHandle(handle));
  }

  /**
   * `has` for a handle normalised once already (as `normaliseHandle` in core/pipeline.ts does):
   * normalising again changes nothing unless it still starts with "@", so the common case skips
   * the second pass.
   */
  hasNormalised(handle: string): boolean {
    return this.authors.has(handle.charCodeAt(0) === 64 ? normaliseHandle(handle) : handle);
  }

  /** Counts one mention by `handle`, who has `followers` followers, at `now`. */
  recordMention(handle: string, followers: number, now: number): void {
    const a = this.touch(handle, now);
    a.followers = finite(followers);
    this.add(a, now, 1, 0);
  }

  /**
   * Counts `count` replies or reposts (an increment, not a running total) drawn by one of
   * `handle`'s mentions at `now`.
   */
  recordEngagement(handle: string, _kind: 'reply' | 'repost', now: number, count = 1): void {
    const n = finite(count);
    if (n === 0) return;
    this.add(this.touch(handle, now), now, 0, n);
  }

  /** Hidden influencers at `now`, highest ratio first (then most engagement), at most `n`. */
  top(now: number, n = 10): HiddenInfluencer[] {
    const out: HiddenInfluencer[] = [];
    for (const a of this.authors.values()) {
      this.expire(a, now);
      if (a.buckets.length === 0) {
        this.remove(a);
        continue;
      }
      if (a.followers < 0 || a.totalEngagement < this.minEngagement) continue;
      const expected =
        Math.max(1, a.totalMentions) *
        Math.max(1, EXPECTED_PER_SQRT_FOLLOWER * Math.sqrt(a.followers));
      const ratio = a.totalEngagement / expected;
      if (ratio < this.ratio) continue;
      out.push({
        handle: a.handle,
        followers: a.followers,
        engagement: a.totalEngagement,
        expected: Math.round(expected * 100) / 100,
        ratio: Math.round(ratio * 100) / 100
      });
    }
    out.sort(
      (x, y) =>
        y.ratio - x.ratio ||
        y.engagement - x.engagement ||
        (x.handle < y.handle ? -1 : x.handle > y.handle ? 1 : 0)
    );
    return out.slice(0, Math.max(0, n));
  }

  /** Returns the author's state, created if new, marked most recently seen. */
  private touch(handle: string, now: number): AuthorState {
    const key = normaliseHandle(handle);
    let a = this.authors.get(key);
    if (a === undefined) {
      this.sweep(now);
      while (this.authors.size >= this.maxAuthors && this.oldest !== null) this.remove(this.oldest);
      a = {
        key,
        handle,
        followers: -1,
        lastSeen: now,
        buckets: [],
        mentions: [],
        engagement: [],
        totalMentions: 0,
        totalEngagement: 0,
        older: null,
        newer: null
      };
      this.authors.set(key, a);
    } else {
      this.unlink(a);
      this.sweep(now);
      a.handle = handle;
      this.expire(a, now);
    }
    // Append as the most recently seen.
    a.older = this.newest;
    a.newer = null;
    if (this.newest !== null) this.newest.newer = a;
    else this.oldest = a;
    this.newest = a;
    if (now > a.lastSeen) a.lastSeen = now;
    return a;
  }

  /** Drops up to SWEEP_PER_RECORD least recently seen authors whose data has all expired. */
  private sweep(now: number): void {
    for (let checked = 0; checked < SWEEP_PER_RECORD; checked++) {
      const a = this.oldest;
      if (a === null || a.lastSeen + this.windowMs + this.bucketMs > now) break;
      this.remove(a);
    }
  }

  private unlink(a: AuthorState): void {
    if (a.older !== null) a.older.newer = a.newer;
    else if (this.oldest === a) this.oldest = a.newer;
    if (a.newer !== null) a.newer.older = a.older;
    else if (this.newest === a) this.newest = a.older;
    a.older = null;
    a.newer = null;
  }

  private remove(a: AuthorState): void {
    this.unlink(a);
    this.authors.delete(a.key);
  }

  private add(a: AuthorState, t: number, mentions: number, engagement: number): void {
    const b = Math.floor(t / this.bucketMs);
    const buckets = a.buckets;
    let i = buckets.length - 1;
    if (i < 0 || (buckets[i] ?? 0) < b) {
      // The usual case: a new newest bucket.
      buckets.push(b);
      a.mentions.push(mentions);
      a.engagement.push(engagement);
      a.totalMentions += mentions;
      a.totalEngagement += engagement;
      return;
    }
    // Times mostly arrive in order: look from the newest bucket back.
    while (i >= 0 && (buckets[i] ?? 0) > b) i--;
    if (i < 0 || buckets[i] !== b) {
      i++;
      buckets.splice(i, 0, b);
      a.mentions.splice(i, 0, 0);
      a.engagement.splice(i, 0, 0);
    }
    a.mentions[i] = (a.mentions[i] ?? 0) + mentions;
    a.engagement[i] = (a.engagement[i] ?? 0) + engagement;
    a.totalMentions += mentions;
    a.totalEngagement += engagement;
  }

  /** Drops the buckets wholly older than the window ending at `now`. */
  private expire(a: AuthorState, now: number): void {
    const cutoff = now - this.windowMs;
    while (a.buckets.length > 0 && ((a.buckets[0] ?? 0) + 1) * this.bucketMs <= cutoff) {
      a.buckets.shift();
      a.totalMentions -= a.mentions.shift() ?? 0;
      a.totalEngagement -= a.engagement.shift() ?? 0;
    }
  }
}
