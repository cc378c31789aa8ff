import { describe, expect, it } from 'vitest';
import {
  handleKey,
  keepHandleSet,
  maskHandle,
  privateAlert,
  privateBatch,
  privateDetection,
  privateDriver,
  privateRiverItem,
  privateSnapshot,
  privateTick,
  privateTopics,
  privateWallPanels,
  redactText
} from '../../../server/core/privacy';
import {
  CHANNELS,
  WINDOWS,
  emptySeriesBlock,
  type AlertView,
  type Detection,
  type RiverItem,
  type TopTopics,
  type WallPanels,
  type WallSnapshot,
  type WallTick,
  type WindowKey,
  type WindowSummary
} from '../../../src/lib/shared/types';

/** Freezes a value and everything in it, so any write in the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const keep = keepHandleSet(['@Northwind', 'NorthwindHelp']);

function item(over: Partial<RiverItem> = {}): RiverItem {
  return {
    id: 'm1',
    channel: 'twitter',
    createdAt: 1_700_000_000_000,
    text: 'hello',
    author: { handle: '@jane_doe', name: 'Jane Doe', followers: 120, verified: false },
    sentiment: { score: -0.4, label: 'negative' },
    isBrandReply: false,
    url: 'https://example.com/m1',
    source: 'simulator',
    intent: 'complaint',
    topics: ['shipping'],
    influenceTier: 'everyday',
    priority: 42,
    ...over
  };
}

function detection(over: Partial<Detection> = {}): Detection {
  return {
    id: 'd1',
    series: 'term:fuck',
    metric: 'term',
    label: 'fuck',
    at: 1_700_000_040_000,
    observed: 30,
    expected: 3,
    lower: 0,
    upper: 8,
    severity: 7,
    score: 0.93,
    state: 'active',
    resolvedAt: null,
    resolution: null,
    drivers: [
      { kind: 'author', name: '@angry_bob', observed: 4, expected: null, share: 0.2 },
      { kind: 'author', name: '@Northwind', observed: 2, expected: null, share: 0.1 },
      { kind: 'term', name: 'shit show', observed: 9, expected: null, share: null },
      { kind: 'channel', name: 'twitter', observed: 20, expected: 2, share: 0.9 },
      { kind: 'topic', name: 'shipping', observed: 5, expected: 1, share: 0.1 }
    ],
    ...over
  };
}

function topics(): TopTopics {
  return {
    windowMs: 900_000,
    configured: [
      { name: 'shipping', count: 12 },
      { name: 'billing', count: 4 }
    ],
    emerging: [
      { term: 'fucking app', count: 9, growth: 3.2, spike: true },
      { term: 'jo@example.com', count: 3, growth: 1.5, spike: false },
      { term: '@angry_bob', count: 3, growth: 1.4, spike: false },
      { term: 'refund', count: 7, growth: 1.1, spike: false }
    ]
  };
}

function windows(): Record<WindowKey, WindowSummary> {
  const out = {} as Record<WindowKey, WindowSummary>;
  for (const w of WINDOWS) {
    out[w] = {
      window: w,
      asOf: 1_700_000_060_000,
      volume: 10,
      perMinute: 2,
      byChannel: Object.fromEntries(CHANNELS.map((c) => [c, 1])) as WindowSummary['byChannel'],
      sentiment: { negative: 3, neutral: 4, positive: 3, net: 0 },
      responseTime: { count: 1, p50Ms: 1000, p90Ms: 2000 },
      unanswered: 2
    };
  }
  return out;
}

function snapshot(): WallSnapshot {
  return {
    seq: 7,
    serverTime: 1_700_000_060_000,
    brand: { name: 'Northwind', handles: ['@Northwind', '@NorthwindHelp'] },
    windows: windows(),
    seconds: emptySeriesBlock(1000),
    minutes: emptySeriesBlock(60_000),
    river: [
      item({ id: 'a', text: 'Call me on 555-123-4567, this is shit' }),
      item({
        id: 'b',
        text: 'Sorry @jane_doe, DM us!',
        author: {
          handle: '@NorthwindHelp',
          name: 'Northwind Help',
          followers: 9e4,
          verified: true
        },
        isBrandReply: true
      })
    ],
    sources: [
      {
        name: 'simulator',
        kind: 'simulator',
        state: 'connected',
        eventsPerSec: 5,
        lastEventAt: 1_700_000_059_000,
        lagMs: 3,
        lastError: null,
        received: 100,
        dropped: 0,
        buffered: 0,
        reconnects: 0
      }
    ],
    topics: topics(),
    detections: [detection()],
    band: [{ t: 1_700_000_000_000, expected: 2, lower: 0, upper: 5 }],
    negativeBand: []
  };
}

function alert(): AlertView {
  return {
    id: 'al1',
    ruleId: 'r1',
    ruleName: 'Swearing',
    ruleKind: 'keyword',
    scopeKey: 'term:fuck',
    title: '‘fuck’ in 12 mentions in 5 min',
    severity: 'warning',
    drill: false,
    state: 'firing',
    startedAt: 1,
    firedAt: 2,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    clearedAt: null,
    occurrences: 3,
    lastTriggeredAt: 4,
    snoozedUntil: null,
    assignee: 'ops',
    escalationLevel: 0,
    timeline: [
      { at: 1, code: 'pending', by: null, detail: '12 mentions matching ‘fuck’ in the last 5 min' },
      { at: 2, code: 'firing', by: null, detail: null }
    ],
    deliveries: [],
    context: {
      measure: 'Mentions',
      unit: 'mentions',
      observed: 12,
      expected: null,
      lower: null,
      upper: null,
      drivers: [{ kind: 'author', name: '@angry_bob', observed: 4, expected: null, share: 0.3 }],
      samples: [item({ text: 'fuck this, mail me at bob@example.org' })]
    },
    link: '/explore?term=fuck'
  };
}

describe('maskHandle', () => {
  it.each([
    ['@jonathan', '@j•••'],
    ['@j', '@j•••'],
    ['@', '@•••'],
    ['', ''],
    ['   ', ''],
    ['jonathan', 'j•••'],
    ['Jane Doe', 'J•••'],
    ['@alice@mastodon.social', '@a•••'],
    ['@bob.bsky.social', '@b•••'],
    ['did:plc:abc123', 'd•••'],
    ['@José', '@J•••'],
    ['🔥fire', '🔥•••'], // an astral first character is kept whole
    ['  @pad  ', '@p•••']
  ])('%j → %j', (input, expected) => {
    expect(maskHandle(input)).toBe(expected);
  });

  it('does not leak the length', () => {
    expect(maskHandle('@ab')).toHaveLength(maskHandle('@averyveryverylonghandle').length);
  });
});

describe('handleKey and keepHandleSet', () => {
  it('lower-cases and drops one leading @', () => {
    expect(handleKey(' @NorthWind ')).toBe('northwind');
    expect(handleKey('northwind')).toBe('northwind');
    expect([...keepHandleSet(['@A', 'b', '', '@'])]).toEqual(['a', 'b']);
  });
});

describe('redactText: e-mail addresses', () => {
  it.each([
    ['mail jo@example.com now', 'mail [email] now'],
    ['first.last+tag@sub.example.co.uk.', '[email].'],
    ['(x_y-z%1@mail-server.org)', '([email])'],
    ['jürgen@beispiel.de schrieb', '[email] schrieb'],
    ['two: a@b.io, c@d.io', 'two: [email], [email]']
  ])('%j → %j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });
});

describe('redactText: phone numbers', () => {
  it.each([
    ['call +44 20 7946 0958 today', 'call [phone] today'],
    ['call +1 (555) 123-4567', 'call [phone]'],
    ['call +1-555-123-4567', 'call [phone]'],
    ['call +33 6 12 34 56 78', 'call [phone]'],
    ['call +491701234567', 'call [phone]'],
    ['call (555) 123-4567.', 'call [phone].'],
    ['call 555-123-4567, please', 'call [phone], please'],
    ['call 555.123.4567', 'call [phone]'],
    ['call 07700 900123', 'call [phone]'],
    ['call 555 123 4567', 'call [phone]'],
    ['call 555-1234', 'call [phone]'],
    ['call 5551234567', 'call [phone]'],
    ['(+44 20 7946 0958)', '([phone])'],
    ['電話555-123-4567まで', '電話[phone]まで'],
    ['v1.2 555-123-4567', 'v1.2 [phone]']
  ])('%j → %j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    ['in 2026 the app broke'],
    ['at 12:30 or 10:30:15'],
    ['it cost $1,299 or €1.299.000 or £12,345,678'],
    ['order #12345 and ticket #1234567'],
    ['on 2026-05-14 and 2026-05-14T10:30Z'],
    ['on 14.05.2026 or 05/14/2026 or 20260514'],
    ['from 2019-2026'],
    ['1.000.000 views'],
    ['pi is 3.14159265'],
    ['in 2026 1234 people came'],
    ['server 192.168.100.200'],
    ['version 1.2.3 and 10.0.19045'],
    ['order A1234567B'],
    ['12 345']
  ])('keeps %j', (input) => {
    expect(redactText(input)).toBe(input);
  });
});

describe('redactText: @handles', () => {
  it.each([
    ['thanks @jane_doe!', 'thanks @j•••!'],
    ['@alice@mastodon.social said', '@a••• said'],
    ['cc @bob.bsky.social.', 'cc @b•••.'],
    ['@Northwind and @northwindhelp help', '@Northwind and @northwindhelp help'],
    ['@NorthwindFan is not the brand', '@N••• is not the brand'],
    ['¿@José?', '¿@J•••?'],
    ['mail@ is not a handle, nor a@b', 'mail@ is not a handle, nor a@b'],
    ['@ alone', '@ alone']
  ])('%j → %j', (input, expected) => {
    expect(redactText(input, { keepHandles: keep })).toBe(expected);
  });

  it('masks brand handles too when no keep set is given', () => {
    expect(redactText('@Northwind help')).toBe('@N••• help');
  });
});

describe('redactText: profanity', () => {
  it.each([
    ['what the fuck', 'what the f***'],
    ['FUCKING hell', 'F****** hell'],
    ['this is shit.', 'this is s***.'],
    ['shitty app', 's***** app'],
    ['motherfucker!!', 'm***********!!'],
    ['total bullshit', 'total b*******'],
    ['you asshole', 'you a******'],
    ['sh1t', 's***'],
    ['a$$hole', 'a******'],
    ['$hit', '$***'],
    ['sh!t', 's***'],
    ['fuuuuck', 'f******'],
    ['Fück', 'F***'],
    ['#fuck', '#f***'],
    ['"fuck"', '"f***"'],
    ['wow!fuck', 'wow!f***'],
    ['fuck-up', 'f***-up'],
    ['Ça me fait chier, fuck 🔥', 'Ça me fait chier, f*** 🔥'],
    ['日本語 fuck テキスト', '日本語 f*** テキスト']
  ])('%j → %j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    ['Scunthorpe'],
    ['assessment'],
    ['classic'],
    ['cockpit'],
    ['Hancock'],
    ['shitake mushrooms'],
    ['Penistone'],
    ['passion, class, bass, grass, assume'],
    ['cocktail, Dickens, therapist, analysis'],
    ['pass@ssword'],
    ['unfucked? no: xfuck'],
    ['Ünïcödé tëxt with émojis 🔥🎉 and 中文']
  ])('keeps %j', (input) => {
    expect(redactText(input)).toBe(input);
  });
});

describe('redactText: everything at once', () => {
  it('redacts each kind and leaves the rest', () => {
    const text =
      'WTF @northwind, @jane_doe got the shit app on 2026-05-14, mail jane@doe.com or +1 555 123 4567 ($1,299)';
    expect(redactText(text, { keepHandles: keep })).toBe(
      'W** @northwind, @j••• got the s*** app on 2026-05-14, mail [email] or [phone] ($1,299)'
    );
  });

  it('returns the same string when there is nothing to redact', () => {
    const text = 'Loving the new release, great job team! #launch 2026';
    expect(redactText(text)).toBe(text);
    expect(redactText('')).toBe('');
  });
});

describe('privateRiverItem', () => {
  it('masks the author and redacts the text, keeping everything else', () => {
    const input = deepFreeze(item({ text: 'fuck, call 555-123-4567 @bob' }));
    const before = structuredClone(input);
    const out = privateRiverItem(input, { keepHandles: keep });
    expect(out).not.toBe(input);
    expect(input).toEqual(before);
    expect(out).toEqual({
      ...before,
      text: 'f***, call [phone] @b•••',
      author: { ...before.author, handle: '@j•••', name: 'J•••' }
    });
  });

  it.each([
    ['@Northwind', true],
    ['@NORTHWINDHELP', true],
    ['@NorthwindFan', false]
  ])('author %s kept: %s', (handle, kept) => {
    const input = deepFreeze(
      item({ author: { handle, name: 'Northwind', followers: 1, verified: true } })
    );
    const out = privateRiverItem(input, { keepHandles: keep });
    expect(out.author.handle === handle).toBe(kept);
    expect(out.author.name === 'Northwind').toBe(kept);
  });

  it('redacts topic names only when they need it', () => {
    const input = deepFreeze(item({ topics: ['shipping', 'shit'] }));
    expect(privateRiverItem(input).topics).toEqual(['shipping', 's***']);
    const clean = deepFreeze(item());
    expect(privateRiverItem(clean).topics).toBe(clean.topics); // shared, not copied
  });

  it('masks a batch', () => {
    const input = deepFreeze({ items: [item(), item({ id: 'm2', text: 'shit' })] });
    const out = privateBatch(input);
    expect(out.items.map((i) => [i.id, i.text, i.author.handle])).toEqual([
      ['m1', 'hello', '@j•••'],
      ['m2', 's***', '@j•••']
    ]);
  });
});

describe('privateDriver, privateDetection, privateTopics', () => {
  it.each([
    [{ kind: 'author', name: '@angry_bob' }, '@a•••'],
    [{ kind: 'author', name: '@Northwind' }, '@Northwind'],
    [{ kind: 'term', name: 'shit show' }, 's*** show'],
    [{ kind: 'term', name: 'refund' }, 'refund'],
    [{ kind: 'term', name: '555-123-4567' }, '[phone]'],
    [{ kind: 'topic', name: 'shipping' }, 'shipping'],
    [{ kind: 'channel', name: 'twitter' }, 'twitter']
  ] as const)('%j → %j', (d, expected) => {
    const driver = deepFreeze({ ...d, observed: 1, expected: null, share: null });
    const out = privateDriver(driver, { keepHandles: keep });
    expect(out.name).toBe(expected);
    if (expected === d.name) expect(out).toBe(driver);
  });

  it('masks a term detection label and drivers, keeping ids and numbers', () => {
    const input = deepFreeze(detection());
    const before = structuredClone(input);
    const out = privateDetection(input, { keepHandles: keep });
    expect(input).toEqual(before);
    expect(out.label).toBe('f***');
    expect(out.series).toBe('term:fuck'); // an id clients match on
    expect(out.drivers.map((d) => d.name)).toEqual([
      '@a•••',
      '@Northwind',
      's*** show',
      'twitter',
      'shipping'
    ]);
    expect({ ...out, label: before.label, drivers: before.drivers }).toEqual(before);
  });

  it('masks emerging terms that are profane, e-mails or handles', () => {
    const input = deepFreeze(topics());
    const out = privateTopics(input);
    expect(out.emerging.map((e) => e.term)).toEqual(['f****** app', '[email]', '@a•••', 'refund']);
    expect(out.emerging.map((e) => [e.count, e.growth, e.spike])).toEqual(
      input.emerging.map((e) => [e.count, e.growth, e.spike])
    );
    expect(out.configured).toBe(input.configured);
    expect(out.emerging[3]).toBe(input.emerging[3]);
  });
});

describe('privateAlert', () => {
  it('redacts title, timeline details, drivers and samples only', () => {
    const input = deepFreeze(alert());
    const before = structuredClone(input);
    const out = privateAlert(input, { keepHandles: keep });
    expect(input).toEqual(before);
    expect(out.title).toBe('‘f***’ in 12 mentions in 5 min');
    expect(out.timeline[0]?.detail).toBe('12 mentions matching ‘f***’ in the last 5 min');
    expect(out.timeline[1]).toBe(input.timeline[1]);
    expect(out.context?.drivers[0]?.name).toBe('@a•••');
    expect(out.context?.samples[0]?.text).toBe('f*** this, mail me at [email]');
    expect(out.context?.samples[0]?.author.handle).toBe('@j•••');
    const { title: _t, timeline: _tl, context: _c, ...rest } = out;
    const { title: _t2, timeline: _tl2, context: _c2, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
  });

  it('handles an alert without context', () => {
    const input = deepFreeze({ ...alert(), context: null, timeline: [] });
    expect(privateAlert(input).context).toBeNull();
  });
});

describe('privateSnapshot and privateTick', () => {
  /** The keys of every object in a value, recursively, with array lengths. */
  function shape(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(shape);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
    return typeof v;
  }

  it('masks the river, topics and detections; keeps the shape and the rest', () => {
    const input = deepFreeze(snapshot());
    const before = structuredClone(input);
    const out = privateSnapshot(input);
    expect(input).toEqual(before);
    expect(shape(out)).toEqual(shape(before));
    expect(out.river.map((i) => [i.text, i.author.handle])).toEqual([
      ['Call me on [phone], this is s***', '@j•••'],
      ['Sorry @j•••, DM us!', '@NorthwindHelp'] // the snapshot's own brand handles are kept
    ]);
    expect(out.topics.emerging[0]?.term).toBe('f****** app');
    expect(out.detections[0]?.label).toBe('f***');
    for (const k of [
      'windows',
      'seconds',
      'minutes',
      'sources',
      'band',
      'negativeBand',
      'brand'
    ] as const)
      expect(out[k]).toBe(input[k]);
    expect([out.seq, out.serverTime]).toEqual([before.seq, before.serverTime]);
  });

  it('uses the given keep set over the brand handles', () => {
    const out = privateSnapshot(deepFreeze(snapshot()), { keepHandles: new Set() });
    expect(out.river[1]?.author.handle).toBe('@N•••');
  });

  it('masks a tick with topics and detections', () => {
    const input: WallTick = deepFreeze({
      seq: 8,
      serverTime: 2,
      windows: windows(),
      seconds: [],
      minutes: [],
      topics: topics(),
      detections: [detection()]
    });
    const before = structuredClone(input);
    const out = privateTick(input, { keepHandles: keep });
    expect(input).toEqual(before);
    expect(shape(out)).toEqual(shape(before));
    expect(out.topics?.emerging[0]?.term).toBe('f****** app');
    expect(out.detections?.[0]?.drivers[0]?.name).toBe('@a•••');
    expect(out.windows).toBe(input.windows);
  });

  it('leaves absent tick fields absent', () => {
    const input: WallTick = deepFreeze({
      seq: 9,
      serverTime: 3,
      windows: windows(),
      seconds: [],
      minutes: []
    });
    const out = privateTick(input);
    expect(out).not.toBe(input);
    expect(out).toStrictEqual(input);
    expect('topics' in out).toBe(false);
  });
});

