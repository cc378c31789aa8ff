import { CHANNELS } from '../../../../src/lib/shared/types.js';
import type { Author, Channel, Geo, Mention } from '../../../../src/lib/shared/types.js';

/** Settings of the mention simulator (see DEFAULT_SIMULATOR_OPTIONS for the usual values). */
export interface SimulatorOptions {
  /** PRNG seed: same seed and same `next` call sequence give identical output. */
  seed: number;
  /** Mean customer mentions per wall-clock second at the daily average. */
  rate: number;
  /** Author handle of brand replies, e.g. '@NorthwindHelp'. */
  brandHandle: string;
  /** Brand name used in texts, e.g. 'Northwind'. */
  brandName: string;
  /** Demo time compression: divides reply delays and speeds up the daily cycle. */
  timeScale: number;
  /** Mean wall-clock ms between crisis scenarios; 0 disables them. */
  crisisEveryMs: number;
  /** Mention.source of every mention, default 'simulator'. */
  source?: string;
  /**
   * Competitors that about COMPETITOR_SHARE of ordinary mentions name, default
   * DEFAULT_SIMULATOR_OPTIONS.competitors; [] disables the chatter.
   */
  competitors?: readonly string[];
}

/** A deterministic mention generator driven by the caller's clock. */
export interface Simulator {
  /** All mentions due in (previous now, now], ascending createdAt; [] if now did not advance. */
  next(now: number): Mention[];
  /** Brand replies scheduled but not yet emitted (never more than MAX_PENDING_REPLIES). */
  pendingReplies(): number;
}

/** Defaults for the tunable simulator options. */
export const DEFAULT_SIMULATOR_OPTIONS = {
  rate: 5,
  timeScale: 1,
  crisisEveryMs: 300_000,
  source: 'simulator',
  competitors: ['Contoso', 'Fabrikam']
} as const;

/** Upper bound on scheduled brand replies; further replies are dropped so memory stays bounded. */
export const MAX_PENDING_REPLIES = 100_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Long calls are cut into chunks so the daily cycle and crisis ramps are followed closely.
const MAX_CHUNK_MS = 1_000;
// At very high rates chunks shrink so the scratch buffer stays around this many mentions.
const MAX_CHUNK_MENTIONS = 16_384;
const POISSON_NORMAL_THRESHOLD = 30;

/** Log-normal reply delay: median 12 min, P(delay <= 60 min) = 0.77 (z_0.77 = 0.7388). */
const REPLY_DELAY_MU = Math.log(12 * 60_000);
const REPLY_DELAY_SIGMA = Math.log(5) / 0.7388;

/** Index into [negative, neutral, positive]. */
type SentimentIdx = 0 | 1 | 2;
const NEG = 0;
const NEU = 1;

/** A uniform random draw in [0, 1) (seeded: the same seed gives the same stream). */
export type Rng = () => number;

/** A small, fast seeded generator (mulberry32). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives independent stream seeds so e.g. crisis timing does not depend on traffic volume. */
function streamSeed(seed: number, stream: number): number {
  const lo = seed | 0;
  const hi = Math.floor(seed / 4294967296) | 0;
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(hi + stream, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function expSample(rng: Rng): number {
  return -Math.log(1 - rng());
}

/** A standard normal draw (Box–Muller). */
export function normalSample(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function poissonSample(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda >= POISSON_NORMAL_THRESHOLD) {
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normalSample(rng)));
  }
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

/** A uniformly chosen item. */
export function pickFrom<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** Cumulative shares of `weights` (the last is exactly 1), for `pickIndex`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]! / total;
    out[i] = acc;
  }
  out[weights.length - 1] = 1;
  return out;
}

/** An index drawn with the weights `cum` was made from. */
export function pickIndex(rng: Rng, cum: Float64Array): number {
  const u = rng();
  let i = 0;
  while (i < cum.length - 1 && u >= cum[i]!) i++;
  return i;
}

/** Share of mentions per channel, in percent. */
const CHANNEL_WEIGHTS: Record<Channel, number> = {
  twitter: 45,
  facebook: 15,
  instagram: 12,
  reddit: 10,
  forum: 6,
  review: 7,
  news: 5,
  // The simulator models the classic channels; Bluesky and Mastodon come from live connectors.
  bluesky: 0,
  mastodon: 0
};
const CHANNEL_ORDER: readonly Channel[] = CHANNELS;
const CHANNEL_CUM = cumulative(CHANNELS.map((c) => CHANNEL_WEIGHTS[c]));
// Crises are loudest where people complain in public; nobody reviews a product over an outage.
const CRISIS_CHANNEL_CUM = cumulative([62, 12, 6, 12, 5, 0, 3, 0, 0]);
const REPLY_CHANNELS = new Set<Channel>(['twitter', 'facebook', 'instagram']);

/** [negative, neutral, positive] weights per channel, overall about 35/40/25. */
const SENTIMENT_CUM: readonly Float64Array[] = [
  cumulative([38, 40, 22]),
  cumulative([35, 40, 25]),
  cumulative([25, 35, 40]),
  cumulative([38, 45, 17]),
  cumulative([30, 55, 15]),
  cumulative([38, 12, 50]),
  cumulative([25, 55, 20]),
  cumulative([35, 40, 25]),
  cumulative([35, 40, 25])
];

const REPLY_PROBABILITY: readonly number[] = [0.55, 0.35, 0.25];

/**
 * Customers who answer the brand's reply, and what they say: the care side's resolution,
 * private-channel hand-offs and thank-yous need conversations, not single posts. Drawn from
 * their own random stream, so the rest of a seed's stream is unchanged.
 */
const FOLLOW_UP_PROBABILITY = 0.45;
/** Log-normal follow-up delay after the brand's reply: median 6 minutes. */
const FOLLOW_UP_DELAY_MU = Math.log(6 * 60_000);
const FOLLOW_UP_DELAY_SIGMA = 0.8;
const FOLLOW_UPS: readonly { weight: number; texts: readonly string[] }[] = [
  {
    weight: 0.45,
    texts: [
      'That fixed it, thank you so much!',
      'Got my refund, thanks for sorting it so fast',
      'Thanks for delivering my order today, great service',
      'Works now, appreciate the quick help',
      'Sorted, thank you! You guys are great'
    ]
  },
  {
    weight: 0.3,
    texts: [
      'Just sent you a DM with my order number',
      'DMed you the details',
      'Sent the info in a direct message'
    ]
  },
  {
    weight: 0.25,
    texts: [
      'Still not fixed and nobody replied to my DM',
      'Still waiting, this is not resolved at all',
      'That did not help, it is still broken'
    ]
  }
];

/**
 * Share of ordinary mentions (not crisis posts, replies or follow-ups) that name a competitor,
 * for share of voice. Only social posts do (reviews and news keep their own styles), so a social
 * post names one with probability COMPETITOR_SHARE / (the social channels' share). Drawn from
 * their own random stream, so the rest of a seed's stream is unchanged.
 */
