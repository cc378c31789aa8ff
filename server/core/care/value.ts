import { z } from 'zod';
import type { CareValue, CareValueAssumptions } from '../../../src/lib/shared/types';

/*
 * The value of social care: an ROI model a director reads in five seconds, with every
 * assumption one click away.
 *
 *   1. Each customer issue resolved on social would otherwise have become a phone call, a web
 *      chat or an e-mail, in the shares of the deflection mix; the rest of the issues (when the
 *      mix adds up to less than 1) would have used self-service.
 *   2. Avoided cost = Σ deflected contacts × cost per contact of that channel
 *                     + the rest × cost per self-service contact.
 *   3. Social cost  = resolved × social cost per contact, which is the phone cost divided by
 *      the social productivity multiplier (a social agent clears N× the contacts per hour of a
 *      phone agent at a similar hourly cost).
 *   4. Savings = avoided cost − social cost, scaled per day, per week and per 30-day month.
 *
 * Beside the money, post-resolution sentiment gives a promoter/detractor split and an "NPS
 * proxy". It is NOT a Net Promoter Score: nobody was asked how likely they are to recommend.
 *
 * Money amounts in the report are rounded to cents, and the savings are the difference of the
 * rounded amounts, so the lines of the explanation add up exactly. Contact counts are expected
 * values and may be fractional (25 % of 7 issues is 1.75 chats).
 */

/**
 * Published estimates behind the defaults. They are industry rules of thumb, repeated widely in
 * contact-centre and social-care literature; they vary by industry, country and year, and each
 * brand should replace them with its own numbers.
 */
export const SOURCES: readonly { topic: string; description: string }[] = [
  {
    topic: 'cost per contact',
    description:
      'Industry benchmark of cost per contact by channel: call centre $6–12, web chat $5, ' +
      'e-mail $2.50–5, self-service $0.10 (US dollars, fully loaded). Defaults take the ' +
      'midpoints of the ranges: phone $9, e-mail $3.75.'
  },
  {
    topic: 'social agent productivity',
    description:
      'A social agent handles four to eight times as many issues per hour as a phone agent, ' +
      'because replies are short, asynchronous and several conversations run at once. ' +
      'Default: 6, the midpoint.'
  },
  {
    topic: 'deflection mix',
    description:
      'No published source: which channel a customer would have used instead of social is ' +
      'an assumption of this model (default phone 60 %, chat 25 %, e-mail 15 %). Set it from ' +
      'your own channel volumes or a customer survey.'
  }
];

/** Sentiment score at and above which a customer counts as a promoter. */
export const PROMOTER_MIN_SCORE = 0.5;
/**
 * Sentiment score at and below which a customer counts as a detractor. Scores between the two
 * are passives. The split is lopsided on purpose, like NPS (only 9–10 out of 10 promote, 0–6
 * detract): anything clearly negative detracts (−0.05 is the usual neutral band of VADER-style
 * compound scores), and only a clearly warm reply promotes.
 */
export const DETRACTOR_MAX_SCORE = -0.05;
/** Days in the "per month" figure. */
export const DAYS_PER_MONTH = 30;

const DAY_MS = 86_400_000;
/** Largest cost per contact accepted, a guard against typing cents as units and the like. */
const COST_MAX = 10_000;
/** Rounding slack when checking that the deflection shares add up to at most 1. */
const MIX_EPSILON = 1e-9;

function cost(what: string): z.ZodNumber {
  return z
    .number({ error: `must be the cost of one ${what}, a number` })
    .finite(`must be a finite number`)
    .min(0, `must not be negative (the cost of one ${what})`)
    .max(COST_MAX, `must be at most ${COST_MAX} (the cost of one ${what})`);
}

function share(channel: string): z.ZodNumber {
  return z
    .number({ error: `must be the share of social issues that would have been ${channel}` })
    .finite('must be a finite number')
    .min(0, `must be at least 0 (the share that would have been ${channel})`)
    .max(1, `must be at most 1 (the share that would have been ${channel})`);
}

/** Assumptions of the value model: the wire contract's CareValueAssumptions (documented there). */
export type ValueAssumptions = CareValueAssumptions;

/**
 * The defaults. Costs and productivity are the published estimates in SOURCES (midpoints of the
 * ranges). The deflection mix is an assumption the user should set: by default 60 % of issues
 * resolved on social would have been phone calls (the channel most customers fall back to when a
 * public post goes unanswered), 25 % web chats and 15 % e-mails, which adds up to 1 (no
 * self-service).
 */
