import type { Mention } from '../../../../src/lib/shared/types';

/** One mapped tweet, or why it could not be used. */
export type TweetResult = { ok: true; mention: Mention } | { ok: false; error: string };

interface V2User {
  id?: unknown;
  username?: unknown;
  name?: unknown;
  verified?: unknown;
  public_metrics?: { followers_count?: unknown };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Maps one Twitter API v2 response (`{ data, includes: { users } }`, as the search and timeline
 * endpoints and twarc2 write it) to mentions. `data` may be one tweet or an array. Authors come
 * from `includes.users` by `author_id`; a reply's parent is its `replied_to` reference. Tweets need
 * `created_at` (request `tweet.fields=created_at,author_id,lang,referenced_tweets`).
 */
export function twitterPageToMentions(page: unknown, source = 'twitter'): TweetResult[] {
  if (typeof page !== 'object' || page === null || Array.isArray(page)) {
    return [{ ok: false, error: 'not a Twitter API v2 response: expected an object with data' }];
  }
  const p = page as { data?: unknown; includes?: { users?: unknown } };
  if (p.data === undefined) {
    // A page with only `meta` (no results) or `errors` carries no tweets.
    return [];
  }
  const tweets = Array.isArray(p.data) ? (p.data as unknown[]) : [p.data];
  const users = new Map<string, V2User>();
  if (Array.isArray(p.includes?.users)) {
    for (const u of p.includes.users as V2User[]) {
      const id = str(u?.id);
      if (id) users.set(id, u);
    }
  }
  return tweets.map((t, i) => tweetToMention(t, users, source, i));
}

function tweetToMention(
  raw: unknown,
  users: ReadonlyMap<string, V2User>,
  source: string,
  index: number
): TweetResult {
  if (typeof raw !== 'object' || raw === null) {
    return { ok: false, error: `data[${index}] is not a tweet object` };
  }
  const t = raw as Record<string, unknown>;
  const id = str(t.id);
  if (!id) return { ok: false, error: `data[${index}].id is missing` };
  const createdAt = typeof t.created_at === 'string' ? Date.parse(t.created_at) : NaN;
  if (!Number.isFinite(createdAt)) {
    return {
      ok: false,
      error: `tweet ${id}: created_at is missing or not a date (request tweet.fields=created_at)`
    };
  }
  const note = (t.note_tweet as { text?: unknown } | undefined)?.text;
  const text = str(note) ?? (typeof t.text === 'string' ? t.text : null);
  if (text === null) return { ok: false, error: `tweet ${id}: text is missing` };
  const authorId = str(t.author_id);
  const user = authorId ? users.get(authorId) : undefined;
  const username = str(user?.username);
  const followers = user?.public_metrics?.followers_count;
  const refs = Array.isArray(t.referenced_tweets) ? (t.referenced_tweets as unknown[]) : [];
  const parent = refs.find(
    (r): r is { type: string; id: string } =>
      typeof r === 'object' &&
      r !== null &&
      (r as { type?: unknown }).type === 'replied_to' &&
      typeof (r as { id?: unknown }).id === 'string'
  );
  const point = (t.geo as { coordinates?: { type?: unknown; coordinates?: unknown } } | undefined)
    ?.coordinates;
  const lonLat =
    point?.type === 'Point' && Array.isArray(point.coordinates) ? point.coordinates : null;
  return {
    ok: true,
    mention: {
      id,
      source,
      channel: 'twitter',
      createdAt,
      text,
      author: {
        handle: `@${username ?? authorId ?? 'unknown'}`,
        name: str(user?.name) ?? username ?? authorId ?? 'unknown',
        followers:
          typeof followers === 'number' && Number.isInteger(followers) && followers >= 0
            ? followers
            : 0,
        verified: user?.verified === true
      },
      lang: str(t.lang),
      url: username
        ? `https://twitter.com/${username}/status/${id}`
        : `https://twitter.com/i/web/status/${id}`,
      inReplyToId: parent?.id ?? null,
      geo:
        lonLat && typeof lonLat[0] === 'number' && typeof lonLat[1] === 'number'
          ? { lat: lonLat[1], lon: lonLat[0] }
          : null
    }
  };
}
