import type { Sentiment } from '../../../src/lib/shared/types';
import type { InfluenceTier } from './influence';
import { PhraseMatcher, type Intent } from './intent';

/*
 * Triage priority of a mention, 0–100: a weighted sum of five explainable factors.
 *
 *   negativity  ≤ 30  30 · max(0, −sentiment score)     −0.8 → +24
 *   intent      ≤ 20  complaint 20, question 12, purchase 8, other 3, praise 0
 *   influence   ≤ 20  20 · (influence / 100)²            1k followers +4, 1M +15
 *   waiting     ≤ 20  20 · (1 − e^(−minutes / 80))       15 min +3, 1 h +11, 2 h +16, 4 h +19
 *   risk terms  ≤ 35  +25 for the first distinct term, +5 for each further one
 *
 * Each factor is rounded to whole points; the sum is clamped to 0–100. Risk terms outweigh any
 * single other factor on purpose: a legal, safety or security mention must reach a human fast.
 */

/** Most points from negative sentiment (at score −1). */
export const NEGATIVITY_MAX = 30;
/** Points per intent: complaint > question > purchase > other > praise. */
export const INTENT_POINTS: Readonly<Record<Intent, number>> = {
  complaint: 20,
  question: 12,
  purchase: 8,
  other: 3,
  praise: 0
};
/** Most points from influence (at influence 100); grows with the square of the score. */
export const INFLUENCE_MAX = 20;
/** Most points from waiting time, approached after about 4 hours. */
export const WAITING_MAX = 20;
/** Minutes of the waiting curve's time constant: 63 % of WAITING_MAX after 80 minutes. */
export const WAITING_TAU_MINUTES = 80;
/** Points for the first risk term and for each further distinct one, and their cap. */
export const RISK_FIRST = 25;
export const RISK_EACH_FURTHER = 5;
export const RISK_MAX = 35;

/**
 * Legal, safety, security and outage terms, matched as whole words or phrases, case-insensitive.
 * A trailing `*` is a stem: "recall*" matches "recall", "recalled", "recalls", "recalling".
 * Without a star only the listed form matches: "down" does not match "downtown".
 */
export const RISK_TERMS: readonly string[] = `
  lawsuit*, sue, sued, sues, suing, lawyer*, attorney*, legal action, class action, court case,
  regulator*, recall*, injury, injuries, injured, injuring, hurt, hurts, burned, burnt, burns,
  outage*, down, data breach*, breach*, hacked, hacker, hackers, hack, leak, leaks, leaked,
  leaking, safety, unsafe, dangerous, fire, caught fire, explosion*, exploded, explode, explodes,
  poisoning, poisoned, food poisoning, toxic, contaminated, contamination, allergic reaction,
  choking, hospital, hospitalized, hospitalised, discrimination, discriminated, discriminating,
  racist, racism, sexist, harassment, harassed, fraud*, identity theft, stolen data,
  privacy violation, boycott
`
  .split(',')
  .map((t) => t.trim())
  .filter((t) => t !== '');

/**
 * Phrases that contain a risk term without the risk ("let me down", "calm down", "fire sale").
 * They shadow the term because the matcher takes the longest phrase at each position.
 */
export const RISK_STOP_PHRASES: readonly string[] = `
  let me down, let us down, let you down, letting me down, letting us down, calm down,
  down to earth, down payment, thumbs down, upside down, sit down, slow down, hands down,
  down the road, down the street, count down, top down, write down,
  is fire, so fire, straight fire, pure fire, fire sale, fire tv, fire stick, fire tablet,
  hurt my feelings
`
  .split(',')
  .map((t) => t.trim())
  .filter((t) => t !== '');

const RISK_MATCHER = new PhraseMatcher([...RISK_TERMS, ...RISK_STOP_PHRASES]);
const RISK_COUNT = RISK_TERMS.length;
/**
 * Cheap native pre-check: does the first word (up to a space, apostrophe or hyphen) of any risk
 * term start a word in the text? Most mentions have none, and this skips the exact scan for them.
 * It is a superset of the scan: any character that is not an ASCII letter or digit counts as a
 * word boundary, more than the scanner allows.
 */