const COMPETITOR_SHARE = 0.05;
const COMPETITOR_CHANNELS = new Set<Channel>([
  'twitter',
  'facebook',
  'instagram',
  'reddit',
  'forum'
]);
const COMPETITOR_PROBABILITY =
  COMPETITOR_SHARE /
  (CHANNELS.filter((c) => COMPETITOR_CHANNELS.has(c)).reduce((a, c) => a + CHANNEL_WEIGHTS[c], 0) /
    CHANNELS.reduce((a, c) => a + CHANNEL_WEIGHTS[c], 0));
const CRISIS_REPLY_PROBABILITY = 0.3;
const INFLUENCER_REPLY_PROBABILITY = 0.9;

/** Relative mention volume per UTC hour of simulated time; normalised to mean 1 below. */
const HOURLY_PROFILE_RAW = [
  0.45, 0.32, 0.24, 0.2, 0.2, 0.26, 0.42, 0.65, 0.9, 1.08, 1.2, 1.3, 1.4, 1.5, 1.55, 1.5, 1.4, 1.32,
  1.28, 1.3, 1.28, 1.1, 0.85, 0.62
];
const HOURLY_PROFILE = (() => {
  const mean = HOURLY_PROFILE_RAW.reduce((a, b) => a + b, 0) / HOURLY_PROFILE_RAW.length;
  return HOURLY_PROFILE_RAW.map((v) => v / mean);
})();

interface City {
  name: string;
  country: string;
  lat: number;
  lon: number;
  weight: number;
}

const CITIES: readonly City[] = [
  { name: 'New York', country: 'US', lat: 40.7128, lon: -74.006, weight: 6 },
  { name: 'Los Angeles', country: 'US', lat: 34.0522, lon: -118.2437, weight: 4 },
  { name: 'Chicago', country: 'US', lat: 41.8781, lon: -87.6298, weight: 3 },
  { name: 'Houston', country: 'US', lat: 29.7604, lon: -95.3698, weight: 2 },
  { name: 'San Francisco', country: 'US', lat: 37.7749, lon: -122.4194, weight: 3 },
  { name: 'Seattle', country: 'US', lat: 47.6062, lon: -122.3321, weight: 2 },
  { name: 'Miami', country: 'US', lat: 25.7617, lon: -80.1918, weight: 2 },
  { name: 'Toronto', country: 'CA', lat: 43.6532, lon: -79.3832, weight: 3 },
  { name: 'Vancouver', country: 'CA', lat: 49.2827, lon: -123.1207, weight: 1 },
  { name: 'Mexico City', country: 'MX', lat: 19.4326, lon: -99.1332, weight: 2 },
  { name: 'São Paulo', country: 'BR', lat: -23.5505, lon: -46.6333, weight: 2 },
  { name: 'Buenos Aires', country: 'AR', lat: -34.6037, lon: -58.3816, weight: 1 },
  { name: 'Bogotá', country: 'CO', lat: 4.711, lon: -74.0721, weight: 1 },
  { name: 'Lima', country: 'PE', lat: -12.0464, lon: -77.0428, weight: 1 },
  { name: 'London', country: 'GB', lat: 51.5074, lon: -0.1278, weight: 5 },
  { name: 'Manchester', country: 'GB', lat: 53.4808, lon: -2.2426, weight: 2 },
  { name: 'Dublin', country: 'IE', lat: 53.3498, lon: -6.2603, weight: 1 },
  { name: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522, weight: 2 },
  { name: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405, weight: 2 },
  { name: 'Munich', country: 'DE', lat: 48.1351, lon: 11.582, weight: 1 },
  { name: 'Amsterdam', country: 'NL', lat: 52.3676, lon: 4.9041, weight: 1 },
  { name: 'Madrid', country: 'ES', lat: 40.4168, lon: -3.7038, weight: 1 },
  { name: 'Barcelona', country: 'ES', lat: 41.3874, lon: 2.1686, weight: 1 },
  { name: 'Rome', country: 'IT', lat: 41.9028, lon: 12.4964, weight: 1 },
  { name: 'Milan', country: 'IT', lat: 45.4642, lon: 9.19, weight: 1 },
  { name: 'Stockholm', country: 'SE', lat: 59.3293, lon: 18.0686, weight: 1 },
  { name: 'Warsaw', country: 'PL', lat: 52.2297, lon: 21.0122, weight: 1 },
  { name: 'Istanbul', country: 'TR', lat: 41.0082, lon: 28.9784, weight: 1 },
  { name: 'Cairo', country: 'EG', lat: 30.0444, lon: 31.2357, weight: 1 },
  { name: 'Lagos', country: 'NG', lat: 6.5244, lon: 3.3792, weight: 2 },
  { name: 'Nairobi', country: 'KE', lat: -1.2921, lon: 36.8219, weight: 1 },
  { name: 'Johannesburg', country: 'ZA', lat: -26.2041, lon: 28.0473, weight: 1 },
  { name: 'Dubai', country: 'AE', lat: 25.2048, lon: 55.2708, weight: 1 },
  { name: 'Mumbai', country: 'IN', lat: 19.076, lon: 72.8777, weight: 3 },
  { name: 'Bangalore', country: 'IN', lat: 12.9716, lon: 77.5946, weight: 2 },
  { name: 'Singapore', country: 'SG', lat: 1.3521, lon: 103.8198, weight: 2 },
  { name: 'Jakarta', country: 'ID', lat: -6.2088, lon: 106.8456, weight: 1 },
  { name: 'Tokyo', country: 'JP', lat: 35.6762, lon: 139.6503, weight: 2 },
  { name: 'Seoul', country: 'KR', lat: 37.5665, lon: 126.978, weight: 1 },
  { name: 'Sydney', country: 'AU', lat: -33.8688, lon: 151.2093, weight: 2 },
  { name: 'Melbourne', country: 'AU', lat: -37.8136, lon: 144.9631, weight: 1 },
  { name: 'Auckland', country: 'NZ', lat: -36.8485, lon: 174.7633, weight: 1 }
];
const CITY_CUM = cumulative(CITIES.map((c) => c.weight));
const GEO_PROBABILITY = 0.3;

