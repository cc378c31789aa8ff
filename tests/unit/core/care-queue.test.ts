import { describe, expect, it } from 'vitest';
import {
  CareQueue,
  completeItem,
  openState,
  RESPONSE_BUCKETS_MS,
  waitingPoints,
  type OpenMention
} from '../../../server/core/care/queue';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-24T10:00:00.000Z');

/** Each mention's reference (its row seq in the server), as `open` last gave it. */
const refs = new Map<string, number>();
let lastRef = 0;
const ref = (id: string): number => refs.get(id) ?? -1;

/** An open mention with a new reference, increasing as rows are stored. */
function open(id: string, over: Partial<OpenMention> = {}): OpenMention {
  const createdAt = over.createdAt ?? T0;
  const r = over.ref ?? ++lastRef;
  refs.set(id, r);
  return {
    ref: r,
    id,
    source: 'test',
    channel: 'twitter',
    createdAt,
    sentiment: { score: -0.2, label: 'negative' },
    intent: 'question',
    influence: 20,
    influenceTier: 'everyday',
    topics: [],
    priority: 30,
    clock: {
      ruleId: 'standard',
      startedAt: createdAt,
      warnAt: createdAt + 48 * MIN,
      dueAt: createdAt + HOUR
    },
    policy: 'Questions',
    ...over
  };
}

const queue = (): CareQueue => new CareQueue({ horizonMs: 24 * HOUR, maxOpen: 1000 });

describe('waitingPoints and openState', () => {
  it.each([
    [0, 0],
    [15 * MIN, 3],
    [HOUR, 11],
    [4 * HOUR, 19],
    [-MIN, 0]
  ])('waiting %d ms adds %d points', (ms, points) => {
    expect(waitingPoints(ms)).toBe(points);
  });

  const clock = { ruleId: 'r', startedAt: 0, warnAt: 80, dueAt: 100 };
  it.each([
    [79, 'ok'],
    [80, 'warning'],
    [99, 'warning'],
    [100, 'breached']
  ] as const)('at %d the clock is %s', (now, state) => {
    expect(openState(clock, now)).toBe(state);
  });
});