const RISK_FIRST_WORDS = new Set(
  RISK_TERMS.map((t) => t.replace(/\*$/, '').split(/[ '-]/)[0] ?? '')
);
const RISK_PREFILTER = new RegExp(`(?:^|[^a-z0-9])(?:${[...RISK_FIRST_WORDS].join('|')})`, 'i');

/** Input of triagePriority. */
export interface TriageInput {
  text: string;
  sentiment: Pick<Sentiment, 'score' | 'label'>;
  intent: Intent;
  influence: { score: number; tier: InfluenceTier };
  /** Time a customer mention has waited without a brand reply, ms; null when not applicable. */
  waitingMs: number | null;
}

/** Priority 0–100 (integer) and the factors behind it, largest first, each with its points. */
export interface TriageResult {
  score: number;
  reasons: string[];
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function waitingLabel(minutes: number): string {
  if (minutes < 60) return `waiting ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `waiting ${h} h` : `waiting ${h} h ${m} min`;
}

// Labels of the bounded factors, built once: "negative sentiment (+24)", "complaint intent (+20)",
// "celebrity author (+15)".
const NEGATIVITY_LABELS = Array.from(
  { length: NEGATIVITY_MAX + 1 },
  (_, p) => `negative sentiment (+${p})`
);
const INTENT_LABELS = Object.fromEntries(
  Object.entries(INTENT_POINTS).map(([intent, p]) => [intent, `${intent} intent (+${p})`])
) as Record<Intent, string>;
const TIERS: readonly InfluenceTier[] = ['everyday', 'notable', 'influencer', 'celebrity'];
const INFLUENCE_LABELS = Object.fromEntries(
  TIERS.map((tier) => [
    tier,
    Array.from({ length: INFLUENCE_MAX + 1 }, (_, p) => `${tier} author (+${p})`)
  ])
) as Record<InfluenceTier, string[]>;

// Scratch for the reasons and the risk terms seen, reused across calls.
const points: number[] = [];
const labels: string[] = [];
const seenTerms: number[] = [];
let factorCount = 0;

function addFactor(p: number, label: string): void {
  if (p <= 0) return;
  // Insertion keeps the largest first; equal points keep their order of addition.
  let i = factorCount++;
  while (i > 0 && (points[i - 1] ?? 0) < p) {
    points[i] = points[i - 1] ?? 0;
    labels[i] = labels[i - 1] ?? '';
    i--;
  }
  points[i] = p;
  labels[i] = label;
}

/**
 * Triage priority of a mention: integer 0–100, the sum of negativity, intent, influence, waiting
 * time and risk-term points (see the table at the top of this file), clamped. Reasons list the
 * factors that contributed, largest first, e.g. `risk term "data breach" (+25)`,
 * `negative sentiment (+24)`.
 */
export function triagePriority(input: TriageInput): TriageResult {
  factorCount = 0;
  let total = 0;

  const negativity = Math.round(NEGATIVITY_MAX * clamp01(-input.sentiment.score));
  total += negativity;
  addFactor(negativity, NEGATIVITY_LABELS[negativity] ?? '');

  const intentPoints = INTENT_POINTS[input.intent] ?? 0;
  total += intentPoints;
  addFactor(intentPoints, INTENT_LABELS[input.intent] ?? '');

  const reach = clamp01(input.influence.score / 100);
  const influencePoints = Math.round(INFLUENCE_MAX * reach * reach);
  total += influencePoints;
  addFactor(
    influencePoints,
    INFLUENCE_LABELS[input.influence.tier]?.[influencePoints] ??
      `${input.influence.tier} author (+${influencePoints})`
  );

  if (input.waitingMs !== null && input.waitingMs > 0) {
    const minutes = input.waitingMs / 60_000;
    const waiting = Math.round(WAITING_MAX * (1 - Math.exp(-minutes / WAITING_TAU_MINUTES)));
    total += waiting;
    addFactor(waiting, `${waitingLabel(Math.round(minutes))} (+${waiting})`);
  }

  const text = input.text;
  const hits = RISK_PREFILTER.test(text) ? RISK_MATCHER.scan(text) : 0;
  let risk = 0;
  let seen = 0;
  for (let k = 0; k < hits && risk < RISK_MAX; k++) {
    const id = RISK_MATCHER.hitIds[k] ?? RISK_COUNT;
    if (id >= RISK_COUNT) continue;
    let repeated = false;
    for (let s = 0; s < seen && !repeated; s++) repeated = seenTerms[s] === id;
    if (repeated) continue;
    const p = Math.min(RISK_MAX - risk, seen === 0 ? RISK_FIRST : RISK_EACH_FURTHER);
    seenTerms[seen++] = id;
    risk += p;
    // The term as written ("recalled" for "recall*"); only built when a term is found.
    const found = text
      .slice(RISK_MATCHER.hitStarts[k] ?? 0, RISK_MATCHER.hitEnds[k] ?? 0)
      .toLowerCase()
      .replace(/\s+/g, ' ');
    addFactor(p, `risk term "${found}" (+${p})`);
  }
  total += risk;

  const reasons = labels.slice(0, factorCount);
  return { score: Math.min(100, Math.max(0, Math.round(total))), reasons };
}
