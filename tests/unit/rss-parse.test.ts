import { describe, expect, it } from 'vitest';
import { FeedParseError, itemId, parseFeed } from '../../server/adapters/sources/connectors/rss';

const RSS2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Acme &amp; Co. News</title>
    <link>https://acme.example/</link>
    <atom:link href="https://acme.example/feed.xml" rel="self" type="application/rss+xml"/>
    <description>News from Acme</description>
    <language>en-GB</language>
    <item>
      <title>Northwind &#8217;s depot opens</title>
      <link>https://acme.example/depot</link>
      <description><![CDATA[<p>Doors open at <b>9</b>.</p><script>alert(1)</script><img src="x.png">]]></description>
      <pubDate>Tue, 04 Mar 2025 10:30:00 +0200</pubDate>
      <guid isPermaLink="false">0012</guid>
      <author>press@acme.example (Press Office)</author>
    </item>
    <item>
      <title>Escaped HTML</title>
      <link>https://acme.example/escaped</link>
      <description>&lt;p&gt;Fish &amp;amp; chips &amp;lt;3&lt;/p&gt;&lt;style&gt;p{}&lt;/style&gt;</description>
      <pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate>
      <dc:creator>Jane Doe</dc:creator>
    </item>
    <item>
      <title>Only full content</title>
      <content:encoded><![CDATA[<div>Full <em>article</em></div>]]></content:encoded>
      <pubDate>not a date</pubDate>
    </item>
  </channel>
</rss>`;

const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF Site</title>
    <link>https://rdf.example/</link>
    <description>An RSS 1.0 feed</description>
    <dc:language>de</dc:language>
    <items><rdf:Seq><rdf:li resource="https://rdf.example/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://rdf.example/a">
    <title>Erster Beitrag</title>
    <link>https://rdf.example/a</link>
    <description>Hallo Welt</description>
    <dc:date>2025-02-01T12:00:00+01:00</dc:date>
    <dc:creator>Max Mustermann</dc:creator>
  </item>
</rdf:RDF>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title type="html">Le &lt;b&gt;Blog&lt;/b&gt;</title>
  <id>urn:uuid:feed</id>
  <updated>2025-03-05T00:00:00Z</updated>
  <author><name>Desk</name></author>
  <entry>
    <title>Plain &lt;not a tag&gt;</title>
    <link rel="self" href="https://atom.example/api/1"/>
    <link rel="alternate" type="text/html" href="https://atom.example/1"/>
    <id>urn:uuid:1</id>
    <published>2025-03-04T12:00:00Z</published>
    <updated>2025-03-04T13:00:00Z</updated>
    <summary type="html">&lt;p&gt;Hello &lt;i&gt;world&lt;/i&gt;&lt;/p&gt;</summary>
    <author><name>Amélie</name></author>
  </entry>
  <entry>
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <b>XHTML</b> title</div></title>
    <link href="/relative/2"/>
    <id>urn:uuid:2</id>
    <updated>2025-03-03T09:00:00.500+01:00</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First <a href="https://x.example/">link</a> then &amp; more</p></div></content>
  </entry>
  <entry>
    <title>Text content</title>
    <id>urn:uuid:3</id>
    <content>  Just   text  </content>
  </entry>
</feed>`;

describe('parseFeed: RSS 2.0', () => {
  const feed = parseFeed(RSS2);

  it('reads the channel', () => {
    expect(feed.title).toBe('Acme & Co. News');
    expect(feed.language).toBe('en-gb');
    expect(feed.items).toHaveLength(3);
  });

  it('reads an item with a guid, CDATA HTML, an RFC 822 date and an author', () => {
    expect(feed.items[0]).toEqual({
      guid: '0012',
      link: 'https://acme.example/depot',
      title: 'Northwind ’s depot opens',
      summary: 'Doors open at 9.',
      published: Date.parse('2025-03-04T08:30:00Z'),
      author: 'Press Office'
    });
  });

  it('decodes escaped HTML once, drops style and reads dc:creator', () => {
    expect(feed.items[1]).toMatchObject({
      guid: null,
      link: 'https://acme.example/escaped',
      summary: 'Fish & chips <3',
      published: Date.parse('2025-03-03T08:00:00Z'),
      author: 'Jane Doe'
    });
  });

  it('falls back to content:encoded and leaves a bad date null', () => {
    expect(feed.items[2]).toMatchObject({
      guid: null,
      link: null,
      summary: 'Full article',
      published: null,
      author: null
    });
  });
});

