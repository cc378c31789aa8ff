import { describe, expect, it } from 'vitest';
import { twcsToMention, type TwcsRow } from '../../server/adapters/sources/formats/twcs';

const row = (over: Partial<TwcsRow> = {}): TwcsRow => ({
  tweet_id: '2',
  author_id: '115712',
  inbound: 'True',
  created_at: 'Tue Oct 31 22:11:45 +0000 2017',
  text: '@sprintcare and how do you propose we do that',
  response_tweet_id: '',
  in_response_to_tweet_id: '1',
  ...over
});

describe('twcsToMention(row)', () => {
  it('maps a customer tweet to a mention with its original time', () => {
    const r = twcsToMention(row());
    expect(r).toEqual({
      ok: true,
      isBrand: false,
      mention: {
        id: '2',
        source: 'twcs',
        channel: 'twitter',
        createdAt: Date.UTC(2017, 9, 31, 22, 11, 45),
        text: '@sprintcare and how do you propose we do that',
        author: { handle: '@115712', name: '115712', followers: 0, verified: false },
        lang: null,
        url: null,
        inReplyToId: '1',
        geo: null
      }
    });
  });

  it.each([
    [{ inbound: 'False', author_id: 'sprintcare' }, true, '1'],
    [{ in_response_to_tweet_id: '' }, false, null],
    [{ in_response_to_tweet_id: '7,8' }, false, '7']
  ])('reads %j: brand %s, replying to %s', (over, isBrand, inReplyToId) => {
    const r = twcsToMention(row(over));
    expect(r.ok && r.isBrand).toBe(isBrand);
    expect(r.ok && r.mention.inReplyToId).toBe(inReplyToId);
  });

  it.each([
    [{ tweet_id: '' }, 'tweet_id'],
    [{ author_id: '' }, 'author_id'],
    [{ inbound: 'maybe' }, 'inbound'],
    [{ created_at: 'last Tuesday' }, 'created_at']
  ])('refuses %j, naming %s', (over, column) => {
    const r = twcsToMention(row(over));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(column);
  });
});
