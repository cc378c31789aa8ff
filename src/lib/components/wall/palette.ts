import type { Channel, Intent, SentimentLabel } from '$lib/shared/types';

/**
 * One colour per channel, from the Okabe–Ito family where possible. Bluish green and vermillion
 * are left out on purpose: they mean positive and negative sentiment everywhere on the wall.
 */
export const CHANNEL_COLORS: Record<Channel, string> = {
  twitter: '#56B4E9',
  facebook: '#2F86D1',
  instagram: '#CC79A7',
  reddit: '#E69F00',
  forum: '#F0E442',
  review: '#A78BFA',
  news: '#B0B7C0',
  bluesky: '#1DD3B0',
  mastodon: '#7B7CFF'
};

/** The neutral text colour, used for totals. */
export const TEXT_COLOR = '#E6E8EB';

/** How each sentiment is shown: an Okabe–Ito colour plus a symbol and a word (colour-blind safe). */
export const SENTIMENT_STYLE: Record<
  SentimentLabel,
  { color: string; symbol: string; word: string }
> = {
  negative: { color: '#D55E00', symbol: '▼', word: 'Negative' },
  neutral: { color: '#9AA0A6', symbol: '●', word: 'Neutral' },
  positive: { color: '#009E73', symbol: '▲', word: 'Positive' }
};

/**
 * A mention in a language the sentiment engine does not score (counted as neutral): a dim grey and
 * a hollow symbol, so it never reads as a scored neutral.
 */
export const UNSCORED_STYLE = {
  color: '#6E757D',
  symbol: '○',
  word: 'Unscored',
  title: 'Language not scored: sentiment counted as neutral'
} as const;

/** Intent chips in the river; `other` shows no chip. */
export const INTENT_STYLE: Record<Exclude<Intent, 'other'>, { word: string; title: string }> = {
  complaint: { word: 'complaint', title: 'Intent: complaint' },
  question: { word: 'question', title: 'Intent: question' },
  praise: { word: 'praise', title: 'Intent: praise' },
  purchase: { word: 'purchase', title: 'Intent: purchase' }
};

/** Triage priority (0–100) from which the river shows a badge, and from which it is filled. */
export const PRIORITY_BADGE_MIN = 60;
export const PRIORITY_URGENT_MIN = 80;

/** High priority and rising terms: Okabe–Ito orange, the wall's warning colour. */
export const WARN_COLOR = '#E69F00';

/** Topic count bars: the neutral text colour of totals, dimmed so the numbers stand out. */
export const TOPIC_BAR_COLOR = 'rgba(230, 232, 235, 0.72)';

/** Growth above which an emerging term is marked as rising. */
export const RISING_GROWTH = 1.5;

/** The rising marker of an emerging term (an arrow, not ▲, which means positive sentiment). */
export const RISING_STYLE = { color: WARN_COLOR, symbol: '↑', word: 'rising' } as const;
