/**
 * `npm run seed -- --mentions N --days D [--db <path>] [--seed S] [--end <ISO|ms>]`: fills the
 * database (default DATA_DIR/mission-control.db, i.e. `./data/mission-control.db`; created and
 * migrated if absent) with N realistic enriched mentions spread over the D days before `--end`
 * (default now), for exploring and benchmarking history:
 *
 * - volume follows a diurnal (UTC) and weekly cycle with a few incident bursts (outage
 *   complaints, 1–4 hours, 2.5–5× the traffic);
 * - every channel, five languages (mostly English), texts that hit the default topic taxonomy,
 *   ~4% naming a competitor ("Contoso", "Fabrikam"), ~30% with geo over real cities;
 * - brand replies from the first BRAND_HANDLES handle (`@NorthwindHelp`) to ~40% of customer
 *   mentions, minutes to hours later, linked by `inReplyToId`;
 * - a long tail of everyday authors plus a few very active accounts with big followings.
 *
 * Mentions go through the server's own path: `Pipeline.enrichBatch`, then the store's
 * `insertMentions`, one transaction per 10,000 mentions, generated in time order with constant
 * memory. Then explore's full-text index and hourly cube are brought up to date as the server's
 * catch-up job does, so a server starts on a ready database. Ids carry the seed and the end time:
 * seeding again adds to the history, and the same `--seed` and `--end` write the same ids, which
 * are skipped. When the database has no tracking settings yet, the two competitors are configured
 * so `about=competitor` finds them. Progress goes to stderr; a JSON summary (rows, seconds,
 * rows/s) to stdout. About 12,000–16,000 mentions/s on two busy cores.
 *
 * Stop the server first: it must not run while a server uses the same file (two writers block
 * each other, and the server's live windows and rollups would not count mentions written behind
 * its back).
 */
import type { Author, Channel, Geo, Mention } from '../src/lib/shared/types';
import {
  cumulative,
  DEFAULT_SIMULATOR_OPTIONS,
  mulberry32,
  normalSample,
  pickFrom,
  pickIndex,
  PRODUCTS,
  type Rng
} from '../server/adapters/sources/simulator/generator';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const BATCH = 10_000;
const SOURCE = 'seed';
const MAX_MENTIONS = 1_000_000_000;
const MAX_DAYS = 3650;

const USAGE =
  'usage: npm run seed -- --mentions N --days D [--db <path>] [--seed S] [--end <ISO|ms>]\n' +
  '  (stop the server first: it must not run while a server uses the same file)';