describe('CareQueue', () => {
  it('orders by priority now, then by waiting time, and filters', () => {
    const q = queue();
    q.add(open('low', { priority: 10 }));
    q.add(open('high', { priority: 80, channel: 'reddit' }));
    q.add(open('mid-old', { priority: 40, createdAt: T0 - 30 * MIN }));
    q.add(open('mid-new', { priority: 40, createdAt: T0 }));
    // Waiting adds points: 'mid-old' has waited 30 minutes more than 'mid-new'.
    const all = q.list({}, 0, 10, T0 + MIN);
    expect(all.items.map((i) => i.id)).toEqual(['high', 'mid-old', 'mid-new', 'low']);
    expect(all.items[1]!.priority).toBe(40 + waitingPoints(31 * MIN));
    const item = completeItem(all.items[1]!, {
      text: 'where is my order?',
      author: { handle: '@mid', name: 'Mid', followers: 100, verified: false }
    });
    expect(item.reasons.join(' ')).toContain('waiting');
    expect(item).toMatchObject({ text: 'where is my order?', priority: all.items[1]!.priority });
    expect(item).not.toHaveProperty('sentimentScore');
    expect(all).toMatchObject({ total: 4, matching: 4 });
    const reddit = q.list({ channel: ['reddit'] }, 0, 10, T0 + MIN);
    expect(reddit).toMatchObject({ total: 4, matching: 1 });
    expect(q.list({}, 1, 2, T0 + MIN).items.map((i) => i.id)).toEqual(['mid-old', 'mid-new']);
  });

  it('a long wait overtakes a higher arrival priority', () => {
    const q = queue();
    q.add(open('waited', { priority: 30, createdAt: T0 - 4 * HOUR }));
    q.add(open('fresh', { priority: 45, createdAt: T0 }));
    expect(q.list({}, 0, 2, T0).items.map((i) => i.id)).toEqual(['waited', 'fresh']);
  });

  it('SLA states are derived at read time from the deadlines', () => {
    const q = queue();
    q.add(open('a'));
    const state = (now: number): string | undefined => q.get('test', 'a', now)?.sla?.state;
    expect(state(T0 + 47 * MIN)).toBe('ok');
    expect(state(T0 + 48 * MIN)).toBe('warning');
    expect(state(T0 + HOUR)).toBe('breached');
    expect(q.get('test', 'a', T0)?.slaDueAt).toBe(T0 + HOUR);
  });

  it('claims: one holder at a time, release by the holder or by force', () => {
    const q = queue();
    q.add(open('a'));
    const v0 = q.version;
    expect(q.claim('test', 'a', 'ann', T0)).toMatchObject({ ok: true, item: { claimedBy: 'ann' } });
    expect(q.version).toBeGreaterThan(v0);
    expect(q.claim('test', 'a', 'bob', T0)).toEqual({ ok: false, reason: 'taken', by: 'ann' });
    expect(q.release('test', 'a', 'bob', false, T0)).toEqual({
      ok: false,
      reason: 'taken',
      by: 'ann'
    });
    expect(q.release('test', 'a', 'bob', true, T0)).toMatchObject({
      ok: true,
      item: { claimedBy: null }
    });
    expect(q.claim('test', 'missing', 'ann', T0)).toEqual({ ok: false, reason: 'missing' });
  });

  it('an answer removes the mention and records its response and SLA outcome', () => {
    const q = queue();
    q.add(open('fast'));
    q.add(open('slow', { channel: 'reddit' }));
    q.add(
      open('open', {
        createdAt: T0 - 2 * HOUR,
        clock: { ruleId: 'x', startedAt: 0, warnAt: T0 - HOUR, dueAt: T0 - MIN }
      })
    );
    expect(q.answer(ref('fast'), T0 + 10 * MIN)).toMatchObject({
      responseMs: 10 * MIN,
      met: true
    });
    expect(q.answer(ref('slow'), T0 + 90 * MIN)).toMatchObject({
      responseMs: 90 * MIN,
      met: false
    });
    expect(q.answer(ref('fast'), T0 + 91 * MIN)).toBeNull();
    q.agentReplied('JS', T0 + 90 * MIN);
    q.agentReplied('AB', T0 - 3 * HOUR);
    const s = q.summary(T0 + 91 * MIN);
    expect(s).toMatchObject({ depth: 1, breached: 1, warning: 0, agentsActive: 1 });
    expect(q.slaStatus(T0 + 91 * MIN)).toEqual({ breached: 1, warning: 0, oldestDueAt: T0 - MIN });
    expect(s.oldest?.id).toBe('open');
    // met 1, missed 1, one open past due: 1 / 3.
    expect(s.compliance.day).toEqual({ met: 1, missed: 1, breachedOpen: 1, ratio: 1 / 3 });
    const reddit = s.compliance.byChannel.find((c) => c.channel === 'reddit')!;
    expect(reddit).toEqual({ channel: 'reddit', met: 0, missed: 1, breachedOpen: 0, ratio: 0 });
    expect(s.firstResponse.count).toBe(2);
    expect(s.firstResponse.bucketsMs).toEqual(RESPONSE_BUCKETS_MS);
    // 10 min falls in "≤ 15 min" (index 1), 90 min in "≤ 2 h" (index 4).
    expect(s.firstResponse.counts[1]).toBe(1);
    expect(s.firstResponse.counts[4]).toBe(1);
    // Quantiles from a sketch: within its 2 % relative error.
    expect(s.firstResponse.p50Ms! / (90 * MIN)).toBeCloseTo(1, 1);
    expect(Math.abs(s.firstResponse.p50Ms! - 90 * MIN)).toBeLessThan(0.03 * 90 * MIN);
  });

  it('forgets the day behind it, expires mentions beyond the horizon as missed, and stays bounded', () => {
    const q = new CareQueue({ horizonMs: 2 * HOUR, maxOpen: 3 });
    q.add(
      open('old', {
        createdAt: T0 - 3 * HOUR,
        clock: { ruleId: 'x', startedAt: 0, warnAt: 1, dueAt: T0 - 2 * HOUR }
      })
    );
    q.add(open('a'));
    q.expire(T0);
    expect(q.size).toBe(1);
    expect(q.expired).toBe(1);
    expect(q.summary(T0).compliance.day).toMatchObject({ missed: 1 });
    for (const id of ['b', 'c', 'd']) q.add(open(id));
    // Over capacity the earliest leave, a twentieth of the capacity at a time (at least one).
    expect(q.size).toBeLessThanOrEqual(3);
    expect(q.get('test', 'a', T0)).toBeNull();
    expect(q.get('test', 'd', T0)).not.toBeNull();
    q.answer(ref('b'), T0 + MIN);
    q.expire(T0 + 25 * HOUR);
    const s = q.summary(T0 + 25 * HOUR);
    expect(s.firstResponse.count).toBe(0);
    expect(s.compliance.day.met).toBe(0);
  });

  it('stays fast when full: inserts past capacity evict in bulk, not one walk per insert', () => {
    const q = new CareQueue({ horizonMs: 24 * HOUR, maxOpen: 10_000 });
    for (let i = 0; i < 100_000; i++) {
      q.add(open(`m${i}`, { createdAt: T0 + i }));
      if (i % 3 === 0 && i > 10) q.answer(ref(`m${i - 7}`), T0 + i);
    }
    expect(q.size).toBeLessThanOrEqual(10_000);
    expect(q.size).toBeGreaterThanOrEqual(9_000);
    // The newest are kept, the earliest gone.
    expect(q.get('test', 'm99999', T0 + 100_000)).not.toBeNull();
    expect(q.get('test', 'm50000', T0 + 100_000)).toBeNull();
  });

  it('reorders 100,000 open mentions by priority now', () => {
    const q = new CareQueue({ horizonMs: 24 * HOUR, maxOpen: 200_000 });
    for (let i = 0; i < 100_000; i++) {
      q.add(open(`m${i}`, { priority: i % 97, createdAt: T0 - (i % 600) * MIN }));
    }
    const page = q.list({}, 50_000, 100, T0);
    expect(page.items).toHaveLength(100);
    expect(page.matching).toBe(100_000);
    const top = q.list({}, 0, 100, T0).items;
    for (let i = 1; i < top.length; i++) {
      expect(top[i - 1]!.priority).toBeGreaterThanOrEqual(top[i]!.priority);
    }
  });
});

