import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, parseMention } from '../../../server/core/mention-schema';

const valid = {
  id: '123',
  source: 'x',
  channel: 'twitter',
  createdAt: 1_795_434_000_000,
  text: 'hello',
  author: { handle: '@a', name: 'A', followers: 10, verified: false },
  lang: 'en',
  url: 'https://x.com/a/status/123',
  inReplyToId: null,
  geo: { lat: 51.5, lon: -0.12, country: 'GB' }
};

function without(key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...valid };
  delete copy[key];
  return copy;
}

describe('parseMention(input)', () => {
  it('accepts a complete mention unchanged', () => {
    const r = parseMention(valid);
    expect(r).toEqual({ ok: true, mention: valid });
  });

  it('accepts an ISO 8601 createdAt and turns it into epoch ms', () => {
    const r = parseMention({ ...valid, createdAt: '2026-11-23T10:00:00.000Z' });
    expect(r.ok && r.mention.createdAt).toBe(Date.UTC(2026, 10, 23, 10));
  });

  it('fills optional fields with null', () => {
    const r = parseMention({
      ...without('lang'),
      url: undefined,
      inReplyToId: undefined,
      geo: undefined
    });
    expect(r.ok && [r.mention.lang, r.mention.url, r.mention.inReplyToId, r.mention.geo]).toEqual([
      null,
      null,
      null,
      null
    ]);
  });

  it.each([
    ['missing id', without('id'), 'id'],
    ['empty id', { ...valid, id: '' }, 'id'],
    ['unknown channel', { ...valid, channel: 'myspace' }, 'channel'],
    ['text is a number', { ...valid, text: 42 }, 'text'],
    ['text too long', { ...valid, text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }, 'text'],
    [
      'negative followers',
      { ...valid, author: { ...valid.author, followers: -1 } },
      'author.followers'
    ],
    [
      'verified as string',
      { ...valid, author: { ...valid.author, verified: 'yes' } },
      'author.verified'
    ],
    ['date that is not a date', { ...valid, createdAt: 'yesterday' }, 'createdAt'],
    ['javascript: url', { ...valid, url: 'javascript:alert(1)' }, 'url'],
    ['latitude out of range', { ...valid, geo: { lat: 91, lon: 0 } }, 'geo.lat'],
    ['unknown field', { ...valid, extra: 1 }, '(root)'],
    ['prototype key', JSON.parse('{"__proto__": {"polluted": 1}, "id": "1"}'), 'source']
  ])('refuses %s, naming the field', (_name, input, path) => {
    const r = parseMention(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(path);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([null, undefined, 42, 'text', [], true])('refuses %j at the root', (input) => {
    const r = parseMention(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.path).toBe('(root)');
  });
});
