import { describe, expect, it } from 'vitest';
import { statusToMention } from '../../server/adapters/sources/connectors/mastodon';
import { parseMention } from '../../server/core/mention-schema';
import { makeStatus } from '../helpers/fake-mastodon';

const INSTANCE = 'https://mastodon.social';

describe('statusToMention', () => {
  it('maps a Status entity to a mention', () => {
    const status = makeStatus({
      id: '112233',
      created_at: '2024-05-01T12:34:56.789Z',
      language: 'de',
      in_reply_to_id: '112200',
      uri: 'https://mastodon.example/users/alice/statuses/998877',
      url: 'https://mastodon.example/@alice/998877',
      content:
        '<p>Hi <a href="https://mastodon.social/@NorthwindHelp" class="u-url mention">@<span>NorthwindHelp</span></a> &amp; thanks<br>line</p><script>x()</script>'
    });
    const mention = statusToMention(status, INSTANCE);
    expect(mention).toEqual({
      id: 'mastodon.social:112233',
      source: 'mastodon',
      channel: 'mastodon',
      createdAt: Date.parse('2024-05-01T12:34:56.789Z'),
      text: 'Hi @NorthwindHelp & thanks\nline',
      author: { handle: '@alice@mastodon.example', name: 'Alice', followers: 321, verified: false },
      lang: 'de',
      url: 'https://mastodon.example/@alice/998877',
      inReplyToId: 'mastodon.social:112200',
      geo: null
    });
    expect(parseMention(mention).ok).toBe(true);
  });

  it('appends the instance host to local accounts and falls back to the username', () => {
    const status = makeStatus({
      account: { acct: 'bob', username: 'bob', display_name: '', followers_count: 3 }
    });
    const m = statusToMention(status, INSTANCE);
    expect(m?.author).toEqual({
      handle: '@bob@mastodon.social',
      name: 'bob',
      followers: 3,
      verified: false
    });
  });

  it('puts a content warning first', () => {
    const m = statusToMention(
      makeStatus({ spoiler_text: ' Northwind rant ', content: '<p>the lid broke</p>' }),
      INSTANCE
    );
    expect(m?.text).toBe('CW: Northwind rant\nthe lid broke');
  });

  it('keeps paragraphs apart and decodes entities', () => {
    const m = statusToMention(
      makeStatus({ content: '<p>one &lt;b&gt; &quot;two&quot;</p><p>three&nbsp;&#x1F600;</p>' }),
      INSTANCE
    );
    expect(m?.text).toBe('one <b> "two"\n\nthree\u00a0😀');
  });

  it('never lets hostile markup through as tags', () => {
    const hostile =
      '<p><img src=x onerror="alert(1)">safe<script>alert(2)</script><style>p{}</style>' +
      '<iframe src="javascript:alert(3)"></iframe><a href="javascript:alert(4)">click</a>' +
      '<svg onload="alert(5)"></svg>' +
      '<div>'.repeat(500) +
      'deep' +
      '</div>'.repeat(500) +
      '</p>';
    const m = statusToMention(makeStatus({ content: hostile }), INSTANCE);
    expect(m).not.toBeNull();
    expect(m!.text).not.toMatch(/<\s*[a-z/!]/i);
    expect(m!.text).not.toContain('alert(2)');
    expect(m!.text).not.toContain('javascript:');
    expect(m!.text).toContain('safe');
    expect(m!.text).toContain('click');
  });

  it('skips boosts and statuses without what a mention needs', () => {
    expect(statusToMention(makeStatus({ reblog: makeStatus() }), INSTANCE)).toBeNull();
    expect(statusToMention(makeStatus({ created_at: 'yesterday' }), INSTANCE)).toBeNull();
    expect(statusToMention(makeStatus({ id: undefined }), INSTANCE)).toBeNull();
    expect(statusToMention(makeStatus({ account: null }), INSTANCE)).toBeNull();
    expect(statusToMention(makeStatus({ account: { acct: '' } }), INSTANCE)).toBeNull();
    for (const junk of [null, undefined, 42, 'status', [], true]) {
      expect(statusToMention(junk, INSTANCE)).toBeNull();
    }
    expect(statusToMention(makeStatus(), 'not a url')).toBeNull();
  });

  it('keeps only http(s) links, falling back from url to uri', () => {
    const uri = 'https://remote.example/users/a/statuses/1';
    expect(statusToMention(makeStatus({ url: null, uri }), INSTANCE)?.url).toBe(uri);
    expect(statusToMention(makeStatus({ url: 'javascript:alert(1)', uri }), INSTANCE)?.url).toBe(
      uri
    );
    expect(
      statusToMention(makeStatus({ url: 'javascript:alert(1)', uri: 'ftp://x/y' }), INSTANCE)?.url
    ).toBeNull();
  });

  it('bounds followers, language and text', () => {
    const over = (followers: unknown): number | undefined =>
      statusToMention(
        makeStatus({ account: { acct: 'a@b.example', username: 'a', followers_count: followers } }),
        INSTANCE
      )?.author.followers;
    expect(over(-5)).toBe(0);
    expect(over(12.7)).toBe(12);
    expect(over('many')).toBe(0);
    expect(over(undefined)).toBe(0);
    expect(over(1e20)).toBe(10_000_000_000);
    expect(statusToMention(makeStatus({ language: null }), INSTANCE)?.lang).toBeNull();
    expect(statusToMention(makeStatus({ language: 'x' }), INSTANCE)?.lang).toBeNull();
    const long = statusToMention(
      makeStatus({ content: `<p>${'a'.repeat(9_999)}😀 and more</p>` }),
      INSTANCE
    );
    // The emoji's surrogate pair would straddle the limit: it is dropped, not split.
    expect(long?.text).toBe('a'.repeat(9_999));
    expect(parseMention(long).ok).toBe(true);
  });

  it('accepts numeric ids and builds the same id scheme for replies', () => {
    const m = statusToMention(makeStatus({ id: 7, in_reply_to_id: 6 }), 'http://localhost:3000');
    expect(m?.id).toBe('localhost:3000:7');
    expect(m?.inReplyToId).toBe('localhost:3000:6');
  });
});
