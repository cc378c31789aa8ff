import type { Channel, Mention } from '../../src/lib/shared/types';

let counter = 0;

/** A valid mention for tests; override any field. */
export function makeMention(over: Partial<Mention> = {}): Mention {
  counter++;
  return {
    id: `t-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    source: 'test',
    channel: 'twitter' as Channel,
    createdAt: Date.now(),
    text: 'My order still has not arrived, this is terrible',
    author: {
      handle: `@customer${counter}`,
      name: `Customer ${counter}`,
      followers: 120,
      verified: false
    },
    lang: 'en',
    url: null,
    inReplyToId: null,
    geo: null,
    ...over
  };
}

/** A brand reply to `to` from the default test brand handle. */
export function makeReply(to: Mention, over: Partial<Mention> = {}): Mention {
  return makeMention({
    source: to.source,
    channel: to.channel,
    text: 'Sorry about that, please DM us your order number',
    author: {
      handle: '@NorthwindHelp',
      name: 'Northwind Support',
      followers: 50_000,
      verified: true
    },
    inReplyToId: to.id,
    ...over
  });
}