/** The simulated brand's products (also used by `npm run seed`). */
export const PRODUCTS = [
  'Aero Earset',
  'Pulse Watch',
  'Nimbus Router',
  'Breeze Speaker',
  'Atlas Backpack',
  'Volt Power Bank',
  'Lumen Desk Lamp',
  'Orbit Tablet',
  'Halo Dock',
  'Flux Charger',
  'Drift Headset',
  'Nova Phone Case'
];
const SHORT_DURATIONS = [
  '20 minutes',
  '35 minutes',
  '45 minutes',
  'an hour',
  '90 minutes',
  'two hours',
  '3 hours'
];
const LONG_DURATIONS = ['3 days', '5 days', 'a week', '10 days', 'two weeks', 'three weeks'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const EMOJI_NEG = ['😡', '🙄', '😤', '😩', '🤬', '💀', '😒'];
const EMOJI_POS = ['😍', '🙌', '🔥', '❤️', '👏', '✨', '💯'];
const EMOJI_NEU = ['🤔', '👀', '📦', '📱'];
const AGENT_INITIALS = ['AK', 'JM', 'RS', 'LT', 'PD', 'CN', 'MB', 'EV'];

// prettier-ignore
const FIRST_NAMES = [
  'james', 'maria', 'wei', 'aisha', 'lucas', 'sofia', 'liam', 'emma', 'noah', 'olivia',
  'mateo', 'chloe', 'arjun', 'priya', 'kenji', 'yuki', 'omar', 'fatima', 'diego', 'camila',
  'ethan', 'ava', 'leo', 'mia', 'sam', 'zoe', 'ben', 'lily', 'tom', 'grace',
  'raj', 'ananya', 'felix', 'hannah', 'jonas', 'lena', 'marco', 'giulia', 'pierre', 'amelie',
  'kwame', 'ama', 'chen', 'mei', 'ivan', 'olga', 'carlos', 'lucia', 'daniel', 'sarah',
  'mohammed', 'layla', 'alex', 'jordan', 'taylor', 'casey', 'ryan', 'megan', 'nina', 'oscar'
];
// prettier-ignore
const LAST_NAMES = [
  'smith', 'garcia', 'chen', 'khan', 'muller', 'rossi', 'silva', 'kim', 'nguyen', 'patel',
  'johnson', 'brown', 'lopez', 'martin', 'dubois', 'novak', 'tanaka', 'sato', 'okafor', 'mensah',
  'ali', 'hassan', 'wilson', 'taylor', 'anderson', 'thomas', 'moore', 'jackson', 'white', 'harris',
  'clark', 'lewis', 'walker', 'young', 'king', 'wright', 'scott', 'green', 'baker', 'adams',
  'nelson', 'hill', 'campbell', 'mitchell', 'roberts', 'carter', 'phillips', 'evans', 'turner',
  'torres', 'parker', 'collins', 'edwards', 'stewart', 'morris', 'murphy', 'cook', 'rogers',
  'morgan', 'cooper'
];
const HANDLE_WORDS = [
  'codes',
  'runs',
  'eats',
  'travels',
  'bakes',
  'games',
  'reads',
  'lifts',
  'films'
];

const OUTLETS: readonly (readonly [string, string])[] = [
  ['Gearwire', 'gearwire'],
  ['Byte Street', 'bytestreet'],
  ['The Checkout', 'thecheckoutnews'],
  ['Circuit Weekly', 'circuitweekly'],
  ['Daily Unboxed', 'dailyunboxed'],
  ['Market Pulse Post', 'marketpulsepost'],
  ['The Gadget Ledger', 'gadgetledger'],
  ['Consumer Watch Today', 'consumerwatchtd'],
  ['Metro Business Review', 'metrobizreview'],
  ['Signal & Noise', 'signalnoisemag'],
  ['The Retail Brief', 'theretailbrief'],
  ['Plugged In Weekly', 'pluggedinwkly'],
  ['Harbor City Herald', 'harborherald'],
  ['Tech Sprout', 'techsprout'],
  ['Shopfloor Insider', 'shopfloorinsider'],
  ['Kilobyte Courier', 'kbcourier']
];
const INFLUENCER_FIRST = ['maya', 'dex', 'jules', 'rocco', 'nia', 'theo', 'ines', 'kai'];
const INFLUENCER_KIND = ['reviews', 'tech', 'unboxes', 'talks'];

const PERSON_POOL_SIZE = 3_000;
const FOLLOWERS_XM = 150; // Pareto scale: with alpha 1 the median is 2 * xm = 300
const FOLLOWERS_CAP = 5_000_000;
const BRAND_FOLLOWERS = 312_400;
/** Share of ordinary mentions posted by one of the big creator accounts. */
const INFLUENCER_SHARE = 0.002;

// Template slots: {b} brand, {h} brand handle, {t} brand hashtag, {tc} crisis hashtag,
// {p}/{q} products, {c} city, {o} order number, {ds}/{dl} short/long duration, {m} money,
// {day} weekday, {en}/{ep}/{eq} negative/positive/neutral emoji, {cp}/{cc} crisis product/city,
// {u} customer handle, {s} agent signature.

interface TemplateSet {
  neg: readonly string[];
  neu: readonly string[];
  pos: readonly string[];
}

const SOCIAL: TemplateSet = {
  neg: [
    '{h} your app has been broken all morning. Absolutely useless {en}',
    'Is it just me or is the {b} website down again? This is ridiculous',
    'Third outage this week {h}. Unacceptable for a paid service.',
    'Charged twice for order #{o} and still no refund. Terrible {en}',
    '{h} why did you bill me {m} for a subscription I cancelled last month? Furious.',
    'Order #{o} was supposed to arrive {day}. Tracking has not moved in {dl}. Awful service.',
    'Waited {dl} for my {p} and it arrived smashed. Never again {b} {en}',
    'My {p} died after {dl}. Worst purchase I have made this year.',
    'On hold with {b} support for {ds}. Still nobody. Horrible.',
    'The latest {p} update bricked mine. Awful {h} {en}',
    '{b} support agent hung up on me twice. So rude.',
    'Disappointed with the {p}. Battery barely lasts half a day.',
    'Tried to return my {p} in {c} and the store refused. Terrible policy.',
    '{h} your checkout keeps failing at the payment step. So frustrating {en}',
    'Delivery driver left my {p} in the rain. Box soaked, device dead. Horrible {t}',
    'I am done with {b}. Worst customer service I have ever dealt with.',
    '{b} promised a callback within 24 hours. It has been {dl}. Pathetic.',
    'Anyone else having their {p} overheat? Mine gets scary hot while charging. Unacceptable {h}',
    'The new {b} app update is awful. Cannot even log in anymore {en}',
    'Ordered a new {p}, received an empty box. Order #{o}. Furious {h}',
    'Price of the {p} went up {m} overnight. What a joke {t}',
    '{h} your chatbot is useless. I just want to talk to a human.',
    'Late again. Order #{o} stuck in {c} for {dl}. Horrible experience with {b}.',
    'My {p} keeps disconnecting every {ds}. Super annoying and support is useless.',
    'Refund for #{o} has been "processing" for {dl}. This is a scam {en}',
    '{b} lost my package and now wants me to wait {dl} for an investigation. Ridiculous.',
    'Worst unboxing ever: scratched screen on a brand new {p} {en}',
    'Cancelled my {b} membership today. Fed up with the constant outages.',
    'Hey {h}, the app logs me out every {ds}. Broken since the update.',
    'The {p} used to be solid, the new version feels cheap and flimsy. Disappointed.',
    'Spent {ds} in the {b} store in {c} and nobody helped. Terrible staff.',
    '{t} support ticket #{o} closed without a reply. Awful.',
    'PSA: do not buy the {p}. Mine failed after {dl} and warranty support is a nightmare.',
    'My {b} account got locked for no reason and support is useless {en}'
  ],
  neu: [
    'Does anyone know if the {p} is compatible with Android?',
    '{h} what are your support hours on weekends?',
    'Thinking about getting the {p}. Anyone here using it daily? {eq}',
    'Is there a {b} store in {c}?',
    '{h} can I change the delivery address on order #{o}?',
    'Comparing the {p} and the {q}, which one should I pick?',
    'Just ordered the {p} from {b}, will report back {eq}',
    '{b} is opening a store in {c} next month apparently {eq}',
    'Has the {b} app changed its login screen? Looks different today',
    '{h} does the {p} come with a charger in the box?',
    'How long does {b} usually take to ship to {c}?',
    'Anyone tried the new {p} colorway yet? {eq}',
    '{h} is there a student discount on the {p}?',
    'Unboxing my {p} tonight, ask me anything',
    'Watching the {b} keynote live {eq}',
    'Looking for a gift under {m}. Should I get the {p}?',
    '{h} what is the warranty period on the {p}?',
    'Picked up my {p} from the {b} store in {c} today',
    'Does {b} price match during sales?',
    'Any news on when the {p} restocks? {h}',
    'Moving all my gear over to {b}, what should I buy first?',
    '{h} how do I move my account to a new email address?',
    'Saw a {b} ad on the subway in {c} this morning {eq}',
    'Will the {p} get the new firmware or only the {q}?',
    '{h} tracking for order #{o} says dropped off but I am at work, is it with a neighbour?',
    'Poll: who here uses {b} for work stuff?',
    'Is the {b} sale still on or did it end yesterday?',
    'Heading to the {b} pop-up in {c} this weekend, anyone else going?',
    'Question: resetting the {p} to factory settings, which button do I hold?',
    'Deciding between {b} and another brand for the office. Thoughts?'
  ],
  pos: [
    'Love my new {p} {ep}',
    'Shoutout to {h} for sorting out my order in {ds}. Great support!',
    'The {p} is honestly the best thing I bought this year {ep}',
    '{b} customer service is amazing. Replaced my {p} no questions asked.',
    'Delivered a day early to {c}! Thanks {h} {ep}',
    'Impressed with how fast {b} fixed the app issue {ep}',
    'Six months with the {p} and I still love it.',
    'Brilliant update to the {b} app, so much faster now {ep}',
    'Just got my refund in {ds}. Excellent service from {b}.',
    'Highly recommend the {p} if you travel a lot.',
    '{h} you are awesome, thanks for the quick reply!',
    'Happy customer here. The {p} exceeded my expectations {ep}',
    'Best purchase of the month: the {b} {p} {ep}',
    'Staff at the {b} store in {c} were fantastic today.',
    'Cannot believe how good the {p} sounds. Amazing {ep}',
    'Finally upgraded to the {p}. Perfect for my commute.',
    '{t} setup took {ds} and everything just worked. Love it.',
    'Credit where it is due, {b} support was great today.',
    'The {p} battery life is fantastic, lasted all weekend.',
    'My kids love the {p} {ep}',
    'Thanks {h} for the replacement, it arrived yesterday and works perfectly.',
    'Honestly impressed by {b} this year. Great products, fair prices.',
    'Been using the {p} for {dl} now and the build quality is excellent.',
    'Gift idea: the {p}. My partner was so happy with it {ep}'
  ]
};

const REVIEW: TemplateSet = {
  neg: [
    '★☆☆☆☆ Stopped working after {dl}. Terrible quality.',
    '★☆☆☆☆ Awful. Order #{o} arrived damaged and the return process is a nightmare.',
    '★★☆☆☆ The {p} looks fine but the battery is awful.',
    '★☆☆☆☆ Worst customer service. Waited {dl} for a reply.',
    '★★☆☆☆ Overpriced and flimsy. Disappointed, would not buy the {p} again.',
    '★☆☆☆☆ Charged twice, refund took {dl}. Horrible experience.',
    '★☆☆☆☆ Broken on arrival. The replacement was broken too. Useless.'
  ],
  neu: [
    '★★★☆☆ Does the job. Setup took {ds}.',
    '★★★☆☆ Average {p}. Does what it says.',
    '★★★☆☆ Okay for the price. Shipping to {c} took {dl}.',
    '★★★☆☆ Okay overall. The manual could be clearer.'
  ],
  pos: [
    '★★★★★ Love it. The {p} is excellent.',
    '★★★★★ Fast delivery, great packaging, works perfectly.',
    '★★★★☆ Great value. Only wish the {p} came in more colors.',
    '★★★★★ Best {p} I have owned. Highly recommend.',
    '★★★★★ Support was fantastic when I had a question about order #{o}.',
    '★★★★☆ Very happy with it after {dl} of daily use.',
    '★★★★★ Amazing sound and battery life. Worth every penny.'
  ]
};

const NEWS: TemplateSet = {
  neg: [
    '{b} recalls thousands of {p} units over charging fault',
    'Customers furious as {b} outage hits {c}',
    '{b} shares slide after disappointing holiday sales',
    'Regulator probes {b} over "unacceptable" billing errors',
    '{b} warehouse strike in {c} causes delivery nightmare',
    'Review: the {p} is a disappointing follow-up'
  ],
  neu: [
    '{b} to open new distribution hub in {c}',
    '{b} says the {p} will ship next quarter',
    '{b} names new head of customer experience',
    'Hands-on with the {p}: first look',
    '{b} quarterly results due {day}',
    '{b} expands same-day delivery to {c}',
    'What the new {b} pricing means for subscribers'
  ],
  pos: [
    '{b} posts record quarter as {p} sales soar',
    'The {p} is the best gadget we tested this year',
    '{b} tops customer satisfaction survey with excellent support ratings',
    'Review: the {p} is a fantastic upgrade'
  ]
};

/**
 * Social posts that name a competitor ({x}), by sentiment toward the brand: each carries the
 * words that tell the sentiment analyzer (and a reader) which way it leans.
 */
const COMPETITOR_TEXTS: TemplateSet = {
  neg: [
    'Switching to {x}. {b} support has been useless for {dl}.',
    '{x} refunded me in a day. {b} has been sitting on order #{o} for {dl}. Ridiculous.',
    'Honestly the {x} version just works. Disappointed in the {p}, it keeps failing.',
    '{h} I waited {dl} for a fix, so I bought the {x} one instead. Terrible support.',
    'Paid {m} for the {p} and it died in {dl}. My old {x} still runs. Awful {b}.'
  ],
  neu: [
    '{b} {p} or the {x} one? Which should I buy?',
    'Anyone compared {b} and {x} for home office gear?',
    '{x} just announced a rival to the {p}, wondering how it compares {eq}',
    'Does the {p} work with {x} accessories? {h}',
    'Both {x} and {b} have a sale on this week {eq}'
  ],
  pos: [
    'Tried {x}, came back to {b}. The {p} is simply the best {ep}',
    '{b} support beats {x} every time. Great help, sorted my issue in {ds}.',
    'Left {x} for {b} last year and love it {ep}',
    'The {p} is excellent, way ahead of anything {x} makes.'
  ]
};

const REPLIES: readonly (readonly string[])[] = [
  [
    'Hi {u}, sorry about that — please DM us your order number {s}',
    '{u} We are sorry to hear this. Can you DM us your account email so we can look into it? {s}',
    'Hi {u}, that is not the experience we want for you. Please DM us and we will sort it out {s}',
    '{u} Apologies for the trouble! Our team is on it — DM us the details {s}',
    'Hi {u}, sorry for the wait. We have escalated this, please check your DMs {s}'
  ],
  [
    'Hi {u}, happy to help! Could you DM us a few more details? {s}',
    '{u} Good question! Everything is at example.com/help, or DM us {s}',
    'Hi {u}, yes — send us a DM and we will check that for you {s}'
  ],
  [
    '{u} Thanks so much for the kind words! {s}',
    'Hi {u}, love to hear it! Thanks for sharing {s}',
    '{u} This made our day, thank you! {s}'
  ]
];

interface CrisisKind {
  tag: (brandTag: string) => string;
  neg: readonly string[];
  neu: readonly string[];
  news: readonly string[];
  influencer: readonly string[];
  reply: string;
}

const CRISIS_KINDS: readonly CrisisKind[] = [
  {
    tag: (b) => `${b}Down`,
    neg: [
      'Is {h} down?? app won’t load {tc}',
      '{b} app down for anyone else? So annoying {tc} {en}',
      'Cannot log in to {b}. Website just spins. Useless {tc}',
      '{h} your whole site is broken {tc}',
      'Outage again?! Cannot check out, cannot track orders. Ridiculous {tc}',
      'Down in {cc} too. Awful timing {tc}',
      '{h} any ETA on the fix? Everything is broken {en}',
      'Error 503 on {b} for the last {ds}. Terrible. {tc}'
    ],
    neu: [
      'Seeing lots of reports that {b} is down. Anyone have an update?',
      '{tc} is trending {eq}'
    ],
    news: ['{b} hit by major outage, furious users unable to log in'],
    influencer: [
      '{b} has been down for ages and their status page says everything is fine. Unacceptable. {tc}'
    ],
    reply:
      'Hi {u}, we are aware of the issue and working on a fix. Updates at example.com/status {s}'
  },
  {
    tag: () => '#DoubleCharged',
    neg: [
      '{h} just charged twice for the same order?! Unacceptable {tc}',
      'Woke up to three {b} charges on my card. What is going on {h} {en}',
      'Double charged by {b}. Furious. {tc}',
      '{b} billing glitch took {m} from my account. Unacceptable.',
      'Anyone else double charged by {b} today? Ridiculous {tc}',
      '{tc} my rent money is stuck because of {b}. Horrible.'
    ],
    neu: ['Check your bank statements if you ordered from {b} today {eq}'],
    news: ['Angry {b} customers report duplicate charges after payment glitch'],
    influencer: [
      'Hundreds of people in my replies say {b} double charged them. This is a disaster {h}. {tc}'
    ],
    reply:
      'Hi {u}, duplicate charges are reversed automatically within 3–5 days. Sorry for the stress {s}'
  },
  {
    tag: (b) => `${b}Recall`,
    neg: [
      'A video of a melting {cp} is going viral. Scared to charge mine now {en} {tc}',
      'Unplugging my {cp} right now after seeing that video. Scary stuff {h}',
      'My {cp} gets hot too. Awful, returning it. {tc}',
      '{b} needs to recall the {cp}. Unacceptable {tc}',
      'So {b} knew about the {cp} overheating? Disgusting {en}',
      '{h} is the {cp} dangerous or not? Terrible that you are silent {tc}'
    ],
    neu: ['{h} should we keep using the {cp} while you investigate? {tc}'],
    news: ['Viral video of a melting {cp} leaves {b} customers outraged'],
    influencer: [
      'My {cp} just melted on my desk. Video below. {h} this is dangerous and unacceptable. {tc}'
    ],
    reply: 'Hi {u}, your safety comes first. Please stop using the device and DM us {s}'
  },
  {
    tag: (b) => `${b}Delays`,
    neg: [
      'Where is my order {h}?? Tracking stuck in {cc} for {dl} {tc}',
      '{b} deliveries in {cc} are a complete mess. Awful {tc}',
      'Third day of "out for delivery". Ridiculous {h}',
      'Nothing is shipping from the {b} warehouse in {cc}. Terrible {en}',
      'Birthday present still not here. Worst timing ever {b} {tc}'
    ],
    neu: ['Anyone in {cc} actually received a {b} order this week?'],
    news: ['Angry customers as {b} delivery delays hit {cc}'],
    influencer: [
      'Ordered from {b} {dl} ago, still nothing, and thousands in {cc} say the same. Terrible. {tc}'
    ],
    reply: 'Hi {u}, sorry for the delay — orders are moving again. DM us your order number {s}'
  },
  {
    tag: (b) => `#Boycott${b.slice(1)}`,
    neg: [
      'That {b} support call recording is disgusting. How do you treat customers like that {h}?',
      'Just listened to the {b} call. Rude and arrogant. Cancelling. {tc}',
      '{h} whoever handled that call should be ashamed. Horrible.',
      'Boycotting {b} after that awful video {en} {tc}',
      'Never buying {b} again after seeing how they treat people. Disgusting {tc}'
    ],
    neu: ['What happened with {b}? Everyone is posting about some call {eq}'],
    news: ['{b} apologises after viral customer service call leaves customers outraged'],
    influencer: [
      'Listen to how {b} treated a customer with a broken {cp}. Absolutely disgusting. {tc}'
    ],
    reply:
      'Hi {u}, we are investigating what happened on that call. It is not who we want to be {s}'
  }
];

const CRISIS_NEUTRAL_SHARE = 0.15;
const CRISIS_MIN_MS = 60_000;
const CRISIS_MAX_MS = 180_000;
const CRISIS_MIN_MULT = 4;
const CRISIS_MAX_MULT = 10;
const CRISIS_RAMP_UP_MS = 8_000;
const CRISIS_RAMP_DOWN_MS = 20_000;

// Brand strings are substituted once at compile time so rendering only fills per-mention slots.

const SLOT_IDS: Record<string, number> = {
  p: 0,
  q: 1,
  c: 2,
  o: 3,
  ds: 4,
  dl: 5,
  m: 6,
  day: 7,
  en: 8,
  ep: 9,
  eq: 10,
  cp: 11,
  cc: 12,
  u: 13,
  s: 14
};

type Template = readonly (string | number)[];

function compile(text: string, fixed: Record<string, string>): Template {
  const parts: (string | number)[] = [];
  let literal = '';
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    const key = match[1]!;
    literal += text.slice(last, match.index);
    last = match.index + match[0].length;
    const value = fixed[key];
    if (value !== undefined) {
      literal += value;
      continue;
    }
    const slot = SLOT_IDS[key];
    if (slot === undefined) throw new Error(`unknown template slot {${key}} in "${text}"`);
    if (literal) parts.push(literal);
    literal = '';
    parts.push(slot);
  }
  literal += text.slice(last);
  if (literal) parts.push(literal);
  return parts;
}