describe('parseFeed: RSS 1.0 (RDF)', () => {
  it('reads items next to the channel, rdf:about as identity and dc:date', () => {
    const feed = parseFeed(RDF);
    expect(feed.title).toBe('RDF Site');
    expect(feed.language).toBe('de');
    expect(feed.items).toEqual([
      {
        guid: 'https://rdf.example/a',
        link: 'https://rdf.example/a',
        title: 'Erster Beitrag',
        summary: 'Hallo Welt',
        published: Date.parse('2025-02-01T11:00:00Z'),
        author: 'Max Mustermann'
      }
    ]);
  });
});

describe('parseFeed: Atom 1.0', () => {
  const feed = parseFeed(ATOM);

  it('reads the feed title by its type and xml:lang', () => {
    expect(feed.title).toBe('Le Blog');
    expect(feed.language).toBe('fr');
  });

  it('takes the alternate link, published before updated, html summary', () => {
    expect(feed.items[0]).toEqual({
      guid: 'urn:uuid:1',
      link: 'https://atom.example/1',
      title: 'Plain <not a tag>',
      summary: 'Hello world',
      published: Date.parse('2025-03-04T12:00:00Z'),
      author: 'Amélie'
    });
  });

  it('reads XHTML title and content, a link without rel, updated, the feed author', () => {
    expect(feed.items[1]).toEqual({
      guid: 'urn:uuid:2',
      link: '/relative/2',
      title: 'An XHTML title',
      summary: 'First link then & more',
      published: Date.parse('2025-03-03T08:00:00.500Z'),
      author: 'Desk'
    });
  });

  it('keeps text content as text', () => {
    expect(feed.items[2]).toMatchObject({ summary: 'Just   text', published: null, link: null });
  });

  it('accepts an atom: prefixed document', () => {
    const prefixed = parseFeed(
      `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title>` +
        `<a:entry><a:id>x</a:id><a:title>T</a:title><a:link href="https://p.example/x"/></a:entry></a:feed>`
    );
    expect(prefixed.items).toMatchObject([{ guid: 'x', title: 'T', link: 'https://p.example/x' }]);
  });
});

describe('parseFeed: hostile and broken input', () => {
  it('never expands DOCTYPE entities (billion laughs)', () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0"><channel><title>&d;&d;&d;</title>
<item><title>&a; x</title><description>&d;</description><guid>1</guid></item></channel></rss>`;
    const feed = parseFeed(bomb);
    expect(feed.title.length).toBeLessThan(20);
    expect(feed.items[0]!.title).toBe('&a; x');
    expect(feed.items[0]!.summary.length).toBeLessThan(20);
  });

  it('refuses external entities instead of resolving them', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>`;
    expect(() => parseFeed(xxe)).toThrow(/^not readable XML \(External entities/);
  });

  it('names the line of malformed XML', () => {
    expect(() => parseFeed('<rss><channel>\n<item><title>cut</channel></rss>')).toThrow(
      /^not valid XML \(line 2, column \d+: Expected closing tag 'title'/
    );
    expect(() => parseFeed('<rss><channel><item>')).toThrow(FeedParseError);
    expect(() => parseFeed('   ')).toThrow('not valid XML (the document is empty)');
    expect(() => parseFeed('{"items": []}')).toThrow(/^not valid XML/);
  });

  it('refuses XML that is not a feed', () => {
    expect(() => parseFeed('<html><body><p>Hello</p></body></html>')).toThrow(
      'not an RSS or Atom feed (the document is <html>, expected <rss>, <rdf:RDF> or <feed>)'
    );
  });

  it('refuses absurd nesting instead of recursing', () => {
    const deep = `<rss><channel>${'<x>'.repeat(500)}${'</x>'.repeat(500)}</channel></rss>`;
    expect(() => parseFeed(deep)).toThrow(/^not readable XML/);
  });

  it('tolerates a byte order mark and blank lines before the declaration', () => {
    const feed = parseFeed(
      `\uFEFF\n\n<?xml version="1.0"?><rss><channel><title>T</title></channel></rss>`
    );
    expect(feed).toEqual({ title: 'T', language: null, items: [] });
  });
});

describe('itemId', () => {
  const base = { title: 'T', summary: '', published: 1000, author: null };

  it('prefers the guid, then the link, then a hash of title and date', () => {
    expect(itemId({ ...base, guid: 'g', link: 'https://l' })).toBe('g');
    expect(itemId({ ...base, guid: null, link: 'https://l' })).toBe('https://l');
    const h = itemId({ ...base, guid: null, link: null });
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(itemId({ ...base, guid: null, link: null })).toBe(h);
    expect(itemId({ ...base, guid: null, link: null, published: 2000 })).not.toBe(h);
  });

  it('hashes identities too long to be an id', () => {
    const long = `https://l.example/${'x'.repeat(300)}`;
    expect(itemId({ ...base, guid: null, link: long })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
