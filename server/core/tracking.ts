import { z } from 'zod';
import { CHANNELS } from '../../src/lib/shared/types';
import { topicRulesSchema } from './enrich/topics';

const term = z.string().trim().min(1, 'must not be empty').max(200);
const handle = z
  .string()
  .trim()
  // Mastodon handles carry their instance: @NorthwindHelp@mastodon.social.
  .regex(
    /^@?[A-Za-z0-9_.-]{1,100}(@[A-Za-z0-9.-]{1,200})?$/,
    'must be a handle such as @NorthwindHelp or @NorthwindHelp@mastodon.social'
  );
const hashtag = z
  .string()
  .trim()
  .regex(/^#?[\p{L}\p{N}_]{1,100}$/u, 'must be a hashtag such as #northwind')
  .transform((h) => (h.startsWith('#') ? h : `#${h}`));
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const wsUrl = z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' });

/** What the wall listens for: the brand, its keywords and hashtags, competitors, exclusions. */
export const trackingSchema = z.strictObject({
  brand: z
    .strictObject({
      name: z.string().trim().min(1).max(100).optional(),
      /** The brand's own accounts: their replies to customers are brand replies. */
      handles: z.array(handle).max(100).optional()
    })
    .default({}),
  keywords: z.array(term).max(1000).default([]),
  hashtags: z.array(hashtag).max(1000).default([]),
  /** Other brands, for share of voice. */
  competitors: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(100),
        keywords: z.array(term).max(100).default([]),
        handles: z.array(handle).max(100).default([])
      })
    )
    .max(100)
    .default([]),
  /** Mentions containing any of these are ignored by the live connectors. */
  excluded: z.array(term).max(1000).default([]),
  /** Topic taxonomy for the top-topics panel; the built-in customer-care topics when absent. */
  topics: topicRulesSchema.optional()
});

/** Tracking configuration after validation. */
export type Tracking = z.infer<typeof trackingSchema>;

/** Settings of the live connectors. */
export const sourcesSchema = z.strictObject({
  simulator: z.strictObject({ enabled: z.boolean() }).optional(),
  bluesky: z
    .strictObject({
      enabled: z.boolean().default(true),
      url: wsUrl.default('wss://jetstream2.us-east.bsky.network/subscribe')
    })
    .optional(),
  mastodon: z
    .strictObject({
      enabled: z.boolean().default(true),
      instance: httpUrl,
      /** An application access token with the read:statuses scope; the streaming API needs one. */
      accessToken: z.string().min(1).max(500),
      stream: z.enum(['public', 'public:local', 'hashtag']).default('hashtag'),
      /** For the hashtag stream: the tag, with or without #. */
      hashtag: z
        .string()
        .regex(/^#?[\p{L}\p{N}_]{1,100}$/u, 'must be a hashtag')
        .transform((h) => h.replace(/^#/, ''))
        .optional(),
      transport: z.enum(['sse', 'websocket']).default('sse')
    })
    .refine((m) => m.stream !== 'hashtag' || m.hashtag, {
      message: 'the hashtag stream needs a hashtag',
      path: ['hashtag']
    })
    .optional(),
  rss: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** A cron expression (node-cron, with optional seconds). */
      schedule: z.string().min(1).max(100).default('*/5 * * * *'),
      feeds: z
        .array(
          z.strictObject({
            url: httpUrl,
            /** Short name used in source names (`rss:<name>`); defaults to the host. */
            name: z
              .string()
              .regex(/^[A-Za-z0-9_.-]{1,60}$/, 'letters, digits, _ . - only')
              .optional(),
            channel: z.enum(CHANNELS).default('news'),
            /** Keep only items that match the tracked terms (for feeds not about the brand). */
            filter: z.boolean().default(false)
          })
        )
        .min(1)
        .max(200)
    })
    .optional()
});

/** Connector settings after validation. */
export type SourcesConfig = z.infer<typeof sourcesSchema>;

/** The optional JSON file named by `CONFIG`. */
export const configFileSchema = z.strictObject({
  ...trackingSchema.shape,
  sources: sourcesSchema.default({})
});

/** The configuration file after validation. */
export type ConfigFile = z.infer<typeof configFileSchema>;

/** Validates a parsed configuration file: the value, or one line per problem naming its path. */
export function parseConfigFile(
  input: unknown
): { ok: true; config: ConfigFile } | { ok: false; errors: string[] } {
  const r = configFileSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    errors: r.error.issues.map(
      (i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`
    )
  };
}

/** What a text matched. */
export interface TrackingMatch {
  /** True when the text mentions the brand (a keyword, hashtag or handle) and nothing excluded. */
  brand: boolean;
  /** Names of competitors the text mentions. */
  competitors: string[];
}

/** A compiled matcher: decides whether a text is about the brand or a competitor. */
export type Matcher = (text: string) => TrackingMatch;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One case-insensitive pattern for whole words or phrases: "north" does not match "northwind",
 * "#northwind" matches the hashtag, "@northwindhelp" the handle.
 */
function wordsPattern(terms: readonly string[]): RegExp | null {
  const unique = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter(Boolean))];
  if (unique.length === 0) return null;
  // Longest first, so a phrase wins over its first word.
  unique.sort((a, b) => b.length - a.length);
  return new RegExp(
    `(?<![\\p{L}\\p{N}_@#])(?:${unique.map(escape).join('|')})(?![\\p{L}\\p{N}_])`,
    'iu'
  );
}

const asMention = (h: string): string => (h.startsWith('@') ? h : `@${h}`);

/** Compiles the tracking configuration into a matcher (pure; compile once, call per text). */
export function compileMatcher(t: Tracking): Matcher {
  const brandTerms = [...t.keywords, ...t.hashtags, ...(t.brand.handles ?? []).map(asMention)];
  if (t.brand.name) brandTerms.push(t.brand.name);
  const brand = wordsPattern(brandTerms);
  const excluded = wordsPattern(t.excluded);
  const competitors = t.competitors
    .map((c) => ({
      name: c.name,
      re: wordsPattern([c.name, ...c.keywords, ...c.handles.map(asMention)])
    }))
    .filter((c): c is { name: string; re: RegExp } => c.re !== null);
  return (text) => {
    if (excluded?.test(text)) return { brand: false, competitors: [] };
    const hits: string[] = [];
    for (const c of competitors) if (c.re.test(text)) hits.push(c.name);
    return { brand: brand ? brand.test(text) : false, competitors: hits };
  };
}