interface CompiledCrisisKind {
  neg: readonly Template[];
  neu: readonly Template[];
  news: readonly Template[];
  influencer: readonly Template[];
  reply: Template;
}

interface PersonAuthor {
  at: string;
  reddit: string;
  name: string;
  followers: number;
  verified: boolean;
}

interface Crisis {
  start: number;
  end: number;
  mult: number;
  kind: number;
  product: string;
  city: City;
}

interface Pending {
  due: number;
  seq: number;
  /** Brand reply when true; otherwise a scheduled crisis influencer post or a follow-up. */
  isReply: boolean;
  /**
   * For a brand reply: the customer it answers (who may follow up). For a follow-up (isReply
   * false, crisisKind -1): its author.
   */
  customer: Author | null;
  channel: Channel;
  parentId: string;
  parentHandle: string;
  sentiment: SentimentIdx;
  /** Crisis kind index, or -1 for ordinary mentions. */
  crisisKind: number;
  crisisProduct: string;
  crisisCity: City | null;
  authorIdx: number;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function buildPeople(rng: Rng, count: number, brandHandle: string): PersonAuthor[] {
  const taken = new Set<string>([brandHandle.replace(/^@/, '').toLowerCase()]);
  const people: PersonAuthor[] = [];
  while (people.length < count) {
    const first = pickFrom(rng, FIRST_NAMES);
    const last = pickFrom(rng, LAST_NAMES);
    let base: string;
    switch (Math.floor(rng() * 6)) {
      case 0:
        base = `${first}${last}`;
        break;
      case 1:
        base = `${first}_${last.charAt(0)}`;
        break;
      case 2:
        base = `${first}.${last}`;
        break;
      case 3:
        base = `${first}${10 + Math.floor(rng() * 90)}`;
        break;
      case 4:
        base = `the${first}${last}`;
        break;
      default:
        base = `${first}_${pickFrom(rng, HANDLE_WORDS)}`;
    }
    if (taken.has(base)) base = `${base}${Math.floor(rng() * 1000)}`;
    if (taken.has(base)) continue;
    taken.add(base);
    const nameStyle = rng();
    const name =
      nameStyle < 0.7
        ? `${capitalize(first)} ${capitalize(last)}`
        : nameStyle < 0.9
          ? `${capitalize(first)} ${last.charAt(0).toUpperCase()}.`
          : capitalize(first);
    const followers = Math.min(FOLLOWERS_CAP, Math.floor(FOLLOWERS_XM / (1 - rng())));
    const verified =
      followers >= 100_000 ? rng() < 0.9 : followers >= 10_000 ? rng() < 0.1 : rng() < 0.003;
    people.push({ at: `@${base}`, reddit: `u/${base}`, name, followers, verified });
  }
  return people;
}

function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.round(Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo))));
}