describe('CareQueue references', () => {
  it('holds a mention once per reference, answers it by reference, finds it by source and id', () => {
    const q = queue();
    const k = open('k');
    expect(q.add(k)).toBe(true);
    expect(q.add(open('k', { ref: k.ref }))).toBe(false);
    expect(q.add(open('other', { source: 'elsewhere', id: 'k' }))).toBe(true);
    expect(q.get('test', 'k', T0)?.source).toBe('test');
    expect(q.get('elsewhere', 'k', T0)?.source).toBe('elsewhere');
    expect(q.get('test', 'nope', T0)).toBeNull();
    expect(q.answer(k.ref, T0 + MIN)).toMatchObject({ mention: { id: 'k' }, met: true });
    expect(q.answer(k.ref, T0 + MIN)).toBeNull();
    expect(q.get('test', 'k', T0)).toBeNull();
    expect(q.size).toBe(1);
  });

  it('keeps references that arrive out of order (a restart reloads by time), oldest reference first', () => {
    const q = queue();
    for (const r of [50, 10, 30, 20, 40]) q.add(open(`r${r}`, { ref: r, createdAt: T0 + r }));
    expect(q.size).toBe(5);
    expect(q.answer(30, T0 + HOUR)).toMatchObject({ mention: { id: 'r30' } });
    // Over capacity the lowest references leave first.
    const small = new CareQueue({ horizonMs: 24 * HOUR, maxOpen: 3 });
    for (const r of [50, 10, 30, 20, 40]) small.add(open(`s${r}`, { ref: r }));
    expect(small.size).toBeLessThanOrEqual(3);
    expect(small.get('test', 's10', T0)).toBeNull();
    expect(small.get('test', 's50', T0)).not.toBeNull();
  });

  it('gives back an answered mention as it entered, every field', () => {
    const q = queue();
    const m = open('full', {
      channel: 'reddit',
      intent: 'complaint',
      influenceTier: 'influencer',
      sentiment: { score: 0.4, label: 'positive' },
      topics: ['billing', 'delivery'],
      influence: 71.5,
      priority: 55
    });
    q.add(m);
    expect(q.answer(ref('full'), T0 + MIN)?.mention).toEqual(m);
  });

  it('reuses the slots of answered mentions and keeps claims apart', () => {
    const q = queue();
    for (let i = 0; i < 3000; i++) {
      q.add(open(`m${i}`, { createdAt: T0 + i }));
      if (i >= 10) q.answer(ref(`m${i - 10}`), T0 + i);
    }
    expect(q.size).toBe(10);
    q.claim('test', 'm2995', 'ann', T0 + 3000);
    const ids = q.list({}, 0, 20, T0 + 3000).items.map((r) => [r.id, r.claimedBy]);
    expect(ids).toHaveLength(10);
    expect(ids.filter(([, by]) => by !== null)).toEqual([['m2995', 'ann']]);
  });
});
