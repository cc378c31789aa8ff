import { Ajv, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { CHANNELS, type Mention } from '../../src/lib/shared/types';

/** Longest mention text accepted (characters); longer posts are refused, not truncated. */
export const MAX_TEXT_LENGTH = 10_000;

/**
 * Cuts a connector's text to `max` UTF-16 units, ending in an ellipsis, without splitting a
 * surrogate pair: a live post that is too long is shortened rather than refused.
 */
export function clipText(text: string, max = MAX_TEXT_LENGTH): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const isoOrEpoch = z.union([
  z.number().int().nonnegative().max(8.64e15),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))
]);

/** Schema of one inbound mention; parses to a typed {@link Mention}. */
export const mentionSchema = z.strictObject({
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(100),
  channel: z.enum(CHANNELS),
  createdAt: isoOrEpoch,
  text: z.string().max(MAX_TEXT_LENGTH),
  author: z.strictObject({
    handle: z.string().min(1).max(200),
    name: z.string().max(300),
    followers: z.number().int().nonnegative().max(10_000_000_000),
    verified: z.boolean()
  }),
  lang: z.string().min(2).max(35).nullable().default(null),
  // A pattern, not URL parsing: it is a quarter of validation time at firehose rates, and the
  // link is only ever rendered as an href the browser parses itself.
  url: z
    .string()
    .max(2000)
    .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i, 'must be an http(s) URL')
    .nullable()
    .default(null),
  inReplyToId: z.string().min(1).max(200).nullable().default(null),
  /** The brand's agent who wrote a reply (care attribution); optional. */
  agent: z.string().min(1).max(64).nullable().optional(),
  geo: z
    .strictObject({
      lat: z.number().min(-90).max(90),
      lon: z.number().min(-180).max(180),
      country: z.string().length(2).optional()
    })
    .nullable()
    .default(null)
});

/** One problem with an input, named by its path (for example `author.followers`). */
export interface FieldError {
  path: string;
  message: string;
}

/** Validates one unknown value as a mention: the typed mention, or the errors that name fields. */
export function parseMention(
  input: unknown
): { ok: true; mention: Mention } | { ok: false; errors: FieldError[] } {
  const r = mentionSchema.safeParse(input);
  if (r.success) return { ok: true, mention: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({
      path: i.path.length ? i.path.map(String).join('.') : '(root)',
      message: i.message
    }))
  };
}

/**
 * The same schema compiled by Ajv from zod's own JSON Schema export, for the firehose: on valid
 * input it is about six times faster than zod and allocates nothing (defaults are filled in
 * place). It is only ever trusted to say yes; anything it refuses goes to zod, which decides and
 * words the errors. Both count string lengths in code points; patterns run without the `u` flag,
 * as zod's do. It cannot carry zod's case-insensitive URL flag, so an upper-case `HTTPS://` link
 * simply takes the zod path. tests/unit/core/mention-fast-path.test.ts checks the two agree.
 */
const fastCheck: ValidateFunction = (() => {
  const schema = z.toJSONSchema(mentionSchema, { io: 'input' }) as Record<string, unknown>;
  delete schema.$schema;
  return new Ajv({
    useDefaults: true,
    unicodeRegExp: false,
    validateFormats: false,
    allErrors: false,
    strict: false,
    logger: false
  }).compile(schema);
})();

/**
 * Validates a value straight from `JSON.parse` (plain objects, no `undefined`), as
 * {@link parseMention} does. The common valid case is checked by Ajv and normalised in place
 * (ISO `createdAt` to epoch milliseconds, missing nullable fields to null), so the result may be
 * the input object itself.
 */
export function parseJsonMention(
  input: unknown
): { ok: true; mention: Mention } | { ok: false; errors: FieldError[] } {
  if (fastCheck(input)) {
    const m = input as Omit<Mention, 'createdAt'> & { createdAt: number | string };
    if (typeof m.createdAt === 'string') m.createdAt = Date.parse(m.createdAt);
    return { ok: true, mention: m as Mention };
  }
  return parseMention(input);
}