export const DEFAULT_VALUE_ASSUMPTIONS: ValueAssumptions = {
  currency: 'USD',
  costPerContact: { phone: 9, chat: 5, email: 3.75, selfService: 0.1 },
  socialProductivity: 6,
  deflectionMix: { phone: 0.6, chat: 0.25, email: 0.15 }
};

/**
 * Validates value assumptions, with a message per field that says what it is. Missing fields
 * take their DEFAULT_VALUE_ASSUMPTIONS value (a missing group takes the whole default group);
 * negative costs, a productivity of 0 or less, shares outside 0–1 and a deflection mix adding up
 * to more than 1 are refused. The currency is upper-cased.
 */
export const ValueAssumptionsSchema = z.strictObject({
  currency: z
    .string({ error: 'must be a currency code such as USD or EUR' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as USD or EUR')
    .default(DEFAULT_VALUE_ASSUMPTIONS.currency),
  costPerContact: z
    .strictObject(
      {
        phone: cost('phone call').default(DEFAULT_VALUE_ASSUMPTIONS.costPerContact.phone),
        chat: cost('web chat').default(DEFAULT_VALUE_ASSUMPTIONS.costPerContact.chat),
        email: cost('e-mail').default(DEFAULT_VALUE_ASSUMPTIONS.costPerContact.email),
        selfService: cost('self-service contact').default(
          DEFAULT_VALUE_ASSUMPTIONS.costPerContact.selfService
        )
      },
      { error: 'must give the cost per contact of phone, chat, email and selfService' }
    )
    .default({ ...DEFAULT_VALUE_ASSUMPTIONS.costPerContact }),
  socialProductivity: z
    .number({ error: 'must be a number: contacts per hour of a social agent ÷ a phone agent' })
    .finite('must be a finite number')
    .gt(0, 'must be more than 0 (how many times as many contacts per hour as a phone agent)')
    .max(100, 'must be at most 100')
    .default(DEFAULT_VALUE_ASSUMPTIONS.socialProductivity),
  deflectionMix: z
    .strictObject(
      {
        phone: share('phone calls').default(DEFAULT_VALUE_ASSUMPTIONS.deflectionMix.phone),
        chat: share('web chats').default(DEFAULT_VALUE_ASSUMPTIONS.deflectionMix.chat),
        email: share('e-mails').default(DEFAULT_VALUE_ASSUMPTIONS.deflectionMix.email)
      },
      { error: 'must give the shares of phone, chat and email' }
    )
    .default({ ...DEFAULT_VALUE_ASSUMPTIONS.deflectionMix })
    .superRefine((mix, ctx) => {
      const sum = mix.phone + mix.chat + mix.email;
      if (sum > 1 + MIX_EPSILON) {
        ctx.addIssue({
          code: 'custom',
          message:
            `deflectionMix shares must add up to at most 1, they add up to ${round(sum, 6)} ` +
            `(phone ${mix.phone} + chat ${mix.chat} + email ${mix.email})`
        });
      }
    })
});

/**
 * Cost of one social contact, derived: phone cost / productivity (a social agent clears N× the
 * contacts per hour at a similar hourly cost). $9 / 6 = $1.50 with the defaults.
 */
export function socialCostPerContact(a: ValueAssumptions): number {
  return a.costPerContact.phone / a.socialProductivity;
}

/** What happened in a period, the input of valueOfCare. */
export interface ValueFacts {
  /** Start (inclusive) and end (exclusive) of the period, epoch ms. */
  from: number;
  to: number;
  /** Customer issues resolved on social in [from,to). */
  resolved: number;
  /** Post-resolution customer sentiment scores in [-1,1]. */
  postSentiment: number[];
}

/** The value of social care over a period; money in `currency`, rounded to cents. */
export type ValueReport = CareValue['value'];

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function cents(x: number): number {
  // A nudge away from zero rounds amounts that floats store just under half a cent as written
  // (1.005 · 100 = 100.4999…), and halves away from zero on both sides; `|| 0` turns −0 into 0.
  return Math.round(x * 100 + Math.sign(x) * 1e-7) / 100 || 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const SIGNED = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero'
});

/**
 * The value of social care over a period (see the model at the top of this file). The
 * assumptions are validated with ValueAssumptionsSchema (a ZodError when invalid). Throws a
 * RangeError when the period is not finite or ends before it starts, when `resolved` is not a
 * non-negative finite number, or when issues are resolved in an empty period. An empty period
 * with nothing resolved reports zeros. Non-finite sentiment scores are not counted.
 */
export function valueOfCare(f: ValueFacts, a: ValueAssumptions): ValueReport {
  const assumptions = ValueAssumptionsSchema.parse(a);
  if (!Number.isFinite(f.from) || !Number.isFinite(f.to) || f.to < f.from) {
    throw new RangeError(`the period must be finite and end after it starts (${f.from}–${f.to})`);
  }
  if (!Number.isFinite(f.resolved) || f.resolved < 0) {
    throw new RangeError(`resolved must be a non-negative number (got ${f.resolved})`);
  }
  const days = (f.to - f.from) / DAY_MS;
  if (days === 0 && f.resolved > 0) {
    throw new RangeError(`${f.resolved} issues cannot be resolved in an empty period`);
  }

  const { costPerContact: c, deflectionMix: mix, currency } = assumptions;
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const resolved = f.resolved;
  const phone = resolved * mix.phone;
  const chat = resolved * mix.chat;
  const email = resolved * mix.email;
  const total = phone + chat + email;
  const rest = Math.max(0, resolved - total);
  const avoidedCost = cents(
    phone * c.phone + chat * c.chat + email * c.email + rest * c.selfService
  );
  const unitSocial = socialCostPerContact(assumptions);
  const socialCost = cents(resolved * unitSocial);
  const savings = cents(avoidedCost - socialCost);
  const perDay = days === 0 ? 0 : cents(savings / days);
  const perWeek = days === 0 ? 0 : cents((savings / days) * 7);
  const perMonth = days === 0 ? 0 : cents((savings / days) * DAYS_PER_MONTH);

  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const s of f.postSentiment) {
    if (!Number.isFinite(s)) continue;
    if (s >= PROMOTER_MIN_SCORE) promoters++;
    else if (s <= DETRACTOR_MAX_SCORE) detractors++;
    else passives++;
  }
  const n = promoters + passives + detractors;
  const npsProxy = n === 0 ? null : ((promoters - detractors) / n) * 100;

  const deflectionLine = (label: string, count: number, share: number, unit: number): string =>
    `${label}: ${PERCENT.format(share)} of ${COUNT.format(resolved)} = ${COUNT.format(count)} ` +
    `avoided × ${money.format(unit)} = ${money.format(count * unit)}`;
  const explanation = [
    `Period: ${COUNT.format(days)} days; ${COUNT.format(resolved)} customer issues resolved on social.`,
    deflectionLine('Phone calls', phone, mix.phone, c.phone),
    deflectionLine('Web chats', chat, mix.chat, c.chat),
    deflectionLine('E-mails', email, mix.email, c.email),
    ...(rest > 0
      ? [
          `Self-service: the other ${COUNT.format(rest)} × ${money.format(c.selfService)} = ` +
            money.format(rest * c.selfService)
        ]
      : []),
    `Avoided cost: ${money.format(avoidedCost)}`,
    `Social cost: ${COUNT.format(resolved)} × ${money.format(unitSocial)} ` +
      `(phone ${money.format(c.phone)} ÷ social productivity ${COUNT.format(assumptions.socialProductivity)}) = ` +
      money.format(socialCost),
    `Savings: ${money.format(avoidedCost)} − ${money.format(socialCost)} = ${money.format(savings)}`,
    days === 0
      ? 'Per day, week and month: none for an empty period.'
      : `Per day ${money.format(perDay)}, per week ${money.format(perWeek)}, ` +
        `per month (${DAYS_PER_MONTH} days) ${money.format(perMonth)}`,
    npsProxy === null
      ? 'Sentiment after resolution: no scores, no NPS proxy.'
      : `Sentiment after resolution: ${plural(promoters, 'promoter')} (score ≥ ` +
        `${PROMOTER_MIN_SCORE}), ${plural(passives, 'passive')}, ${plural(detractors, 'detractor')} ` +
        `(score ≤ ${DETRACTOR_MAX_SCORE}) of ${n}; ` +
        `NPS proxy ${SIGNED.format(npsProxy)} (from sentiment, not a survey).`
  ];

  return {
    currency,
    days,
    resolved,
    deflected: { phone, chat, email, total },
    avoidedCost,
    socialCost,
    savings,
    perDay,
    perWeek,
    perMonth,
    promoters,
    passives,
    detractors,
    npsProxy,
    assumptions,
    explanation
  };
}
