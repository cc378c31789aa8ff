import { CHANNELS } from '../../../src/lib/shared/types';
import { SKETCH_BUCKETS, sketchQuantile } from '../window/quantile';
import { F, type MinuteRollup } from '../window/rolling-windows';
import { INFLUENCE_TIERS, type AlertRule, type InfluenceTier } from '../../../src/lib/shared/types';
import type { StoredMatch } from '../../ports';
import { matchesTerm, type BacktestMinute } from './rules';

const MINUTE = 60_000;

/**
 * Stored minute rollups as the per-minute history a rule back-test reads: one row per minute in
 * [from, to) (minutes without a rollup are zeros), ascending. `matches` gives, per minute start,
 * the mentions matching a keyword or influencer rule (counted by the store); 0 elsewhere.
 */
export function historyFromRollups(
  rollups: readonly MinuteRollup[],
  from: number,
  to: number,
  matches: ReadonlyMap<number, number> = new Map()
): BacktestMinute[] {
  const byStart = new Map<number, MinuteRollup>();
  for (const r of rollups) byStart.set(r.start, r);
  const out: BacktestMinute[] = [];
  const dense = new Float64Array(SKETCH_BUCKETS);
  for (let t = Math.ceil(from / MINUTE) * MINUTE; t < to; t += MINUTE) {
    const r = byStart.get(t);
    const c = r?.counts ?? [];
    const at = (i: number): number => c[i] ?? 0;
    const replies = at(F.replies);
    let p50: number | null = null;
    let p90: number | null = null;
    if (r && replies > 0 && r.sketch.length > 0) {
      dense.fill(0);
      for (let k = 0; k + 1 < r.sketch.length; k += 2) dense[r.sketch[k]!] = r.sketch[k + 1]!;
      const q50 = sketchQuantile(dense, 0.5, 0, replies);
      const q90 = sketchQuantile(dense, 0.9, 0, replies);
      p50 = q50 === null ? null : Math.round(q50);
      p90 = q90 === null ? null : Math.round(q90);
    }
    out.push({
      start: t,
      total: at(F.total),
      byChannel: CHANNELS.map((_, i) => at(F.channel0 + i)),
      negative: at(F.negative),
      neutral: at(F.neutral),
      positive: at(F.positive),
      unanswered: Math.max(0, at(F.customer) - at(F.answered)),
      p50Ms: p50,
      p90Ms: p90,
      matches: matches.get(t) ?? 0
    });
  }
  return out;
}

/**
 * What to ask the store for a keyword or influencer rule's back-test: a plain substring per
 * term (its longest word: a cheap prefilter that `matchesByMinute` makes exact) or the tiers at
 * or above the rule's; null for the other kinds, whose history is the rollups.
 */
export function matchQuery(rule: AlertRule): { textLike?: string[]; tiers?: string[] } | null {
  if (rule.kind === 'keyword') {
    return {
      textLike: rule.terms.map(
        (t) =>
          t
            .toLowerCase()
            .split(/[^\p{L}\p{N}]+/u)
            .sort((a, b) => b.length - a.length)[0] ?? t
      )
    };
  }
  if (rule.kind === 'influencer') {
    const min = INFLUENCE_TIERS.indexOf(rule.minTier);
    return { tiers: INFLUENCE_TIERS.slice(min) };
  }
  return null;
}

/**
 * Mentions per minute start that a keyword rule (any term, whole words) or an influencer rule
 * (tier, negativity) matches, within the rule's scope: the `matches` of its back-test history.
 */
export function matchesByMinute(
  rule: AlertRule,
  rows: readonly StoredMatch[]
): Map<number, number> {
  const out = new Map<number, number>();
  const min =
    rule.kind === 'influencer' ? INFLUENCE_TIERS.indexOf(rule.minTier) : Number.POSITIVE_INFINITY;
  for (const r of rows) {
    const s = rule.scope;
    if (s.channel !== undefined && r.channel !== s.channel) continue;
    if (s.topic !== undefined && !r.topics.includes(s.topic)) continue;
    if (s.sentiment !== undefined && r.sentiment !== s.sentiment) continue;
    let hit = false;
    if (rule.kind === 'keyword') hit = rule.terms.some((t) => matchesTerm(r.text, t));
    else if (rule.kind === 'influencer') {
      hit =
        INFLUENCE_TIERS.indexOf(r.influenceTier as InfluenceTier) >= min &&
        (!rule.negativeOnly || r.sentiment === 'negative');
    }
    if (!hit) continue;
    const minute = Math.floor(r.createdAt / MINUTE) * MINUTE;
    out.set(minute, (out.get(minute) ?? 0) + 1);
  }
  return out;
}