describe('privateWallPanels', () => {
  const panels = (): WallPanels => ({
    asOf: 1_000,
    windowMs: 3_600_000,
    geo: { points: [{ lat: 49, lon: 2, count: 3, negative: 1 }], located: 3, total: 10 },
    voice: [
      { name: 'Northwind', count: 8, brand: true },
      { name: 'Contoso', count: 2, brand: false }
    ],
    influencers: [
      {
        handle: '@jonathan',
        name: 'Jonathan Doe',
        followers: 2_000_000,
        influenceTier: 'celebrity',
        count: 2,
        negative: 1
      },
      {
        handle: '@NorthwindHelp',
        name: 'Northwind Support',
        followers: 50_000,
        influenceTier: 'notable',
        count: 1,
        negative: 0
      }
    ]
  });

  it('masks influencers like river authors, keeps the brand, geo and voice, mutates nothing', () => {
    const input = deepFreeze(panels());
    const out = privateWallPanels(input, { keepHandles: keep });
    expect(out.influencers.map((a) => [a.handle, a.name])).toEqual([
      ['@j•••', 'J•••'],
      ['@NorthwindHelp', 'Northwind Support']
    ]);
    expect(out.influencers[0]).toMatchObject({ followers: 2_000_000, count: 2, negative: 1 });
    expect(out.influencers[1]).toBe(input.influencers[1]);
    expect(out.geo).toBe(input.geo);
    expect(out.voice).toBe(input.voice);
    expect(out).toMatchObject({ asOf: 1_000, windowMs: 3_600_000 });
  });

  it('masks every handle without keepHandles, and leaves an empty list alone', () => {
    const out = privateWallPanels(panels());
    expect(out.influencers.map((a) => a.handle)).toEqual(['@j•••', '@N•••']);
    const empty = { ...panels(), influencers: [] };
    expect(privateWallPanels(empty).influencers).toBe(empty.influencers);
  });
});