/** Creates a deterministic simulator whose first `next` call covers the time after `startAt`. */
export function createSimulator(opts: SimulatorOptions, startAt: number): Simulator {
  const { seed, rate, timeScale, crisisEveryMs, brandHandle, brandName } = opts;
  if (!Number.isFinite(seed)) throw new RangeError('simulator seed must be a finite number');
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError('simulator rate must be >= 0');
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError('simulator timeScale must be > 0');
  }
  if (!(crisisEveryMs >= 0)) throw new RangeError('simulator crisisEveryMs must be >= 0');
  if (!Number.isFinite(startAt)) throw new RangeError('simulator startAt must be finite');
  const source = opts.source ?? DEFAULT_SIMULATOR_OPTIONS.source;
  const competitors = opts.competitors ?? DEFAULT_SIMULATOR_OPTIONS.competitors;
  if (competitors.some((c) => c.trim() === '')) {
    throw new RangeError('simulator competitors must be non-empty names');
  }

  const rng = mulberry32(streamSeed(seed, 1));
  const crisisRng = mulberry32(streamSeed(seed, 2));
  const worldRng = mulberry32(streamSeed(seed, 3));
  const followRng = mulberry32(streamSeed(seed, 4));
  const competitorRng = mulberry32(streamSeed(seed, 5));

  const brandTag = `#${brandName.replace(/[^\p{L}\p{N}_]/gu, '')}`;
  const fixed: Record<string, string> = { b: brandName, h: brandHandle, t: brandTag };
  const compileSet = (set: TemplateSet): Template[][] => [
    set.neg.map((t) => compile(t, fixed)),
    set.neu.map((t) => compile(t, fixed)),
    set.pos.map((t) => compile(t, fixed))
  ];
  const social = compileSet(SOCIAL);
  const templatesByChannel: readonly Template[][][] = CHANNEL_ORDER.map((c) =>
    c === 'review' ? compileSet(REVIEW) : c === 'news' ? compileSet(NEWS) : social
  );
  // Per competitor, [negative, neutral, positive] texts naming it.
  const competitorTexts = competitors.map((x) =>
    [COMPETITOR_TEXTS.neg, COMPETITOR_TEXTS.neu, COMPETITOR_TEXTS.pos].map((set) =>
      set.map((t) => compile(t, { ...fixed, x }))
    )
  );
  const replies = REPLIES.map((set) => set.map((t) => compile(t, fixed)));
  const crisisKinds: CompiledCrisisKind[] = CRISIS_KINDS.map((k) => {
    const withTag = { ...fixed, tc: k.tag(brandTag) };
    return {
      neg: k.neg.map((t) => compile(t, withTag)),
      neu: k.neu.map((t) => compile(t, withTag)),
      news: k.news.map((t) => compile(t, withTag)),
      influencer: k.influencer.map((t) => compile(t, withTag)),
      reply: compile(k.reply, withTag)
    };
  });

  const people = buildPeople(worldRng, PERSON_POOL_SIZE, brandHandle);
  const outlets: Author[] = OUTLETS.map(([name, handle]) => {
    const followers = logUniform(worldRng, 20_000, 3_000_000);
    return { handle: `@${handle}`, name, followers, verified: worldRng() < 0.85 };
  });
  const influencers: Author[] = [];
  for (const first of INFLUENCER_FIRST) {
    const kind = pickFrom(worldRng, INFLUENCER_KIND);
    influencers.push({
      handle: `@${first}${kind}`,
      name: `${capitalize(first)} ${capitalize(kind)}`,
      followers: logUniform(worldRng, 100_000, FOLLOWERS_CAP),
      verified: true
    });
  }
  const brandName_ = `${brandName} Support`;

  // The start time is in the id so a restart on the same database never collides with stored ids.
  const idPrefix = `sim-${seed}-${Math.floor(startAt).toString(36)}-`;
  const urlPrefix = Object.fromEntries(
    CHANNEL_ORDER.map((c) => [c, `https://example.com/${c}/`])
  ) as Record<Channel, string>;

  let lastNow = startAt;
  let counter = 0;
  let pendingSeq = 0;
  let pendingReplyCount = 0;
  const heap: Pending[] = [];
  let spacing = new Float64Array(1024);
  const peakRate = rate * CRISIS_MAX_MULT * Math.max(...HOURLY_PROFILE);
  const chunkMs =
    peakRate > 0
      ? Math.max(1, Math.min(MAX_CHUNK_MS, (MAX_CHUNK_MENTIONS * 1000) / peakRate))
      : MAX_CHUNK_MS;

  let crisis: Crisis | null = null;
  let nextCrisisAt =
    crisisEveryMs > 0 ? startAt + Math.round(expSample(crisisRng) * crisisEveryMs) : Infinity;

  // Render context for the slots that vary per mention.
  let ctxCrisisProduct = PRODUCTS[0]!;
  let ctxCrisisCity = CITIES[0]!;
  let ctxReplyHandle = '';

  function slotValue(slot: number, r: Rng): string {
    switch (slot) {
      case 0:
        return pickFrom(r, PRODUCTS);
      case 1:
        return pickFrom(r, PRODUCTS);
      case 2:
        return CITIES[pickIndex(r, CITY_CUM)]!.name;
      case 3:
        return String(1_000_000 + Math.floor(r() * 9_000_000));
      case 4:
        return pickFrom(r, SHORT_DURATIONS);
      case 5:
        return pickFrom(r, LONG_DURATIONS);
      case 6:
        return `$${(10 + Math.floor(r() * 39_000) / 100).toFixed(2)}`;
      case 7:
        return pickFrom(r, WEEKDAYS);
      case 8:
        return pickFrom(r, EMOJI_NEG);
      case 9:
        return pickFrom(r, EMOJI_POS);
      case 10:
        return pickFrom(r, EMOJI_NEU);
      case 11:
        return ctxCrisisProduct;
      case 12:
        return ctxCrisisCity.name;
      case 13:
        return ctxReplyHandle;
      default:
        return `^${pickFrom(r, AGENT_INITIALS)}`;
    }
  }

  /** Fills the template's slots with draws from `r` (the main stream unless said otherwise). */
  function render(template: Template, r: Rng = rng): string {
    let s = '';
    for (let i = 0; i < template.length; i++) {
      const part = template[i]!;
      s += typeof part === 'string' ? part : slotValue(part, r);
    }
    return s;
  }

  function geoFor(preferred: City | null): Geo | null {
    if (rng() >= GEO_PROBABILITY) return null;
    const city = preferred !== null && rng() < 0.5 ? preferred : CITIES[pickIndex(rng, CITY_CUM)]!;
    // Jitter within ~5 km so a map shows a cloud instead of one stacked dot per city.
    return {
      lat: Math.round((city.lat + (rng() - 0.5) * 0.09) * 1e4) / 1e4,
      lon: Math.round((city.lon + (rng() - 0.5) * 0.09) * 1e4) / 1e4,
      country: city.country
    };
  }

  function nextId(): string {
    counter++;
    return idPrefix + counter;
  }

  function heapLess(a: Pending, b: Pending): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  function heapPush(item: Pending): void {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!heapLess(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  function heapPop(): Pending {
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && heapLess(heap[r]!, heap[l]!) ? r : l;
        const c = heap[child]!;
        if (!heapLess(c, last)) break;
        heap[i] = c;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  function maybeScheduleReply(
    m: Mention,
    sentiment: SentimentIdx,
    probability: number,
    crisisKind: number
  ): void {
    if (!REPLY_CHANNELS.has(m.channel) || rng() >= probability) return;
    if (pendingReplyCount >= MAX_PENDING_REPLIES) return;
    const delay = Math.exp(REPLY_DELAY_MU + REPLY_DELAY_SIGMA * normalSample(rng)) / timeScale;
    pendingReplyCount++;
    heapPush({
      due: Math.ceil(m.createdAt + delay),
      seq: pendingSeq++,
      isReply: true,
      customer: m.author,
      channel: m.channel,
      parentId: m.id,
      parentHandle: m.author.handle,
      sentiment,
      crisisKind,
      crisisProduct: '',
      crisisCity: null,
      authorIdx: -1
    });
  }

  function mention(
    createdAt: number,
    channel: Channel,
    text: string,
    author: Author,
    inReplyToId: string | null,
    geo: Geo | null
  ): Mention {
    const id = nextId();
    return {
      id,
      source,
      channel,
      createdAt,
      text,
      author,
      lang: 'en',
      url: urlPrefix[channel] + id,
      inReplyToId,
      geo
    };
  }

  function personAuthor(channel: Channel): Author {
    if (rng() < INFLUENCER_SHARE) {
      const inf = pickFrom(rng, influencers);
      return { ...inf, handle: channel === 'reddit' ? `u/${inf.handle.slice(1)}` : inf.handle };
    }
    // Squaring skews activity so a minority of accounts post repeatedly, as on real platforms.
    const u = rng();
    const p = people[Math.floor(u * u * people.length)]!;
    return {
      handle: channel === 'reddit' ? p.reddit : p.at,
      name: p.name,
      followers: p.followers,
      verified: p.verified
    };
  }

  function emitPending(item: Pending, out: Mention[]): void {
    if (item.isReply) {
      pendingReplyCount--;
      ctxReplyHandle = item.parentHandle;
      const template =
        item.crisisKind >= 0
          ? crisisKinds[item.crisisKind]!.reply
          : pickFrom(rng, replies[item.sentiment]!);
      const author: Author = {
        handle: brandHandle,
        name: brandName_,
        followers: BRAND_FOLLOWERS,
        verified: true
      };
      const reply = mention(item.due, item.channel, render(template), author, item.parentId, null);
      out.push(reply);
      if (item.customer !== null && followRng() < FOLLOW_UP_PROBABILITY) {
        const delay =
          Math.exp(FOLLOW_UP_DELAY_MU + FOLLOW_UP_DELAY_SIGMA * normalSample(followRng)) /
          timeScale;
        heapPush({
          due: Math.ceil(item.due + delay),
          seq: pendingSeq++,
          isReply: false,
          customer: item.customer,
          channel: item.channel,
          parentId: reply.id,
          parentHandle: brandHandle,
          sentiment: NEU,
          crisisKind: -1,
          crisisProduct: '',
          crisisCity: null,
          authorIdx: -1
        });
      }
      return;
    }
    if (item.crisisKind < 0 && item.customer !== null) {
      // A customer's follow-up to the brand's reply.
      let u = followRng();
      let texts = FOLLOW_UPS[FOLLOW_UPS.length - 1]!.texts;
      for (const f of FOLLOW_UPS) {
        if (u < f.weight) {
          texts = f.texts;
          break;
        }
        u -= f.weight;
      }
      const text = `${brandHandle} ${texts[Math.floor(followRng() * texts.length)]!}`;
      out.push(mention(item.due, item.channel, text, { ...item.customer }, item.parentId, null));
      return;
    }
    const kind = crisisKinds[item.crisisKind]!;
    ctxCrisisProduct = item.crisisProduct;
    ctxCrisisCity = item.crisisCity ?? ctxCrisisCity;
    const influencer = influencers[item.authorIdx]!;
    const m = mention(
      item.due,
      item.channel,
      render(pickFrom(rng, kind.influencer)),
      { ...influencer },
      null,
      geoFor(item.crisisCity)
    );
    out.push(m);
    maybeScheduleReply(m, NEG, INFLUENCER_REPLY_PROBABILITY, item.crisisKind);
  }

  function emitCustomer(createdAt: number, crisisShare: number, out: Mention[]): void {
    let channel: Channel;
    let template: Template;
    let sentiment: SentimentIdx;
    let crisisKind = -1;
    let preferredCity: City | null = null;
    if (crisis !== null && rng() < crisisShare) {
      const kind = crisisKinds[crisis.kind]!;
      crisisKind = crisis.kind;
      ctxCrisisProduct = crisis.product;
      ctxCrisisCity = crisis.city;
      preferredCity = crisis.city;
      channel = CHANNEL_ORDER[pickIndex(rng, CRISIS_CHANNEL_CUM)]!;
      if (channel === 'news') {
        sentiment = NEG;
        template = pickFrom(rng, kind.news);
      } else if (rng() < CRISIS_NEUTRAL_SHARE) {
        sentiment = NEU;
        template = pickFrom(rng, kind.neu);
      } else {
        sentiment = NEG;
        template = pickFrom(rng, kind.neg);
      }
    } else {
      const ci = pickIndex(rng, CHANNEL_CUM);
      channel = CHANNEL_ORDER[ci]!;
      sentiment = pickIndex(rng, SENTIMENT_CUM[ci]!) as SentimentIdx;
      template = pickFrom(rng, templatesByChannel[ci]![sentiment]!);
    }
    const author: Author =
      channel === 'news' ? { ...pickFrom(rng, outlets) } : personAuthor(channel);
    let text = render(template);
    if (
      crisisKind < 0 &&
      competitorTexts.length > 0 &&
      COMPETITOR_CHANNELS.has(channel) &&
      competitorRng() < COMPETITOR_PROBABILITY
    ) {
      // Drawn after the main stream's text, so that stream is the same with or without chatter.
      const texts = pickFrom(competitorRng, competitorTexts)[sentiment]!;
      text = render(pickFrom(competitorRng, texts), competitorRng);
    }
    const m = mention(createdAt, channel, text, author, null, geoFor(preferredCity));
    out.push(m);
    const probability =
      crisisKind >= 0
        ? CRISIS_REPLY_PROBABILITY
        : author.followers >= 100_000
          ? INFLUENCER_REPLY_PROBABILITY
          : REPLY_PROBABILITY[sentiment]!;
    maybeScheduleReply(m, sentiment, probability, crisisKind);
  }

  function startCrisis(at: number): void {
    const duration = CRISIS_MIN_MS + crisisRng() * (CRISIS_MAX_MS - CRISIS_MIN_MS);
    const kind = Math.floor(crisisRng() * CRISIS_KINDS.length);
    crisis = {
      start: at,
      end: at + Math.round(duration),
      mult: CRISIS_MIN_MULT + crisisRng() * (CRISIS_MAX_MULT - CRISIS_MIN_MULT),
      kind,
      product: pickFrom(crisisRng, PRODUCTS),
      city: CITIES[pickIndex(crisisRng, CITY_CUM)]!
    };
    const u = crisisRng();
    heapPush({
      due: at + 2_000 + Math.round(crisisRng() * 13_000),
      seq: pendingSeq++,
      isReply: false,
      customer: null,
      channel: u < 0.75 ? 'twitter' : u < 0.9 ? 'instagram' : 'facebook',
      parentId: '',
      parentHandle: '',
      sentiment: NEG,
      crisisKind: kind,
      crisisProduct: crisis.product,
      crisisCity: crisis.city,
      authorIdx: Math.floor(crisisRng() * influencers.length)
    });
  }

  function crisisMultiplier(t: number): number {
    if (crisis === null) return 1;
    const shape = Math.min(
      1,
      (t - crisis.start) / CRISIS_RAMP_UP_MS,
      (crisis.end - t) / CRISIS_RAMP_DOWN_MS
    );
    return 1 + (crisis.mult - 1) * Math.max(0, shape);
  }

  function dailyCycle(t: number): number {
    const sim = startAt + (t - startAt) * timeScale;
    const hour = (((sim % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
    const i = Math.floor(hour);
    const f = hour - i;
    return HOURLY_PROFILE[i % 24]! * (1 - f) + HOURLY_PROFILE[(i + 1) % 24]! * f;
  }

  function drainUntil(t: number, out: Mention[]): void {
    while (heap.length > 0 && heap[0]!.due <= t) emitPending(heapPop(), out);
  }

  function generateChunk(a: number, b: number, callStart: number, callEnd: number, out: Mention[]) {
    const mid = (a + b) / 2;
    const mult = crisisMultiplier(mid);
    const n = poissonSample(rng, (rate * dailyCycle(mid) * mult * (b - a)) / 1000);
    if (n === 0) return;
    if (spacing.length < n + 1) spacing = new Float64Array(Math.max(n + 1, spacing.length * 2));
    // Normalised cumulative exponential spacings are sorted uniforms in O(n), no sort needed.
    let total = 0;
    for (let i = 0; i <= n; i++) {
      total += expSample(rng);
      spacing[i] = total;
    }
    const scale = (b - a) / total;
    const crisisShare = (mult - 1) / mult;
    const minT = Math.min(callEnd, Math.floor(callStart) + 1);
    for (let i = 0; i < n; i++) {
      const t = Math.max(minT, Math.min(callEnd, Math.ceil(a + spacing[i]! * scale)));
      drainUntil(t, out);
      emitCustomer(t, crisisShare, out);
    }
  }

  return {
    next(now: number): Mention[] {
      const out: Mention[] = [];
      if (!(now > lastNow)) return out;
      const callStart = lastNow;
      let t = lastNow;
      while (t < now) {
        if (crisis !== null && t >= crisis.end) {
          nextCrisisAt = crisis.end + Math.round(expSample(crisisRng) * crisisEveryMs);
          crisis = null;
        }
        if (crisis === null && t >= nextCrisisAt) startCrisis(nextCrisisAt);
        const boundary: number = crisis !== null ? crisis.end : nextCrisisAt;
        const b = Math.min(now, t + chunkMs, boundary);
        generateChunk(t, b, callStart, now, out);
        t = b;
      }
      drainUntil(now, out);
      lastNow = now;
      return out;
    },
    pendingReplies(): number {
      return pendingReplyCount;
    }
  };
}
