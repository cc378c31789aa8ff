import { describe, expect, it } from 'vitest';
import {
  EXPECTED_PER_SQRT_FOLLOWER,
  HiddenInfluencers,
  influenceOf,
  influenceScore,
  TIER_THRESHOLDS,
  type InfluenceTier
} from '../../../server/core/enrich/influence';

const TIER_RANK: Record<InfluenceTier, number> = {
  everyday: 0,
  notable: 1,
  influencer: 2,
  celebrity: 3
};

describe('influenceScore', () => {
  it.each<[number, boolean, number, InfluenceTier]>([
    // followers, verified, score, tier: 100/7 points per decade of followers, +10 verified
    [0, false, 0, 'everyday'],
    [1, false, 0, 'everyday'],
    [10, false, 14, 'everyday'],
    [1_000, false, 43, 'everyday'],
    [9_999, false, 57, 'everyday'],
    [10_000, false, 57, 'notable'],
    [99_999, false, 71, 'notable'],
    [100_000, false, 71, 'influencer'],
    [999_999, false, 86, 'influencer'],
    [1_000_000, false, 86, 'celebrity'],
    [10_000_000, false, 100, 'celebrity'],
    [100_000_000, false, 100, 'celebrity'],
    [0, true, 10, 'everyday'],
    // Verification is worth 0.7 of a decade (≈ 5× the followers).
    [1_500, true, 55, 'everyday'],
    [3_000, true, 60, 'notable'],
    [30_000, true, 74, 'influencer'],
    [300_000, true, 88, 'celebrity'],
    [50_000_000, true, 100, 'celebrity']
  ])('%i followers, verified %s → %i (%s)', (followers, verified, score, tier) => {
    expect(influenceScore({ followers, verified })).toMatchObject({ score, tier });
  });

  it('never decreases with followers, with or without verification', () => {
    for (const verified of [false, true]) {
      let prev = influenceScore({ followers: 0, verified });
      for (let f = 1; f < 1e10; f = Math.ceil(f * 1.37)) {
        const r = influenceScore({ followers: f, verified });
        expect(r.score).toBeGreaterThanOrEqual(prev.score);
        expect(TIER_RANK[r.tier]).toBeGreaterThanOrEqual(TIER_RANK[prev.tier]);
        expect(r.score).toBeLessThanOrEqual(100);
        prev = r;
      }
    }
  });

  it('adds a verified bonus of 10 points until the cap', () => {
    for (const followers of [0, 50, 2_000, 40_000, 700_000]) {
      const plain = influenceScore({ followers, verified: false });
      const verified = influenceScore({ followers, verified: true });
      expect(verified.score - plain.score).toBe(10);
      expect(verified.reasons).toContain('verified (+10)');
      expect(plain.reasons.some((r) => r.startsWith('verified'))).toBe(false);
    }
    expect(influenceScore({ followers: 20_000_000, verified: true }).score).toBe(100);
  });

  it('adds an engagement bonus that grows with engagement and stops at 15', () => {
    const author = { followers: 1_000, verified: false };
    const base = influenceScore(author).score;
    let prev = base;
    for (const n of [0, 1, 5, 20, 100, 1_000, 100_000]) {
      const r = influenceScore(author, { replies: n, reposts: n, likes: n });
      expect(r.score).toBeGreaterThanOrEqual(prev);
      expect(r.score - base).toBeLessThanOrEqual(15);
      prev = r.score;
    }
    expect(prev - base).toBe(15);
    // 5 · log10(1 + 2·10 + 3·5 + 64) = 10 points
    const r = influenceScore(author, { replies: 10, reposts: 5, likes: 64 });
    expect(r.score).toBe(base + 10);
    expect(r.reasons).toEqual([
      '1k followers (+43)',
      'engagement 10 replies, 5 reposts, 64 likes (+10)'
    ]);
    // Engagement can lift the tier: 5k followers (53) + 15 → 68, notable.
    expect(influenceScore({ followers: 5_000, verified: false }).tier).toBe('everyday');
    expect(
      influenceScore(
        { followers: 5_000, verified: false },
        { replies: 500, reposts: 100, likes: 0 }
      ).tier
    ).toBe('notable');
  });

  it('treats missing or invalid numbers as zero', () => {
    for (const followers of [-5, NaN, Infinity]) {
      expect(influenceScore({ followers, verified: false })).toEqual({
        score: 0,
        tier: 'everyday',
        reasons: []
      });
    }
    expect(
      influenceScore({ followers: 0, verified: false }, { replies: -1, reposts: NaN, likes: 0 })
        .score
    ).toBe(0);
  });

  it('explains the score', () => {
    expect(influenceScore({ followers: 2_345_678, verified: true }).reasons).toEqual([
      '2.3M followers (+91)',
      'verified (+10)'
    ]);
    expect(influenceScore({ followers: 950, verified: false }).reasons).toEqual([
      '950 followers (+43)'
    ]);
  });

  it('documents its thresholds from the highest tier down', () => {
    expect(TIER_THRESHOLDS.map((t) => t.tier)).toEqual([
      'celebrity',
      'influencer',
      'notable',
      'everyday'
    ]);
  });
});

