import { describe, expect, it } from 'vitest';
import { compileMatcher, parseConfigFile, trackingSchema } from '../../../server/core/tracking';

const tracking = trackingSchema.parse({
  brand: { name: 'Northwind', handles: ['@NorthwindHelp'] },
  keywords: ['northwind air', 'nw app'],
  hashtags: ['northwindfail', '#FlyNorthwind'],
  competitors: [
    { name: 'Contoso', keywords: ['contoso air'], handles: ['ContosoCares'] },
    { name: 'Fabrikam' }
  ],
  excluded: ['northwind ale', 'hiring']
});
const match = compileMatcher(tracking);

describe('compileMatcher', () => {
  it.each([
    ['Northwind lost my bag', true, []],
    ['NORTHWIND lost my bag', true, []],
    ['flew northwind air today', true, []],
    ['@NorthwindHelp where is my refund', true, []],
    ['@northwindhelp where is my refund', true, []],
    ['so much #northwindfail today', true, []],
    ['#flynorthwind was great', true, []],
    ['the nw app crashed', true, []],
    // Whole words only: a longer word or handle is not the brand.
    ['northwinds are cold', false, []],
    ['@NorthwindHelpDesk is a parody', false, []],
    ['#northwindfailures', false, []],
    ['new app released', false, []],
    ['northwind.com is down', true, []],
    ['@NorthwindHelp@mastodon.social hi', true, []],
    // Competitors are reported, with or without the brand.
    ['Contoso was on time, unlike Northwind', true, ['Contoso']],
    ['@ContosoCares thanks', false, ['Contoso']],
    ['fabrikam and contoso air', false, ['Contoso', 'Fabrikam']],
    // Exclusions win over everything.
    ['Northwind Ale is my favourite beer', false, []],
    ['Northwind is hiring pilots', false, []],
    ['', false, []]
  ])('%j → brand %s, competitors %j', (text, brand, competitors) => {
    expect(match(text)).toEqual({ brand, competitors });
  });

  it('treats regex characters in terms literally', () => {
    const m = compileMatcher(trackingSchema.parse({ keywords: ['c++ (beta)', 'a.b'] }));
    expect(m('love c++ (beta) builds').brand).toBe(true);
    expect(m('axb').brand).toBe(false);
  });

  it('matches nothing when nothing is tracked', () => {
    expect(compileMatcher(trackingSchema.parse({}))('anything at all')).toEqual({
      brand: false,
      competitors: []
    });
  });
});

describe('parseConfigFile', () => {
  it('accepts a full file and applies defaults', () => {
    const r = parseConfigFile({
      brand: { name: 'Northwind', handles: ['@NorthwindHelp'] },
      keywords: ['northwind'],
      sources: {
        bluesky: { enabled: true },
        mastodon: {
          instance: 'https://mastodon.social',
          accessToken: 'tok',
          hashtag: '#northwind'
        },
        rss: { feeds: [{ url: 'https://example.com/feed.xml' }] }
      }
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.hashtags).toEqual([]);
    expect(r.config.sources.bluesky?.url).toMatch(/^wss:\/\/jetstream/);
    expect(r.config.sources.mastodon).toMatchObject({
      enabled: true,
      stream: 'hashtag',
      hashtag: 'northwind',
      transport: 'sse'
    });
    expect(r.config.sources.rss).toMatchObject({
      enabled: true,
      schedule: '*/5 * * * *',
      feeds: [{ url: 'https://example.com/feed.xml', channel: 'news', filter: false }]
    });
  });

  it.each([
    [{ keywords: [''] }, 'keywords.0: must not be empty'],
    [{ keywords: 'northwind' }, 'keywords: '],
    [{ brand: { handles: ['not a handle!'] } }, 'brand.handles.0: must be a handle'],
    [{ hashtags: ['two words'] }, 'hashtags.0: must be a hashtag'],
    [{ keywrods: ['x'] }, '(root): Unrecognized key: "keywrods"'],
    [
      { sources: { bluesky: { url: 'http://x' } } },
      'sources.bluesky.url: must be a ws:// or wss:// URL'
    ],
    [
      { sources: { mastodon: { instance: 'https://m.example', accessToken: 't' } } },
      'sources.mastodon.hashtag: the hashtag stream needs a hashtag'
    ],
    [
      {
        sources: { mastodon: { instance: 'ftp://m.example', accessToken: 't', stream: 'public' } }
      },
      'sources.mastodon.instance: must be an http(s) URL'
    ],
    [{ sources: { rss: { feeds: [] } } }, 'sources.rss.feeds: '],
    [
      { sources: { rss: { feeds: [{ url: 'https://x.example/f', channel: 'tv' }] } } },
      'sources.rss.feeds.0.channel: '
    ]
  ])('refuses %j naming the field', (input, message) => {
    const r = parseConfigFile(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toContain(message);
  });
});
