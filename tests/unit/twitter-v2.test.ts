import { describe, expect, it } from 'vitest';
import { twitterPageToMentions } from '../../server/adapters/sources/formats/twitter-v2';

/** A search response shaped as the v2 API documents it (tweet.fields + expansions=author_id). */
const page = {
  data: [
    {
      id: '1460323737035677698',
      text: '@NorthwindHelp my flight got cancelled again',
      author_id: '2244994945',
      created_at: '2021-11-15T19:08:05.000Z',
      lang: 'en',
      geo: { coordinates: { type: 'Point', coordinates: [-73.99, 40.73] } }
    },
    {
      id: '1460323737035677699',
      text: 'so sorry, please DM us',
      author_id: '783214',
      created_at: '2021-11-15T19:20:05.000Z',
      lang: 'en',
      referenced_tweets: [
        { type: 'quoted', id: '1' },
        { type: 'replied_to', id: '1460323737035677698' }
      ]
    },
    {
      id: '3',
      text: 'short',
      note_tweet: { text: 'the long version of a long post' },
      created_at: '2021-11-15T19:21:00.000Z'
    },
    { id: '4', text: 'no date', author_id: '783214' },
    'nonsense'
  ],
  includes: {
    users: [
      {
        id: '2244994945',
        username: 'jane',
        name: 'Jane Doe',
        verified: false,
        public_metrics: { followers_count: 1234 }
      },
      { id: '783214', username: 'NorthwindHelp', name: 'Northwind Support', verified: true }
    ]
  },
  meta: { result_count: 5 }
};

describe('twitterPageToMentions', () => {
  const out = twitterPageToMentions(page);

  it('maps tweets with their authors from includes.users', () => {
    expect(out[0]).toEqual({
      ok: true,
      mention: {
        id: '1460323737035677698',
        source: 'twitter',
        channel: 'twitter',
        createdAt: Date.parse('2021-11-15T19:08:05.000Z'),
        text: '@NorthwindHelp my flight got cancelled again',
        author: { handle: '@jane', name: 'Jane Doe', followers: 1234, verified: false },
        lang: 'en',
        url: 'https://twitter.com/jane/status/1460323737035677698',
        inReplyToId: null,
        geo: { lat: 40.73, lon: -73.99 }
      }
    });
  });

  it('links a reply to its replied_to parent, not to a quoted tweet', () => {
    expect(out[1]).toMatchObject({
      ok: true,
      mention: {
        inReplyToId: '1460323737035677698',
        author: { handle: '@NorthwindHelp', verified: true, followers: 0 }
      }
    });
  });

  it('prefers the full note_tweet text and survives a missing author', () => {
    expect(out[2]).toMatchObject({
      ok: true,
      mention: {
        text: 'the long version of a long post',
        author: { handle: '@unknown' },
        url: 'https://twitter.com/i/web/status/3'
      }
    });
  });

  it('reports tweets it cannot use, saying how to fix the request', () => {
    expect(out[3]).toEqual({
      ok: false,
      error: expect.stringContaining('request tweet.fields=created_at') as string
    });
    expect(out[4]).toEqual({ ok: false, error: 'data[4] is not a tweet object' });
  });

  it.each([
    [{ meta: { result_count: 0 } }, 0],
    [{ data: page.data[0], includes: page.includes }, 1]
  ])('handles an empty page and a single-tweet lookup (%#)', (p, n) => {
    expect(twitterPageToMentions(p).filter((r) => r.ok)).toHaveLength(n);
  });

  it('refuses what is not a response', () => {
    expect(twitterPageToMentions([1, 2])[0]?.ok).toBe(false);
    expect(twitterPageToMentions(null)[0]?.ok).toBe(false);
  });
});