function usage(message: string): never {
  process.stderr.write(`seed: ${message}\n${USAGE}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Arguments

interface Options {
  mentions: number;
  days: number;
  db: string | null;
  seed: number;
  end: number;
}

function parseArgs(args: readonly string[]): Options {
  const o: Options = { mentions: 100_000, days: 30, db: null, seed: 1, end: Date.now() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq > 0 && name !== a ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') usage(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--mentions': {
        const v = value();
        const n = /^\d+$/.test(v.replace(/_/g, '')) ? Number(v.replace(/_/g, '')) : NaN;
        if (!Number.isSafeInteger(n) || n < 1 || n > MAX_MENTIONS)
          usage(`--mentions must be a whole number from 1 to ${MAX_MENTIONS}, got ${v}`);
        o.mentions = n;
        break;
      }
      case '--days': {
        const v = value();
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0) || n > MAX_DAYS)
          usage(`--days must be a number above 0 and at most ${MAX_DAYS}, got ${v}`);
        o.days = n;
        break;
      }
      case '--db':
        o.db = value();
        break;
      case '--seed': {
        const v = value();
        const n = Number(v);
        if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n))
          usage(`--seed must be a whole number, got ${v}`);
        o.seed = n;
        break;
      }
      case '--end': {
        const v = value();
        const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
        if (!Number.isFinite(n) || n <= 0)
          usage(`--end must be epoch milliseconds or an ISO 8601 time, got ${v}`);
        o.end = n;
        break;
      }
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        usage(a.startsWith('-') ? `unknown option ${name}` : `unexpected argument ${a}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Randomness

/** An independent stream per purpose, so e.g. incident timing does not depend on volume. */
function stream(seed: number, n: number): Rng {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return mulberry32((h ^ (h >>> 16)) >>> 0);
}

const normal = normalSample;
const pick = pickFrom;

// ---------------------------------------------------------------------------------------------
// The world: channels, languages, places, people, texts

const CHANNEL_WEIGHTS: [Channel, number][] = [
  ['twitter', 38],
  ['facebook', 13],
  ['instagram', 11],
  ['reddit', 9],
  ['forum', 5],
  ['review', 7],
  ['news', 4],
  ['bluesky', 9],
  ['mastodon', 4]
];
const CHANNEL_CUM = cumulative(CHANNEL_WEIGHTS.map(([, w]) => w));
/** [negative, neutral, positive] template weights per channel (CHANNEL_WEIGHTS order). */
const SENTIMENT_CUM = [
  [38, 40, 22],
  [35, 40, 25],
  [25, 35, 40],
  [38, 45, 17],
  [30, 55, 15],
  [38, 12, 50],
  [25, 55, 20],
  [35, 42, 23],
  [30, 48, 22]
].map(cumulative);
/** Chance that the brand answers a customer mention, per channel, before the sentiment factor. */
const REPLY_BASE: Record<Channel, number> = {
  twitter: 0.5,
  facebook: 0.5,
  instagram: 0.45,
  bluesky: 0.45,
  mastodon: 0.4,
  reddit: 0.3,
  forum: 0.32,
  review: 0.4,
  news: 0.05
};
const REPLY_SENTIMENT = [1.25, 0.95, 0.65];

type Lang = 'en' | 'es' | 'fr' | 'de' | 'pt';
const LANGS: Lang[] = ['en', 'es', 'fr', 'de', 'pt'];
const LANG_CUM = cumulative([80, 8, 5, 4, 3]);

interface City {
  name: string;
  country: string;
  lat: number;
  lon: number;
  lang: Lang;
  weight: number;
}

// prettier-ignore
const CITIES: City[] = [
  { name: 'New York', country: 'US', lat: 40.7128, lon: -74.006, lang: 'en', weight: 6 },
  { name: 'Los Angeles', country: 'US', lat: 34.0522, lon: -118.2437, lang: 'en', weight: 4 },
  { name: 'Chicago', country: 'US', lat: 41.8781, lon: -87.6298, lang: 'en', weight: 3 },
  { name: 'Houston', country: 'US', lat: 29.7604, lon: -95.3698, lang: 'en', weight: 2 },
  { name: 'San Francisco', country: 'US', lat: 37.7749, lon: -122.4194, lang: 'en', weight: 3 },
  { name: 'Seattle', country: 'US', lat: 47.6062, lon: -122.3321, lang: 'en', weight: 2 },
  { name: 'Atlanta', country: 'US', lat: 33.749, lon: -84.388, lang: 'en', weight: 2 },
  { name: 'Toronto', country: 'CA', lat: 43.6532, lon: -79.3832, lang: 'en', weight: 3 },
  { name: 'Montreal', country: 'CA', lat: 45.5019, lon: -73.5674, lang: 'fr', weight: 1 },
  { name: 'London', country: 'GB', lat: 51.5074, lon: -0.1278, lang: 'en', weight: 5 },
  { name: 'Manchester', country: 'GB', lat: 53.4808, lon: -2.2426, lang: 'en', weight: 2 },
  { name: 'Dublin', country: 'IE', lat: 53.3498, lon: -6.2603, lang: 'en', weight: 1 },
  { name: 'Sydney', country: 'AU', lat: -33.8688, lon: 151.2093, lang: 'en', weight: 2 },
  { name: 'Melbourne', country: 'AU', lat: -37.8136, lon: 144.9631, lang: 'en', weight: 1 },
  { name: 'Auckland', country: 'NZ', lat: -36.8485, lon: 174.7633, lang: 'en', weight: 1 },
  { name: 'Mumbai', country: 'IN', lat: 19.076, lon: 72.8777, lang: 'en', weight: 3 },
  { name: 'Bangalore', country: 'IN', lat: 12.9716, lon: 77.5946, lang: 'en', weight: 2 },
  { name: 'Singapore', country: 'SG', lat: 1.3521, lon: 103.8198, lang: 'en', weight: 2 },
  { name: 'Lagos', country: 'NG', lat: 6.5244, lon: 3.3792, lang: 'en', weight: 2 },
  { name: 'Nairobi', country: 'KE', lat: -1.2921, lon: 36.8219, lang: 'en', weight: 1 },
  { name: 'Johannesburg', country: 'ZA', lat: -26.2041, lon: 28.0473, lang: 'en', weight: 1 },
  { name: 'Madrid', country: 'ES', lat: 40.4168, lon: -3.7038, lang: 'es', weight: 3 },
  { name: 'Barcelona', country: 'ES', lat: 41.3874, lon: 2.1686, lang: 'es', weight: 2 },
  { name: 'Mexico City', country: 'MX', lat: 19.4326, lon: -99.1332, lang: 'es', weight: 3 },
  { name: 'Bogotá', country: 'CO', lat: 4.711, lon: -74.0721, lang: 'es', weight: 1 },
  { name: 'Buenos Aires', country: 'AR', lat: -34.6037, lon: -58.3816, lang: 'es', weight: 2 },
  { name: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522, lang: 'fr', weight: 4 },
  { name: 'Lyon', country: 'FR', lat: 45.764, lon: 4.8357, lang: 'fr', weight: 1 },
  { name: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405, lang: 'de', weight: 3 },
  { name: 'Munich', country: 'DE', lat: 48.1351, lon: 11.582, lang: 'de', weight: 2 },
  { name: 'Vienna', country: 'AT', lat: 48.2082, lon: 16.3738, lang: 'de', weight: 1 },
  { name: 'São Paulo', country: 'BR', lat: -23.5505, lon: -46.6333, lang: 'pt', weight: 3 },
  { name: 'Rio de Janeiro', country: 'BR', lat: -22.9068, lon: -43.1729, lang: 'pt', weight: 1 },
  { name: 'Lisbon', country: 'PT', lat: 38.7223, lon: -9.1393, lang: 'pt', weight: 1 }
];
const CITIES_BY_LANG = Object.fromEntries(
  LANGS.map((l) => {
    const cs = CITIES.filter((c) => c.lang === l);
    return [l, { cities: cs, cum: cumulative(cs.map((c) => c.weight)) }];
  })
) as Record<Lang, { cities: City[]; cum: Float64Array }>;
const CITY_CUM = cumulative(CITIES.map((c) => c.weight));
const GEO_SHARE = 0.3;

/** The live simulator's competitors, so seeded history and the live stream name the same. */
const COMPETITORS = DEFAULT_SIMULATOR_OPTIONS.competitors;
const SHORT = ['20 minutes', '45 minutes', 'an hour', '90 minutes', 'two hours', '3 hours'];
const LONG = ['3 days', '5 days', 'a week', '10 days', 'two weeks'];
const EMOJI_NEG = ['😡', '🙄', '😤', '😩', '💀'];
const EMOJI_POS = ['😍', '🙌', '🔥', '❤️', '👏', '✨'];
const AGENTS = ['AK', 'JM', 'RS', 'LT', 'PD', 'CN', 'MB', 'EV'];

/** Texts by language and [negative, neutral, positive]; {slots} are filled per mention. */
const TEXTS: Record<Lang, [string[], string[], string[]]> = {
  en: [
    [
      '{h} your app has been broken all morning. Absolutely useless {en}',
      'Is it just me or is the {b} website down again? This is ridiculous',
      'Third outage this week {h}. Unacceptable for a paid service.',
      'Charged twice for order #{o} and still no refund. Terrible {en}',
      '{h} why did you bill me {m} for a subscription I cancelled last month? Furious.',
      'Order #{o} was supposed to arrive last week. Tracking has not moved in {dl}. Awful service.',
      'Waited {dl} for my {p} and the package arrived smashed. Never again {b} {en}',
      'My {p} died after {dl}. Worst purchase I have made this year.',
      'On hold with {b} support for {ds}. Still nobody. Horrible.',
      'The latest {p} update bricked mine. Awful {h} {en}',
      '{b} support agent hung up on me twice. So rude.',
      'Disappointed with the {p}. Battery barely lasts half a day.',
      'Tried to return my {p} in {c} and the store refused. Terrible policy.',
      '{h} your checkout keeps failing at the payment step. So frustrating {en}',
      'Delivery driver left my {p} in the rain. Box soaked, device dead. Horrible',
      '{b} promised a callback within 24 hours. It has been {dl}. Pathetic.',
      'Anyone else having their {p} overheat? Mine gets scary hot while charging {h}',
      'Ordered a new {p}, received an empty box. Order #{o}. Furious {h}',
      'Price of the {p} went up {m} overnight. What a joke',
      '{h} your chatbot is useless. I just want to talk to a human.',
      'Refund for #{o} has been processing for {dl}. This is a scam {en}',
      '{b} lost my package and now wants me to wait {dl} for an investigation. Ridiculous.',
      'Cancelled my {b} membership today. Fed up with the constant outages.',
      'Hey {h}, the app logs me out every {ds}. Broken since the update.',
      'My {b} account got locked for no reason and support is useless {en}'
    ],
    [
      'Does anyone know if the {p} is compatible with Android?',
      '{h} what are your support hours on weekends?',
      'Thinking about getting the {p}. Anyone here using it daily?',
      'Is there a {b} store in {c}?',
      '{h} can I change the delivery address on order #{o}?',
      'Comparing the {p} and the {q}, which one should I pick?',
      'Just ordered the {p} from {b}, will report back',
      '{h} does the {p} come with a charger in the box?',
      'How long does {b} usually take to ship to {c}?',
      '{h} is there a student discount on the {p}?',
      'Looking for a gift under {m}. Should I get the {p}?',
      '{h} what is the warranty period on the {p}?',
      'Any news on when the {p} restocks? {h}',
      '{h} how do I move my account to a new email address?',
      'Is the {b} sale still on or did it end yesterday?',
      'Question: resetting the {p} to factory settings, which button do I hold?'
    ],
    [
      'Love my new {p} {ep}',
      'Shoutout to {h} for sorting out my order in {ds}. Great support!',
      'The {p} is honestly the best thing I bought this year {ep}',
      '{b} customer service is amazing. Replaced my {p} no questions asked.',
      'Delivered a day early to {c}! Thanks {h} {ep}',
      'Just got my refund in {ds}. Excellent service from {b}.',
      'Highly recommend the {p} if you travel a lot.',
      '{h} you are awesome, thanks for the quick reply!',
      'Staff at the {b} store in {c} were fantastic today.',
      'The {p} battery life is fantastic, lasted all weekend.',
      'Thanks {h} for the replacement, it arrived yesterday and works perfectly.',
      'Been using the {p} for {dl} now and the build quality is excellent.'
    ]
  ],
  es: [
    [
      '{h} mi pedido #{o} lleva {dl} sin llegar. Pésimo servicio {en}',
      'La app de {b} no funciona otra vez. Qué desastre',
      'Me cobraron dos veces el {p} y nadie responde {h}'
    ],
    [
      '¿Alguien sabe si el {p} funciona con Android?',
      '{h} ¿cuánto tarda el envío a {c}?',
      '¿Hay tienda de {b} en {c}?'
    ],
    [
      'Me encanta mi nuevo {p} {ep}',
      'Gracias {h}, el soporte fue excelente y muy rápido',
      'El {p} es lo mejor que compré este año'
    ]
  ],
  fr: [
    [
      '{h} ma commande #{o} n’est toujours pas arrivée après {dl}. Service nul {en}',
      'L’application {b} ne marche plus depuis ce matin, c’est pénible',
      'Mon {p} est tombé en panne au bout de {dl}. Très déçu.'
    ],
    [
      'Est-ce que le {p} est compatible avec Android ?',
      '{h} quels sont vos horaires le week-end ?',
      'Il y a un magasin {b} à {c} ?'
    ],
    [
      'J’adore mon nouveau {p} {ep}',
      'Merci {h}, le service client a été parfait',
      'Livré en avance à {c}, bravo {b} !'
    ]
  ],
  de: [
    [
      '{h} meine Bestellung #{o} ist seit {dl} nicht angekommen. Unmöglich {en}',
      'Die {b} App stürzt ständig ab. Wirklich ärgerlich',
      'Mein {p} ist nach {dl} kaputt gegangen. Sehr enttäuschend.'
    ],
    [
      'Funktioniert der {p} auch mit Android?',
      '{h} wie lange dauert der Versand nach {c}?',
      'Gibt es einen {b} Laden in {c}?'
    ],
    [
      'Ich liebe meinen neuen {p} {ep}',
      'Danke {h}, der Kundenservice war super schnell',
      'Der {p} ist wirklich großartig, klare Empfehlung'
    ]
  ],
  pt: [
    [
      '{h} meu pedido #{o} não chegou depois de {dl}. Péssimo atendimento {en}',
      'O aplicativo da {b} está fora do ar de novo. Que absurdo',
      'Meu {p} parou de funcionar depois de {dl}. Decepcionado.'
    ],
    [
      'Alguém sabe se o {p} funciona com Android?',
      '{h} quanto tempo demora a entrega para {c}?',
      'Tem loja da {b} em {c}?'
    ],
    [
      'Amei meu novo {p} {ep}',
      'Obrigado {h}, o suporte foi excelente',
      'O {p} é a melhor compra do ano'
    ]
  ]
};

/** English texts that name a competitor ({x}), by sentiment toward the brand. */
const COMPETITOR_TEXTS: [string[], string[], string[]] = [
  [
    'Switching to {x}. {b} support has been useless for {dl}.',
    '{x} refunded me in a day. {b} has been sitting on order #{o} for {dl}.',
    'Honestly the {x} version is better than the {p}. Disappointed in {b}.'
  ],
  [
    '{b} {p} or the {x} one? Which should I buy?',
    'Anyone compared {b} and {x} for home office gear?',
    '{x} just announced a competitor to the {p}, curious how it compares'
  ],
  [
    'Tried {x}, came back to {b}. The {p} is simply better {ep}',
    '{b} support beats {x} every time. Sorted my issue in {ds}.',
    'Left {x} for {b} last year and never looked back {ep}'
  ]
];
const COMPETITOR_SHARE = 0.06;

const NEWS_TEXTS: [string[], string[], string[]] = [
  [
    '{b} recalls thousands of {p} units over charging fault',
    'Customers furious as {b} outage hits {c}',
    'Regulator probes {b} over billing errors'
  ],
  [
    '{b} to open new distribution hub in {c}',
    '{b} says the {p} will ship next quarter',
    '{b} and {x} battle for the smart home market'
  ],
  [
    '{b} posts record quarter as {p} sales soar',
    'The {p} is the best gadget we tested this year',
    '{b} tops customer satisfaction survey'
  ]
];

const REVIEW_TEXTS: [string[], string[], string[]] = [
  [
    '★☆☆☆☆ Stopped working after {dl}. Terrible quality.',
    '★☆☆☆☆ Order #{o} arrived damaged and the return process is a nightmare.',
    '★★☆☆☆ The {p} looks fine but the battery is awful.'
  ],
  ['★★★☆☆ Does the job. Setup took {ds}.', '★★★☆☆ Okay for the price. Shipping to {c} took {dl}.'],
  [
    '★★★★★ Love it. The {p} is excellent.',
    '★★★★★ Fast delivery, great packaging, works perfectly.',
    '★★★★☆ Great value. Only wish the {p} came in more colors.'
  ]
];

/** Complaints during an incident burst. */
const INCIDENT_TEXTS = [
  'Is {h} down?? app won’t load #{t}Down',
  '{b} app down for anyone else? Cannot log in #{t}Down {en}',
  'Website just spins. Outage again {h}? #{t}Down',
  'Cannot check out, cannot track orders. Ridiculous outage {h}',
  'Down in {c} too. Awful timing #{t}Down'
];

/** Brand replies by language and [negative, neutral, positive] of the mention answered. */
const REPLY_TEXTS: Record<Lang, [string[], string[], string[]]> = {
  en: [
    [
      'Hi {u}, sorry about that — please DM us your order number {s}',
      '{u} We are sorry to hear this. Can you DM us your account email so we can look into it? {s}',
      '{u} Apologies for the trouble! Our team is on it — DM us the details {s}'
    ],
    [
      'Hi {u}, happy to help! Could you DM us a few more details? {s}',
      '{u} Good question! Everything is at example.com/help, or DM us {s}'
    ],
    [
      '{u} Thanks so much for the kind words! {s}',
      'Hi {u}, love to hear it! Thanks for sharing {s}'
    ]
  ],
  es: [
    ['Hola {u}, lo sentimos. Escríbenos por DM con tu pedido {s}'],
    ['Hola {u}, te ayudamos por DM {s}'],
    ['¡Gracias {u}! {s}']
  ],
  fr: [
    ['Bonjour {u}, désolés ! Envoyez-nous un DM avec votre commande {s}'],
    ['Bonjour {u}, écrivez-nous en DM {s}'],
    ['Merci {u} ! {s}']
  ],
  de: [
    ['Hallo {u}, das tut uns leid. Schreib uns bitte eine DM {s}'],
    ['Hallo {u}, schreib uns gern eine DM {s}'],
    ['Danke {u}! {s}']
  ],
  pt: [
    ['Olá {u}, sentimos muito. Mande uma DM com o pedido {s}'],
    ['Olá {u}, fale com a gente por DM {s}'],
    ['Obrigado {u}! {s}']
  ]
};

// prettier-ignore
const FIRST = [
  'james', 'maria', 'wei', 'aisha', 'lucas', 'sofia', 'liam', 'emma', 'noah', 'olivia', 'mateo',
  'chloe', 'arjun', 'priya', 'kenji', 'yuki', 'omar', 'fatima', 'diego', 'camila', 'ethan', 'ava',
  'leo', 'mia', 'sam', 'zoe', 'ben', 'lily', 'tom', 'grace', 'raj', 'ananya', 'felix', 'hannah',
  'jonas', 'lena', 'marco', 'giulia', 'pierre', 'amelie', 'kwame', 'ama', 'chen', 'mei', 'ivan',
  'olga', 'carlos', 'lucia', 'daniel', 'sarah', 'alex', 'jordan', 'taylor', 'casey', 'nina'
];
// prettier-ignore
const LAST = [
  'smith', 'garcia', 'chen', 'khan', 'muller', 'rossi', 'silva', 'kim', 'nguyen', 'patel',
  'johnson', 'brown', 'lopez', 'martin', 'dubois', 'novak', 'tanaka', 'sato', 'okafor', 'mensah',
  'ali', 'hassan', 'wilson', 'taylor', 'anderson', 'moore', 'jackson', 'white', 'harris', 'clark',
  'lewis', 'walker', 'young', 'king', 'wright', 'scott', 'green', 'baker', 'adams', 'hill'
];
const OUTLETS: [string, string][] = [
  ['Gearwire', 'gearwire'],
  ['Byte Street', 'bytestreet'],
  ['The Checkout', 'thecheckoutnews'],
  ['Circuit Weekly', 'circuitweekly'],
  ['Daily Unboxed', 'dailyunboxed'],
  ['Market Pulse Post', 'marketpulsepost'],
  ['The Gadget Ledger', 'gadgetledger'],
  ['Consumer Watch Today', 'consumerwatchtd']
];
/** Very active accounts with big followings: [handle, name, followers, share of customer posts]. */
const HEAVY: [string, string, number, number][] = [
  ['@mayareviews', 'Maya Reviews', 2_300_000, 0.006],
  ['@dextech', 'Dex Tech', 1_150_000, 0.005],
  ['@gadgetguru', 'Gadget Guru', 640_000, 0.004],
  ['@julesunboxes', 'Jules Unboxes', 310_000, 0.004],
  ['@dealhunterdan', 'Deal Hunter Dan', 95_000, 0.003],
  ['@frequentflyerfi', 'Fi Travels', 48_000, 0.003]
];
const HEAVY_CUM = (() => {
  const out: number[] = [];
  let acc = 0;
  for (const h of HEAVY) out.push((acc += h[3]));
  return out;
})();
const PEOPLE = 20_000;

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function buildPeople(rng: Rng): Author[] {
  const out: Author[] = [];
  const taken = new Set<string>();
  while (out.length < PEOPLE) {
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const style = rng();
    let handle =
      style < 0.4
        ? `${first}${last}`
        : style < 0.7
          ? `${first}_${last}`
          : `${first}${last.charAt(0)}${Math.floor(rng() * 100)}`;
    if (taken.has(handle)) handle = `${handle}${Math.floor(rng() * 10_000)}`;
    if (taken.has(handle)) continue;
    taken.add(handle);
    const followers = Math.min(5_000_000, Math.floor(150 / (1 - rng())));
    out.push({
      handle: `@${handle}`,
      name: rng() < 0.8 ? `${cap(first)} ${cap(last)}` : cap(first),
      followers,
      verified: followers >= 100_000 ? rng() < 0.9 : rng() < 0.004
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Time: how many mentions each minute gets

/** Relative volume per UTC hour, then per UTC weekday (Sunday first). */
const HOURLY = [
  0.45, 0.32, 0.24, 0.2, 0.2, 0.26, 0.42, 0.65, 0.9, 1.08, 1.2, 1.3, 1.4, 1.5, 1.55, 1.5, 1.4, 1.32,
  1.28, 1.3, 1.28, 1.1, 0.85, 0.62
];
const WEEKLY = [0.68, 1.06, 1.1, 1.08, 1.05, 0.97, 0.72];

interface Incident {
  start: number;
  end: number;
  mult: number;
  city: City;
}

/** Incident bursts: one per four days or so, 1–4 hours long, 2.5–5 times the usual volume. */
function incidents(rng: Rng, from: number, to: number): Incident[] {
  const span = to - from;
  const n = span >= DAY ? Math.max(1, Math.round(span / (4 * DAY))) : 0;
  const out: Incident[] = [];
  for (let i = 0; i < n; i++) {
    const len = HOUR + rng() * 3 * HOUR;
    const start = from + (span - len) * ((i + rng()) / n);
    out.push({ start, end: start + len, mult: 2.5 + rng() * 2.5, city: pick(rng, CITIES) });
  }
  return out;
}

function incidentMult(list: readonly Incident[], t: number): number {
  for (const x of list) {
    if (t < x.start || t >= x.end) continue;
    // A fast rise and a slower fall.
    const shape = Math.min(1, (t - x.start) / (20 * MINUTE), (x.end - t) / (45 * MINUTE));
    return 1 + (x.mult - 1) * Math.max(0, shape);
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Pending brand replies: a binary heap by due time (bounded by traffic × reply delay)

interface PendingReply {
  due: number;
  parentId: string;
  parentHandle: string;
  channel: Channel;
  lang: Lang;
  sentiment: number;
}

class ReplyHeap {
  private readonly items: PendingReply[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): PendingReply | undefined {
    return this.items[0];
  }
  push(x: PendingReply): void {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.due <= x.due) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = x;
  }
  pop(): PendingReply {
    const h = this.items;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r]!.due < h[l]!.due ? r : l;
        if (h[c]!.due >= last.due) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

/** Reply delay: log-normal, median 20 minutes, 90% within 2 hours, at most 2 days. */
const REPLY_MU = Math.log(20 * MINUTE);
const REPLY_SIGMA = Math.log(6) / 1.2816;

// ---------------------------------------------------------------------------------------------
// The generator

/** Summary printed when seeding is done. */
export interface SeedSummary {
  db: string;
  mentions: number;
  inserted: number;
  replies: number;
  customers: number;
  from: number;
  to: number;
  days: number;
  seed: number;
  /** Wall time in all, then for the inserts and for the full-text index and cube after them. */
  seconds: number;
  insertSeconds: number;
  indexSeconds: number;
  /** Mentions per second over the whole run. */
  rowsPerSec: number;
}

async function run(o: Options): Promise<void> {
  // Loaded after the arguments are checked, so a mistyped option is refused at once.
  const [{ openSqliteStore }, { ConfigError, loadConfig }, { Pipeline }, { trackingSchema }] =
    await Promise.all([
      import('../server/adapters/store/sqlite-store'),
      import('../server/config'),
      import('../server/core/pipeline'),
      import('../server/core/tracking')
    ]);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) usage(err.message);
    throw err;
  }
  const dbFile = o.db ?? config.dbFile;
  const brandHandle = config.brandHandles[0] ?? '@NorthwindHelp';
  const brandName = config.brandName;
  const brandTag = brandName.replace(/[^\p{L}\p{N}_]/gu, '');

  const to = Math.floor(o.end);
  const from = to - Math.round(o.days * DAY);
  const minutes = Math.ceil((to - from) / MINUTE);

  const world = stream(o.seed, 1);
  const rng = stream(o.seed, 2);
  const people = buildPeople(world);
  const outlets: Author[] = OUTLETS.map(([name, handle]) => ({
    handle: `@${handle}`,
    name,
    followers: Math.round(Math.exp(Math.log(20_000) + world() * Math.log(150))),
    verified: world() < 0.85
  }));
  const heavy: Author[] = HEAVY.map(([handle, name, followers]) => ({
    handle,
    name,
    followers,
    verified: true
  }));
  const brandAuthor: Author = {
    handle: brandHandle,
    name: `${brandName} Support`,
    followers: 312_400,
    verified: true
  };
  const bursts = incidents(stream(o.seed, 3), from, to);

  // Mentions per minute: the diurnal × weekly profile with some hourly noise and the bursts,
  // rounded so the total is exactly N.
  const weights = new Float64Array(minutes);
  const noise = stream(o.seed, 4);
  let hourNoise = 1;
  let total = 0;
  for (let i = 0; i < minutes; i++) {
    const t = from + i * MINUTE;
    if (i === 0 || t % HOUR === 0) hourNoise = Math.exp(0.12 * normal(noise));
    const d = new Date(t);
    const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
    const h0 = Math.floor(hour);
    const f = hour - h0;
    const diurnal = HOURLY[h0]! * (1 - f) + HOURLY[(h0 + 1) % 24]! * f;
    const w = diurnal * WEEKLY[d.getUTCDay()]! * hourNoise * incidentMult(bursts, t);
    // The last minute may be partial.
    weights[i] = w * Math.min(1, (to - t) / MINUTE);
    total += weights[i]!;
  }

  const pipeline = new Pipeline({ brandHandles: config.brandHandles, brandName });
  const store = openSqliteStore(dbFile);
  if (store.getSetting('tracking') === null) {
    const tracking = trackingSchema.parse({
      competitors: COMPETITORS.map((name) => ({ name, keywords: [name.toLowerCase()] }))
    });
    store.putSetting('tracking', tracking, Date.now());
  }

  const idPrefix = `s${o.seed}-${to.toString(36)}-`;
  let counter = 0;
  const fill = (template: string, lang: Lang, city: City | null, replyTo: string): string =>
    template.replace(/\{(\w+)\}/g, (_, k: string) => {
      switch (k) {
        case 'b':
          return brandName;
        case 'h':
          return brandHandle;
        case 'p':
        case 'q':
          return pick(rng, PRODUCTS);
        case 'c':
          return (city ?? pick(rng, CITIES_BY_LANG[lang].cities)).name;
        case 'o':
          return String(1_000_000 + Math.floor(rng() * 9_000_000));
        case 'ds':
          return pick(rng, SHORT);
        case 'dl':
          return pick(rng, LONG);
        case 'm':
          return `$${(10 + Math.floor(rng() * 39_000) / 100).toFixed(2)}`;
        case 'x':
          return pick(rng, COMPETITORS);
        case 'en':
          return pick(rng, EMOJI_NEG);
        case 'ep':
          return pick(rng, EMOJI_POS);
        case 'u':
          return replyTo;
        case 's':
          return `^${pick(rng, AGENTS)}`;
        case 't':
          return brandTag;
        default:
          return `{${k}}`;
      }
    });

  const mention = (
    createdAt: number,
    channel: Channel,
    text: string,
    author: Author,
    lang: Lang,
    inReplyToId: string | null,
    geo: Geo | null
  ): Mention => {
    const id = idPrefix + (++counter).toString(36);
    return {
      id,
      source: SOURCE,
      channel,
      createdAt,
      text,
      author,
      // Platforms that declare a language (the social networks) do; the rest are detected.
      lang: channel === 'forum' || channel === 'review' || channel === 'news' ? null : lang,
      url: `https://example.com/${channel}/${id}`,
      inReplyToId,
      geo
    };
  };

  const heap = new ReplyHeap();
  const batch: Mention[] = [];
  let inserted = 0;
  let replies = 0;
  let customers = 0;
  let done = 0;
  const started = performance.now();
  let lastProgress = started;
  const tty = process.stderr.isTTY;

  const progress = (final: boolean): void => {
    const now = performance.now();
    if (!final && now - lastProgress < (tty ? 250 : 10_000)) return;
    lastProgress = now;
    const secs = (now - started) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    const eta = rate > 0 ? (o.mentions - done) / rate : 0;
    const line =
      `seed: ${done.toLocaleString('en-US')} / ${o.mentions.toLocaleString('en-US')} ` +
      `(${((done / o.mentions) * 100).toFixed(1)}%)  ${Math.round(rate).toLocaleString('en-US')} rows/s` +
      `  ${secs.toFixed(0)} s elapsed${final ? '' : `, ~${Math.ceil(eta)} s left`}`;
    process.stderr.write(tty ? `\r${line.padEnd(90)}${final ? '\n' : ''}` : `${line}\n`);
  };

  const flush = (): void => {
    if (batch.length === 0) return;
    const enriched = pipeline.enrichBatch(batch);
    inserted += store.insertMentions(enriched).fresh.length;
    done += batch.length;
    batch.length = 0;
    progress(false);
  };

  const emitCustomer = (t: number, incidentShare: number): void => {
    const incident = incidentShare > 0 && rng() < incidentShare;
    let channel: Channel;
    let lang: Lang;
    let sentiment: number;
    let template: string;
    let city: City | null = null;
    if (incident) {
      const burst = bursts.find((b) => t >= b.start && t < b.end);
      city = burst?.city ?? null;
      channel = rng() < 0.7 ? 'twitter' : rng() < 0.5 ? 'bluesky' : 'reddit';
      lang = 'en';
      sentiment = 0;
      template = pick(rng, INCIDENT_TEXTS);
    } else {
      const ci = pickIndex(rng, CHANNEL_CUM);
      channel = CHANNEL_WEIGHTS[ci]![0];
      sentiment = pickIndex(rng, SENTIMENT_CUM[ci]!);
      lang = channel === 'news' || channel === 'review' ? 'en' : LANGS[pickIndex(rng, LANG_CUM)]!;
      const set =
        channel === 'news'
          ? NEWS_TEXTS
          : channel === 'review'
            ? REVIEW_TEXTS
            : lang === 'en' && rng() < COMPETITOR_SHARE
              ? COMPETITOR_TEXTS
              : TEXTS[lang];
      template = pick(rng, set[sentiment]!);
    }
    let author: Author;
    if (channel === 'news') author = pick(rng, outlets);
    else {
      const u = rng();
      const hi = HEAVY_CUM.findIndex((c) => u < c);
      if (hi >= 0 && lang === 'en') author = heavy[hi]!;
      else {
        // Squaring skews activity: a minority of accounts post again and again.
        const v = rng();
        author = people[Math.floor(v * v * people.length)]!;
      }
    }
    let geo: Geo | null = null;
    if (rng() < GEO_SHARE) {
      const c =
        city ??
        (lang === 'en' && rng() < 0.5
          ? CITIES[pickIndex(rng, CITY_CUM)]!
          : CITIES_BY_LANG[lang].cities[pickIndex(rng, CITIES_BY_LANG[lang].cum)]!);
      city ??= c;
      // Jitter within ~5 km so a map shows a cloud rather than one stacked dot per city.
      geo = {
        lat: Math.round((c.lat + (rng() - 0.5) * 0.09) * 1e4) / 1e4,
        lon: Math.round((c.lon + (rng() - 0.5) * 0.09) * 1e4) / 1e4,
        country: c.country
      };
    }
    const text = fill(template, lang, city, '');
    const m = mention(t, channel, text, author, lang, null, geo);
    batch.push(m);
    customers++;
    const p =
      (incident ? 0.3 : REPLY_BASE[channel] * REPLY_SENTIMENT[sentiment]!) *
      (author.followers >= 100_000 ? 1.6 : 1);
    if (rng() < p) {
      const delay = Math.min(2 * DAY, Math.exp(REPLY_MU + REPLY_SIGMA * normal(rng)));
      const due = Math.ceil(t + 30_000 + delay);
      if (due < to)
        heap.push({ due, parentId: m.id, parentHandle: author.handle, channel, lang, sentiment });
    }
  };

  const emitReply = (r: PendingReply): void => {
    const template = pick(rng, REPLY_TEXTS[r.lang][r.sentiment]!);
    batch.push(
      mention(
        r.due,
        r.channel,
        fill(template, r.lang, null, r.parentHandle),
        brandAuthor,
        r.lang,
        r.parentId,
        null
      )
    );
    replies++;
  };

  let allocated = 0;
  let cum = 0;
  for (let i = 0; i < minutes; i++) {
    const start = from + i * MINUTE;
    const end = Math.min(to, start + MINUTE);
    cum += weights[i]!;
    const target = i === minutes - 1 ? o.mentions : Math.round((o.mentions * cum) / total);
    let budget = target - allocated;
    allocated = target;
    // Replies due this minute come first (a reply pushed out of a full minute comes next minute).
    while (budget > 0 && heap.size > 0 && heap.peek()!.due < end) {
      emitReply(heap.pop());
      budget--;
      if (batch.length >= BATCH) flush();
    }
    const mult = incidentMult(bursts, start + MINUTE / 2);
    const share = (mult - 1) / mult;
    for (; budget > 0; budget--) {
      emitCustomer(start + Math.floor(rng() * (end - start)), share);
      if (batch.length >= BATCH) flush();
    }
  }
  flush();
  progress(true);
  const insertSeconds = (performance.now() - started) / 1000;
  // Bring explore's text and author indexes and hourly cube up to date, as the server's catch-up job
  // would at its next start, in the same batch sizes.
  const indexStarted = performance.now();
  let indexed = 0;
  for (;;) {
    const n = store.indexRecent(20_000);
    indexed += n;
    if (tty)
      process.stderr.write(`\rseed: text and author indexes ${indexed.toLocaleString('en-US')}`);
    if (n < 20_000) break;
  }
  while (store.updateCube(100_000) === 100_000);
  store.optimize();
  store.close();
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  process.stderr.write(
    `${tty ? '\r' : ''}seed: indexed ${indexed.toLocaleString('en-US')} texts and the hourly cube in ${indexSeconds.toFixed(1)} s\n`
  );
  const seconds = (performance.now() - started) / 1000;
  const summary: SeedSummary = {
    db: dbFile,
    mentions: done,
    inserted,
    replies,
    customers,
    from,
    to,
    days: o.days,
    seed: o.seed,
    seconds: Math.round(seconds * 10) / 10,
    insertSeconds: Math.round(insertSeconds * 10) / 10,
    indexSeconds: Math.round(indexSeconds * 10) / 10,
    rowsPerSec: Math.round(done / seconds)
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
}

await run(parseArgs(process.argv.slice(2)));
