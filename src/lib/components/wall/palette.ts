import type { Channel, SentimentLabel } from '$lib/shared/types';

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
