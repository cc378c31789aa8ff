import type { Mention } from '../../../../src/lib/shared/types';

/** One row of the Customer Support on Twitter CSV. */
export interface TwcsRow {
  tweet_id: string;
  author_id: string;
  inbound: string;
  created_at: string;
  text: string;
  response_tweet_id: string;
  in_response_to_tweet_id: string;
}

/** The header of the Customer Support on Twitter CSV, in order. */
export const TWCS_COLUMNS = [
  'tweet_id',
  'author_id',
  'inbound',
  'created_at',
  'text',
  'response_tweet_id',
  'in_response_to_tweet_id'
] as const;

/**
 * Turns a twcs row into a mention, or an error that names the column. `inbound=False` rows are
 * written by the company (a brand handle); their replies answer customers.
 */
export function twcsToMention(
  row: TwcsRow,
  source = 'twcs'
): { ok: true; mention: Mention; isBrand: boolean } | { ok: false; error: string } {
  if (!row.tweet_id) return { ok: false, error: 'tweet_id is empty' };
  if (!row.author_id) return { ok: false, error: 'author_id is empty' };
  if (row.inbound !== 'True' && row.inbound !== 'False') {
    return {
      ok: false,
      error: `inbound must be True or False, got ${JSON.stringify(row.inbound)}`
    };
  }
  const createdAt = Date.parse(row.created_at);
  if (!Number.isFinite(createdAt)) {
    return { ok: false, error: `created_at is not a date: ${JSON.stringify(row.created_at)}` };
  }
  const handle = `@${row.author_id}`;
  return {
    ok: true,
    isBrand: row.inbound === 'False',
    mention: {
      id: row.tweet_id,
      source,
      channel: 'twitter',
      createdAt,
      text: row.text ?? '',
      author: { handle, name: row.author_id, followers: 0, verified: false },
      lang: null,
      url: null,
      // A tweet may answer several; the first id is the one it replies to.
      inReplyToId: row.in_response_to_tweet_id ? row.in_response_to_tweet_id.split(',')[0]! : null,
      geo: null
    }
  };
}
