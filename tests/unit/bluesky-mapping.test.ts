import { describe, expect, it } from 'vitest';
import {
  jetstreamToMention,
  jetstreamUrl,
  rememberIdentity
} from '../../server/adapters/sources/connectors/bluesky';
import { parseMention } from '../../server/core/mention-schema';
import {
  accountFrame,
  deleteFrame,
  identityFrame,
  postFrame,
  updateFrame
} from '../helpers/fake-jetstream';

const DID = 'did:plc:eygmaihciaxprqvxpfvl6flk';
const NOW = Date.UTC(2024, 8, 9, 19, 46, 10);
const T_US = (NOW - 5_000) * 1000;
const none = new Map<string, string>();

describe('jetstreamToMention', () => {
  it('maps a created post', () => {
    const m = jetstreamToMention(
      postFrame({
        did: DID,
        rkey: '3l3qo2vutsw2b',
        text: 'hello',
        timeUs: T_US,
        createdAt: '2024-09-09T19:46:02.102Z',
        langs: ['ja']
      }),
      new Map([[DID, 'alice.bsky.social']]),
      NOW
    );
    expect(m).toEqual({
      id: `at://${DID}/app.bsky.feed.post/3l3qo2vutsw2b`,
      source: 'bluesky',
      channel: 'bluesky',
      createdAt: Date.parse('2024-09-09T19:46:02.102Z'),
      text: 'hello',
      author: {
        handle: '@alice.bsky.social',
        name: 'alice.bsky.social',
        followers: 0,
        verified: false
      },
      lang: 'ja',
      url: `https://bsky.app/profile/${DID}/post/3l3qo2vutsw2b`,
      inReplyToId: null,
      geo: null
    });
    expect(parseMention(m).ok).toBe(true);
  });

  it('falls back to time_us for a future or unreadable createdAt', () => {
    const future = new Date(NOW + 6 * 60_000).toISOString();
    for (const createdAt of [future, 'yesterday-ish', '']) {
      const m = jetstreamToMention(
        postFrame({ did: DID, rkey: 'k', text: 'x', timeUs: T_US, createdAt }),
        none,
        NOW
      );
      expect(m?.createdAt).toBe(T_US / 1000);
    }
    const soon = new Date(NOW + 4 * 60_000).toISOString();
    const m = jetstreamToMention(
      postFrame({ did: DID, rkey: 'k', text: 'x', timeUs: T_US, createdAt: soon }),
      none,
      NOW
    );
    expect(m?.createdAt).toBe(Date.parse(soon));
  });

  it('truncates a very long text with an ellipsis and keeps it valid', () => {
    const m = jetstreamToMention(
      postFrame({ did: DID, rkey: 'k', text: 'a'.repeat(9_998) + '😀'.repeat(10), timeUs: T_US }),
      none,
      NOW
    );
    expect(m!.text.length).toBeLessThanOrEqual(10_000);
    expect(m!.text.endsWith('…')).toBe(true);
    expect(m!.text).not.toMatch(/[\uD800-\uDBFF]…$/); // no half emoji
    expect(parseMention(m).ok).toBe(true);
  });

  it('keeps a reply parent and drops fields the schema would refuse', () => {
    const parent = `at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l3q`;
    const reply = jetstreamToMention(
      postFrame({ did: DID, rkey: 'k', text: 'x', timeUs: T_US, replyTo: parent }),
      none,
      NOW
    );
    expect(reply?.inReplyToId).toBe(parent);
    const odd = postFrame({ did: DID, rkey: 'k', text: 'x', timeUs: T_US, langs: ['x'] });
    expect(jetstreamToMention(odd, none, NOW)?.lang).toBeNull();
    const noLangs = postFrame({ did: DID, rkey: 'k', text: 'x', timeUs: T_US });
    delete ((noLangs.commit as Record<string, unknown>).record as Record<string, unknown>).langs;
    expect(jetstreamToMention(noLangs, none, NOW)?.lang).toBeNull();
  });

  it('ignores everything but the creation of a post', () => {
    const p = { did: DID, rkey: 'k', text: 'northwind', timeUs: T_US };
    const other = postFrame(p);
    (other.commit as Record<string, unknown>).collection = 'app.bsky.feed.like';
    const badRkey = postFrame({ ...p, rkey: '../x' });
    const badDid = postFrame({ ...p, did: 'alice' });
    const noText = postFrame(p);
    delete ((noText.commit as Record<string, unknown>).record as Record<string, unknown>).text;
    for (const frame of [
      updateFrame(p),
      deleteFrame(DID, 'k', T_US),
      identityFrame(DID, 'alice.bsky.social', T_US),
      accountFrame(DID, T_US),
      other,
      badRkey,
      badDid,
      noText,
      null,
      'commit',
      [1, 2],
      { kind: 'commit' },
      { kind: 'commit', did: DID, commit: { operation: 'create' } }
    ]) {
      expect(jetstreamToMention(frame, none, NOW)).toBeNull();
    }
  });
});

describe('rememberIdentity', () => {
  it('keeps handles bounded, newest last, and forgets an invalid handle', () => {
    const handles = new Map<string, string>();
    for (let i = 0; i < 5; i++) {
      rememberIdentity(identityFrame(`did:plc:u${i}`, `user${i}.bsky.social`, T_US), handles, 3);
    }
    expect([...handles.keys()]).toEqual(['did:plc:u2', 'did:plc:u3', 'did:plc:u4']);
    rememberIdentity(identityFrame('did:plc:u2', 'New.Example.com', T_US), handles, 3);
    expect([...handles.entries()].at(-1)).toEqual(['did:plc:u2', 'new.example.com']);
    rememberIdentity(identityFrame('did:plc:u3', 'not a handle', T_US), handles, 3);
    expect(handles.has('did:plc:u3')).toBe(false);
    expect(rememberIdentity(accountFrame(DID, T_US), handles, 3)).toBe(false);
  });
});

describe('jetstreamUrl', () => {
  it('asks for posts only, from a cursor when resuming', () => {
    const base = 'wss://jetstream2.us-east.bsky.network/subscribe';
    expect(jetstreamUrl(base, null)).toBe(`${base}?wantedCollections=app.bsky.feed.post`);
    expect(jetstreamUrl(base, 1725911162329308)).toBe(
      `${base}?wantedCollections=app.bsky.feed.post&cursor=1725911162329308`
    );
  });
});