describe('influenceOf', () => {
  it('is influenceScore without engagement, minus the reasons', () => {
    const followers = [-5, NaN, Infinity, 0, 0.5, 1, 9, 10, 999, 1000, 9_999, 10_000, 99_999];
    followers.push(100_000, 999_999, 1_000_000, 12_345_678, 1e10);
    for (let f = 1; f < 2e7; f = f * 1.37 + 1) followers.push(Math.round(f));
    for (const f of followers) {
      for (const verified of [false, true]) {
        const { score, tier } = influenceScore({ followers: f, verified });
        expect(influenceOf({ followers: f, verified }), `${f} ${verified}`).toEqual({
          score,
          tier
        });
      }
    }
  });
});

describe('HiddenInfluencers', () => {
  const HOUR = 3_600_000;

  it('flags a 50-follower author drawing 200 replies, not a 2M-follower one', () => {
    const h = new HiddenInfluencers();
    const t0 = 1_700_000_000_000;
    h.recordMention('small', 50, t0);
    h.recordMention('@Famous', 2_000_000, t0);
    for (let i = 0; i < 200; i++) {
      h.recordEngagement('small', 'reply', t0 + i * 1000);
      h.recordEngagement('famous', 'reply', t0 + i * 1000);
    }
    const top = h.top(t0 + HOUR);
    expect(top).toEqual([
      {
        handle: 'small',
        followers: 50,
        engagement: 200,
        expected: Math.round(EXPECTED_PER_SQRT_FOLLOWER * Math.sqrt(50) * 100) / 100,
        ratio: Math.round((200 / (EXPECTED_PER_SQRT_FOLLOWER * Math.sqrt(50))) * 100) / 100
      }
    ]);
    // The 2M author is expected ~283 per mention: 200 is below expectation.
    expect(new HiddenInfluencers({ ratio: 0.5 }).top(t0)).toEqual([]);
  });

  it('needs minEngagement and the ratio', () => {
    const h = new HiddenInfluencers({ minEngagement: 20, ratio: 5 });
    h.recordMention('tiny', 3, 0);
    h.recordEngagement('tiny', 'repost', 0, 19); // ratio 19, but under minEngagement
    h.recordMention('mid', 10_000, 0);
    h.recordEngagement('mid', 'repost', 0, 99); // expected 20: ratio 4.95
    h.recordMention('many', 10_000, 0);
    h.recordMention('many', 10_000, 0);
    h.recordEngagement('many', 'reply', 0, 150); // expected 2 × 20: ratio 3.75
    expect(h.top(1)).toEqual([]);
    h.recordEngagement('tiny', 'reply', 1);
    h.recordEngagement('mid', 'reply', 1);
    expect(h.top(2).map((a) => [a.handle, a.engagement, a.expected, a.ratio])).toEqual([
      ['tiny', 20, 1, 20],
      ['mid', 100, 20, 5]
    ]);
  });

  it('sorts by ratio, then engagement, and returns at most n', () => {
    const h = new HiddenInfluencers();
    const spec: [string, number, number][] = [
      ['a', 100, 100], // expected 2 → 50
      ['b', 1, 80], // expected 1 → 80
      ['c', 1, 90], // expected 1 → 90
      ['d', 1, 90]
    ];
    for (const [handle, followers, replies] of spec) {
      h.recordMention(handle, followers, 0);
      h.recordEngagement(handle, 'reply', 0, replies);
    }
    expect(h.top(0).map((a) => a.handle)).toEqual(['c', 'd', 'b', 'a']);
    expect(h.top(0, 2).map((a) => a.handle)).toEqual(['c', 'd']);
    expect(h.top(0, 0)).toEqual([]);
  });

  it('does not report engagement of an author whose followers are unknown', () => {
    const h = new HiddenInfluencers();
    h.recordEngagement('ghost', 'reply', 0, 500);
    expect(h.top(0)).toEqual([]);
    h.recordMention('Ghost', 10, 1);
    expect(h.top(1)).toMatchObject([{ handle: 'Ghost', followers: 10, engagement: 500 }]);
  });

  it('expires data older than the window, in steps of windowMs / 24', () => {
    const windowMs = 24 * 60_000; // buckets of one minute
    const h = new HiddenInfluencers({ windowMs });
    h.recordMention('alice', 10, 0);
    h.recordEngagement('alice', 'reply', 30_000, 100);
    expect(h.top(windowMs)).toHaveLength(1);
    // The minute [0, 60 s) is wholly outside the window once now - windowMs reaches 60 s.
    expect(h.top(windowMs + 59_999)).toHaveLength(1);
    expect(h.top(windowMs + 60_000)).toEqual([]);
    expect(h.size).toBe(0);
  });

  it('slides: old engagement expires while newer engagement stays', () => {
    const h = new HiddenInfluencers({ windowMs: 24 * HOUR, minEngagement: 20 });
    h.recordMention('bob', 10, 0);
    h.recordEngagement('bob', 'reply', 0, 30);
    h.recordMention('bob', 10, 20 * HOUR);
    h.recordEngagement('bob', 'repost', 20 * HOUR, 15);
    expect(h.top(20 * HOUR)[0]).toMatchObject({ engagement: 45, expected: 2 });
    // At 25 h the first hour is gone: one mention, 15 engagement (< minEngagement).
    expect(h.top(25 * HOUR)).toEqual([]);
    h.recordEngagement('bob', 'reply', 25 * HOUR, 10);
    expect(h.top(25 * HOUR)[0]).toMatchObject({ engagement: 25, expected: 1, ratio: 25 });
  });

  it('accepts out-of-order times', () => {
    const h = new HiddenInfluencers({ windowMs: 24 * HOUR });
    h.recordMention('carol', 10, 5 * HOUR);
    h.recordEngagement('carol', 'reply', 2 * HOUR, 40);
    h.recordEngagement('carol', 'reply', 4 * HOUR, 10);
    expect(h.top(5 * HOUR)[0]?.engagement).toBe(50);
    // The 2 h bucket expires before the 4 h one.
    expect(h.top(27 * HOUR)).toEqual([]);
    h.recordEngagement('carol', 'reply', 27 * HOUR, 15);
    expect(h.top(27 * HOUR)[0]?.engagement).toBe(25);
  });

  it('holds at most maxAuthors, evicting the least recently seen', () => {
    const h = new HiddenInfluencers({ maxAuthors: 100 });
    h.recordMention('keeper', 10, 0);
    for (let i = 0; i < 1_000; i++) {
      h.recordMention(`user${i}`, 10, i);
      h.recordEngagement(`user${i}`, 'reply', i, 50);
      // Engagement with keeper's mention keeps it recently seen.
      if (i % 50 === 0) h.recordEngagement('keeper', 'reply', i, 10);
      expect(h.size).toBeLessThanOrEqual(100);
    }
    h.recordEngagement('keeper', 'reply', 1_000, 50);
    const handles = h.top(1_000, 1_000).map((a) => a.handle);
    expect(handles).toHaveLength(100);
    expect(handles).toContain('keeper');
    expect(handles).toContain('user999');
    expect(handles).not.toContain('user0');
  });

  it('drops stale authors as new ones are recorded, without a top() call', () => {
    const h = new HiddenInfluencers({ windowMs: HOUR });
    for (let i = 0; i < 10; i++) h.recordMention(`old${i}`, 10, 0);
    expect(h.size).toBe(10);
    for (let i = 0; i < 10; i++) h.recordMention(`new${i}`, 10, 2 * HOUR);
    expect(h.size).toBe(10);
  });

  it('ignores zero or invalid engagement counts', () => {
    const h = new HiddenInfluencers({ minEngagement: 1, ratio: 1 });
    h.recordMention('dan', 0, 0);
    h.recordEngagement('dan', 'reply', 0, 0);
    h.recordEngagement('dan', 'reply', 0, -3);
    h.recordEngagement('dan', 'repost', 0, NaN);
    expect(h.top(0)).toEqual([]);
  });

  it('hasNormalised(h) is has(h) for a handle normalised once, as the pipeline keeps them', () => {
    const h = new HiddenInfluencers();
    // The pipeline records authors by handles normalised once (core/pipeline.ts normaliseHandle):
    // '@Ana' → 'ana', '@@Bo' → '@bo'.
    h.recordMention('ana', 10, 0);
    h.recordMention('@bo', 10, 0);
    for (const once of ['ana', '@bo', 'carol', 'bo', '@', '']) {
      expect(h.hasNormalised(once), once).toBe(h.has(once));
    }
    expect(h.hasNormalised('ana')).toBe(true);
    expect(h.hasNormalised('@bo')).toBe(true);
  });
});
