import { describe, expect, it } from 'vitest';
import {
  compileSla,
  compliance,
  DEFAULT_SLA_CONFIG,
  MAX_WALK_DAYS,
  nextTransition,
  parseSlaConfig,
  SlaConfigSchema,
  slaState,
  type Calendar,
  type SlaClock,
  type SlaConfig,
  type SlaFacts,
  type SlaRule,
  type SlaState
} from '../../../server/core/care/sla';

const MIN = 60_000;
const HOUR = 60 * MIN;

const at = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const FACTS: SlaFacts = { channel: 'twitter', intent: 'question', tier: 'everyday', priority: 20 };

const NINE_TO_FIVE: Calendar['hours'] = {
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']]
};
const ALL_DAY: Calendar['hours'] = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])
);

/** New York 09:00–17:00 on weekdays; Friday 2026-07-03 (Independence Day observed) closed. */
const NY: Calendar = {
  timeZone: 'America/New_York',
  hours: NINE_TO_FIVE,
  holidays: ['2026-07-03']
};
const TOKYO: Calendar = { timeZone: 'Asia/Tokyo', hours: NINE_TO_FIVE, holidays: [] };

/** A one-rule config: every mention gets `targetMinutes` in calendar `cal`. */
function single(cal: Calendar | '24x7', targetMinutes: number): SlaConfig {
  return {
    calendars: cal === '24x7' ? {} : { c: cal },
    rules: [
      { id: 'r', name: 'all', match: {}, targetMinutes, calendar: cal === '24x7' ? '24x7' : 'c' }
    ]
  };
}

/** The clock as ISO strings, for readable expectations. */
function clockIn(cal: Calendar | '24x7', targetMinutes: number, createdAt: string) {
  const c = compileSla(single(cal, targetMinutes)).clock(FACTS, at(createdAt));
  if (c === null) throw new Error('no clock');
  return [iso(c.startedAt), iso(c.warnAt), iso(c.dueAt)];
}

describe('rule matching', () => {
  const rules: SlaRule[] = [
    {
      id: 'twitter-complaint',
      name: 'Complaints on X',
      match: { channel: ['twitter'], intent: ['complaint'] },
      targetMinutes: 10,
      calendar: '24x7'
    },
    {
      id: 'complaint',
      name: 'Complaints',
      match: { intent: ['complaint'] },
      targetMinutes: 20,
      calendar: '24x7'
    },
    {
      id: 'celebrity',
      name: 'Celebrities',
      match: { tier: ['celebrity'] },
      targetMinutes: 30,
      calendar: '24x7'
    },
    {
      id: 'mid',
      name: 'Priority 50–60',
      match: { minPriority: 50, maxPriority: 60 },
      targetMinutes: 40,
      calendar: '24x7'
    },
    {
      id: 'high',
      name: 'Priority 90+',
      match: { minPriority: 90 },
      targetMinutes: 5,
      calendar: '24x7'
    },
    {
      id: 'low',
      name: 'Praise up to 5',
      match: { intent: ['praise'], maxPriority: 5 },
      targetMinutes: 50,
      calendar: '24x7'
    }
  ];
  const sla = compileSla({ calendars: {}, rules });

  it.each<[string, Partial<SlaFacts>, string | null]>([
    ['channel and intent: the first rule', { intent: 'complaint' }, 'twitter-complaint'],
    [
      'other channel falls through to the next',
      { channel: 'facebook', intent: 'complaint' },
      'complaint'
    ],
    [
      'first match wins over later ones',
      { intent: 'complaint', tier: 'celebrity' },
      'twitter-complaint'
    ],
    ['tier', { tier: 'celebrity' }, 'celebrity'],
    ['minPriority is inclusive', { priority: 50 }, 'mid'],
    ['maxPriority is inclusive', { priority: 60 }, 'mid'],
    ['below minPriority', { priority: 49 }, null],
    ['above maxPriority', { priority: 61 }, null],
    ['minPriority without max', { priority: 100 }, 'high'],
    ['maxPriority without min', { intent: 'praise', priority: 0 }, 'low'],
    ['maxPriority excludes higher', { intent: 'praise', priority: 6 }, null],
    ['no rule matches', {}, null]
  ])('%s', (_, facts, expected) => {
    const f = { ...FACTS, ...facts };
    expect(sla.match(f)?.id ?? null).toBe(expected);
    expect(sla.clock(f, 0)?.ruleId ?? null).toBe(expected);
  });

  it('returns the configured rule object itself', () => {
    expect(sla.match({ ...FACTS, tier: 'celebrity' })).toBe(rules[2]);
  });

  it('follows the configured order', () => {
    const reversed = compileSla({ calendars: {}, rules: [...rules].reverse() });
    expect(reversed.match({ ...FACTS, intent: 'complaint' })?.id).toBe('complaint');
  });

  it('an empty match catches everything', () => {
    const sla = compileSla(single('24x7', 5));
    expect(sla.match({ channel: 'news', intent: 'other', tier: 'notable', priority: 0 })?.id).toBe(
      'r'
    );
  });
});

describe('clock in business hours (New York 09:00–17:00 = 13:00–21:00Z in July)', () => {
  // [case, target minutes, createdAt, [startedAt, warnAt, dueAt]]
  it.each<[string, number, string, string[]]>([
    [
      'inside hours: starts at once',
      60,
      '2026-07-01T14:00:00.000Z',
      ['2026-07-01T14:00:00.000Z', '2026-07-01T14:48:00.000Z', '2026-07-01T15:00:00.000Z']
    ],
    [
      'exactly at opening',
      60,
      '2026-07-01T13:00:00.000Z',
      ['2026-07-01T13:00:00.000Z', '2026-07-01T13:48:00.000Z', '2026-07-01T14:00:00.000Z']
    ],
    [
      'before opening: starts at 09:00',
      60,
      '2026-07-01T11:00:00.000Z',
      ['2026-07-01T13:00:00.000Z', '2026-07-01T13:48:00.000Z', '2026-07-01T14:00:00.000Z']
    ],
    [
      'exactly at closing: starts next morning',
      60,
      '2026-07-01T21:00:00.000Z',
      ['2026-07-02T13:00:00.000Z', '2026-07-02T13:48:00.000Z', '2026-07-02T14:00:00.000Z']
    ],
    [
      'after closing: starts next morning',
      60,
      '2026-07-01T22:00:00.000Z',
      ['2026-07-02T13:00:00.000Z', '2026-07-02T13:48:00.000Z', '2026-07-02T14:00:00.000Z']
    ],
    [
      'on a Saturday: starts Monday',
      60,
      '2026-07-11T15:00:00.000Z',
      ['2026-07-13T13:00:00.000Z', '2026-07-13T13:48:00.000Z', '2026-07-13T14:00:00.000Z']
    ],
    [
      'Thursday evening before the Friday holiday: starts Monday',
      60,
      '2026-07-02T22:00:00.000Z',
      ['2026-07-06T13:00:00.000Z', '2026-07-06T13:48:00.000Z', '2026-07-06T14:00:00.000Z']
    ],
    [
      'on the holiday itself: starts Monday',
      60,
      '2026-07-03T15:00:00.000Z',
      ['2026-07-06T13:00:00.000Z', '2026-07-06T13:48:00.000Z', '2026-07-06T14:00:00.000Z']
    ],
    [
      '16:30: 30 min today, the rest tomorrow (warn is 48 business minutes)',
      60,
      '2026-07-01T20:30:00.000Z',
      ['2026-07-01T20:30:00.000Z', '2026-07-02T13:18:00.000Z', '2026-07-02T13:30:00.000Z']
    ],
    [
      '20 h from Monday 09:00: Mon 8 h + Tue 8 h + Wed 4 h; warn (16 h) lands on Tue closing',
      1200,
      '2026-07-06T13:00:00.000Z',
      ['2026-07-06T13:00:00.000Z', '2026-07-07T21:00:00.000Z', '2026-07-08T17:00:00.000Z']
    ],
    [
      '3 days from Wednesday noon skips the weekend and the holiday',
      3 * 8 * 60,
      '2026-07-01T16:00:00.000Z',
      // Wed 5 h, Thu 8 h, (Fri holiday, weekend), Mon 8 h, Tue 3 h; warn at 19.2 h = Mon 15:12
      ['2026-07-01T16:00:00.000Z', '2026-07-06T19:12:00.000Z', '2026-07-07T16:00:00.000Z']
    ]
  ])('%s', (_, target, createdAt, expected) => {
    expect(clockIn(NY, target, createdAt)).toEqual(expected);
  });

  it('warns at 80 % of business time, not wall time (19:30 with 20:00 closing)', () => {
    // The default 'business' calendar: London 08:00–20:00 (BST = UTC+1 in July). A complaint
    // at 19:30 has 30 business minutes left today; the other 18 of the 48 come next morning.
    const sla = compileSla(DEFAULT_SLA_CONFIG);
    const c = sla.clock({ ...FACTS, intent: 'complaint' }, at('2026-07-01T18:30:00.000Z'));
    expect(c && [c.ruleId, iso(c.startedAt), iso(c.warnAt), iso(c.dueAt)]).toEqual([
      'complaint',
      '2026-07-01T18:30:00.000Z',
      '2026-07-02T07:18:00.000Z',
      '2026-07-02T07:30:00.000Z'
    ]);
  });

  it('24x7 is plain arithmetic', () => {
    expect(clockIn('24x7', 15, '2026-07-04T03:00:00.000Z')).toEqual([
      '2026-07-04T03:00:00.000Z',
      '2026-07-04T03:12:00.000Z',
      '2026-07-04T03:15:00.000Z'
    ]);
  });

  it('rejects a non-finite createdAt', () => {
    expect(() => compileSla(single(NY, 60)).clock(FACTS, Number.NaN)).toThrow(/createdAt/);
  });
});

describe('time zones and holidays', () => {
  it('the same instant gets different deadlines in New York and Tokyo', () => {
    // Wed 18:00 EDT (closed) = Thu 07:00 JST (not yet open).
    const created = '2026-07-01T22:00:00.000Z';
    expect(clockIn(NY, 60, created)).toEqual([
      '2026-07-02T13:00:00.000Z', // Thu 09:00 EDT
      '2026-07-02T13:48:00.000Z',
      '2026-07-02T14:00:00.000Z'
    ]);
    expect(clockIn(TOKYO, 60, created)).toEqual([
      '2026-07-02T00:00:00.000Z', // Thu 09:00 JST
      '2026-07-02T00:48:00.000Z',
      '2026-07-02T01:00:00.000Z'
    ]);
  });

  it('a holiday covers its date in the calendar’s own zone', () => {
    // Open round the clock except 2026-07-03: Tokyo is closed 07-02T15:00Z–07-03T15:00Z,
    // New York 07-03T04:00Z–07-04T04:00Z.
    const tokyo: Calendar = { timeZone: 'Asia/Tokyo', hours: ALL_DAY, holidays: ['2026-07-03'] };
    const ny: Calendar = { timeZone: 'America/New_York', hours: ALL_DAY, holidays: ['2026-07-03'] };
    const start = (cal: Calendar, created: string) => clockIn(cal, 10, created)[0];
    expect(start(tokyo, '2026-07-03T02:00:00.000Z')).toBe('2026-07-03T15:00:00.000Z');
    expect(start(ny, '2026-07-03T02:00:00.000Z')).toBe('2026-07-03T02:00:00.000Z');
    expect(start(tokyo, '2026-07-03T16:00:00.000Z')).toBe('2026-07-03T16:00:00.000Z');
    expect(start(ny, '2026-07-03T16:00:00.000Z')).toBe('2026-07-04T04:00:00.000Z');
    const day = (cal: Calendar) =>
      compileSla(single(cal, 10)).businessMs(
        'c',
        at('2026-07-02T00:00:00.000Z'),
        at('2026-07-05T00:00:00.000Z')
      ) / HOUR;
    expect(day(tokyo)).toBe(48);
    expect(day(ny)).toBe(48);
  });

  it('a weekday holiday in Tokyo delays a Tokyo clock but not a New York one', () => {
    const tokyoHoliday: Calendar = { ...TOKYO, holidays: ['2026-07-03'] };
    // Thu 14:00 EDT = Fri 03:00 JST.
    const created = '2026-07-02T18:00:00.000Z';
    expect(clockIn(NY, 60, created)[0]).toBe('2026-07-02T18:00:00.000Z');
    expect(clockIn(TOKYO, 60, created)[0]).toBe('2026-07-03T00:00:00.000Z'); // Fri 09:00 JST
    expect(clockIn(tokyoHoliday, 60, created)[0]).toBe('2026-07-06T00:00:00.000Z'); // Mon
  });
});

describe('daylight saving time', () => {
  const nyAllDay: Calendar = { timeZone: 'America/New_York', hours: ALL_DAY, holidays: [] };
  const londonAllDay: Calendar = { timeZone: 'Europe/London', hours: ALL_DAY, holidays: [] };

  it.each<[string, Calendar, string, string, number]>([
    [
      'New York spring forward (23 h)',
      nyAllDay,
      '2026-03-08T05:00:00Z',
      '2026-03-09T04:00:00Z',
      23
    ],
    ['New York fall back (25 h)', nyAllDay, '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 25],
    [
      'London spring forward (23 h)',
      londonAllDay,
      '2026-03-29T00:00:00Z',
      '2026-03-29T23:00:00Z',
      23
    ],
    ['London fall back (25 h)', londonAllDay, '2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z', 25]
  ])('%s: a 00:00–24:00 local day', (_, cal, from, to, hours) => {
    const sla = compileSla(single(cal, 60));
    expect(sla.businessMs('c', at(from), at(to)) / HOUR).toBe(hours);
  });

  // Open only on Sundays, around the 02:00 change: 00:00–04:00 is 3 h on 2026-03-08 and 5 h on
  // 2026-11-01.
  const sundayNight = (hours: [string, string][]): Calendar => ({
    timeZone: 'America/New_York',
    hours: { sun: hours },
    holidays: []
  });

  it.each<[string, [string, string][], number, string, string[]]>([
    [
      'spring forward: 4 h do not fit in the 3-hour night, finish next Sunday (EDT)',
      [['00:00', '04:00']],
      240,
      '2026-03-08T05:00:00.000Z',
      // warn 192 min = 3 h + 12 min: next Sunday 00:12 EDT
      ['2026-03-08T05:00:00.000Z', '2026-03-15T04:12:00.000Z', '2026-03-15T05:00:00.000Z']
    ],
    [
      'fall back: 4 h fit in the 5-hour night (ends 03:00 EST)',
      [['00:00', '04:00']],
      240,
      '2026-11-01T04:00:00.000Z',
      ['2026-11-01T04:00:00.000Z', '2026-11-01T07:12:00.000Z', '2026-11-01T08:00:00.000Z']
    ],
    [
      'a skipped opening time (02:30) opens at 03:30 EDT, moved by the jump',
      [['02:30', '05:00']],
      60,
      '2026-03-08T05:00:00.000Z',
      ['2026-03-08T07:30:00.000Z', '2026-03-08T08:18:00.000Z', '2026-03-08T08:30:00.000Z']
    ],
    [
      'a repeated opening time (01:30) opens at its first occurrence (EDT)',
      [['01:30', '03:00']],
      150,
      '2026-11-01T04:00:00.000Z',
      // 01:30 EDT = 05:30Z to 03:00 EST = 08:00Z: exactly the 150 minutes
      ['2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z', '2026-11-01T08:00:00.000Z']
    ]
  ])('%s', (_, hours, target, createdAt, expected) => {
    expect(clockIn(sundayNight(hours), target, createdAt)).toEqual(expected);
  });

  it('business hours keep their local time across the change (Friday EST → Monday EDT)', () => {
    // Fri 2026-03-06 16:30 EST: 30 min Friday, the rest from Monday 09:00 EDT (13:00Z).
    expect(clockIn(NY, 60, '2026-03-06T21:30:00.000Z')).toEqual([
      '2026-03-06T21:30:00.000Z',
      '2026-03-09T13:18:00.000Z',
      '2026-03-09T13:30:00.000Z'
    ]);
  });

  it('London: Saturday 15:30 GMT complaint finishes Monday after the spring-forward Sunday', () => {
    const c = compileSla(DEFAULT_SLA_CONFIG).clock(
      { ...FACTS, intent: 'complaint' },
      at('2026-03-28T15:30:00.000Z')
    );
    // 30 min until Saturday 16:00, closed Sunday, Monday opens 08:00 BST = 07:00Z.
    expect(c && [iso(c.warnAt), iso(c.dueAt)]).toEqual([
      '2026-03-30T07:18:00.000Z',
      '2026-03-30T07:30:00.000Z'
    ]);
  });
});

describe('businessMs', () => {
  const sla = compileSla({
    calendars: { ny: NY },
    rules: [{ id: 'r', name: 'r', match: {}, targetMinutes: 60, calendar: 'ny' }]
  });

  it.each<[string, string, string, string, number]>([
    ['a normal week is 40 h', 'ny', '2026-06-22T04:00:00Z', '2026-06-29T04:00:00Z', 40 * HOUR],
    [
      'the week with the holiday is 32 h',
      'ny',
      '2026-06-29T04:00:00Z',
      '2026-07-06T04:00:00Z',
      32 * HOUR
    ],
    [
      'partial overlap with one interval',
      'ny',
      '2026-07-01T12:00:00Z',
      '2026-07-01T14:30:00Z',
      90 * MIN
    ],
    ['closed span', 'ny', '2026-07-01T21:00:00Z', '2026-07-02T13:00:00Z', 0],
    ['to before from', 'ny', '2026-07-02T00:00:00Z', '2026-07-01T00:00:00Z', 0],
    ['24x7 is wall time', '24x7', '2026-07-01T00:00:00Z', '2026-07-01T01:30:00Z', 90 * MIN]
  ])('%s', (_, cal, from, to, expected) => {
    expect(sla.businessMs(cal, at(from), at(to))).toBe(expected);
  });

  it('throws on an unknown calendar', () => {
    expect(() => sla.businessMs('weekend', 0, 1)).toThrow('unknown calendar "weekend"');
  });
});

describe('robustness', () => {
  it('gives up after MAX_WALK_DAYS when holidays close the calendar for over a year', () => {
    // Open on Mondays only, and every Monday of 2026 and 2027 is a holiday.
    const mondays: string[] = [];
    for (let t = at('2026-01-05T00:00:00Z'); t < at('2028-01-01T00:00:00Z'); t += 7 * 24 * HOUR) {
      mondays.push(iso(t).slice(0, 10));
    }
    const cal: Calendar = {
      timeZone: 'UTC',
      hours: { mon: [['09:00', '17:00']] },
      holidays: mondays
    };
    const sla = compileSla(single(cal, 60));
    expect(() => sla.clock(FACTS, at('2026-01-01T00:00:00Z'))).toThrow(
      `more than ${MAX_WALK_DAYS} days away in calendar "c"`
    );
  });

  it('does not depend on what the day cache holds (order, eviction)', () => {
    const config = single(NY, 600);
    const warm = compileSla(config);
    const times: number[] = [];
    // Every 25 h over 5 years (more days than the cache keeps), then back to the start.
    for (let t = at('2024-01-01T00:00:00Z'); t < at('2029-01-01T00:00:00Z'); t += 25 * HOUR) {
      times.push(t);
    }
    const firstPass = times.map((t) => warm.clock(FACTS, t));
    const backwards = [...times].reverse().map((t) => warm.clock(FACTS, t));
    expect(backwards.reverse()).toEqual(firstPass);
    const cold = times.slice(0, 50).map((t) => compileSla(config).clock(FACTS, t));
    expect(warm.clock(FACTS, times[0] ?? 0)).toEqual(cold[0]);
    expect(firstPass.slice(0, 50)).toEqual(cold);
  });
});

describe('slaState and nextTransition', () => {
  const c: SlaClock = { ruleId: 'r', startedAt: 0, warnAt: 800, dueAt: 1000 };

  it.each<[number | null, number, SlaState]>([
    [null, 0, 'ok'],
    [null, 799, 'ok'],
    [null, 800, 'warning'], // warnAt itself is warning
    [null, 999, 'warning'],
    [null, 1000, 'breached'], // dueAt itself is breached
    [null, 5000, 'breached'],
    [500, 600, 'met'],
    [1000, 1000, 'met'], // a reply at exactly dueAt is met
    [1000, 5000, 'met'],
    [1001, 5000, 'missed'],
    [-5, 10, 'met'], // replied before the clock started (e.g. overnight)
    [900, 850, 'warning'], // a reply after `now` has not happened yet
    [1200, 1100, 'breached']
  ])('answeredAt %s, now %s → %s', (answeredAt, now, expected) => {
    expect(slaState(c, answeredAt, now)).toBe(expected);
  });

  it.each<[number, number | null]>([
    [0, 800],
    [799, 800],
    [800, 1000],
    [999, 1000],
    [1000, null],
    [2000, null]
  ])('nextTransition at %s → %s', (now, expected) => {
    expect(nextTransition(c, now)).toBe(expected);
  });

  it('nextTransition is where slaState changes', () => {
    const wake = nextTransition(c, 0) ?? 0;
    expect([slaState(c, null, wake - 1), slaState(c, null, wake)]).toEqual(['ok', 'warning']);
    const due = nextTransition(c, wake) ?? 0;
    expect([slaState(c, null, due - 1), slaState(c, null, due)]).toEqual(['warning', 'breached']);
  });
});

describe('compliance', () => {
  const clock = (dueAt: number): SlaClock => ({
    ruleId: 'r',
    startedAt: 0,
    warnAt: dueAt * 0.8,
    dueAt
  });

  it('counts each clock once and rates the decided ones', () => {
    const now = 1000;
    const items = [
      { clock: clock(500), answeredAt: 400 }, // met
      { clock: clock(500), answeredAt: 500 }, // met (exactly at due)
      { clock: clock(500), answeredAt: 900 }, // missed
      { clock: clock(500), answeredAt: null }, // breached, open
      { clock: clock(1000), answeredAt: null }, // breached at exactly dueAt
      { clock: clock(2000), answeredAt: null }, // open (ok)
      { clock: clock(1100), answeredAt: null }, // open (warning)
      { clock: clock(500), answeredAt: 1500 } // reply after now: still breached, open
    ];
    expect(compliance(items, now)).toEqual({
      met: 2,
      missed: 1,
      breachedOpen: 3,
      open: 2,
      ratio: 2 / 6
    });
  });

  it('ratio is null with nothing decided', () => {
    expect(compliance([], 0)).toEqual({ met: 0, missed: 0, breachedOpen: 0, open: 0, ratio: null });
    expect(compliance([{ clock: clock(100), answeredAt: null }], 0).ratio).toBeNull();
  });

  it('accepts any iterable', () => {
    function* gen() {
      yield { clock: clock(100), answeredAt: 50 };
    }
    expect(compliance(gen(), 200).ratio).toBe(1);
  });
});

describe('DEFAULT_SLA_CONFIG', () => {
  const sla = compileSla(DEFAULT_SLA_CONFIG);

  it('is valid', () => {
    expect(SlaConfigSchema.safeParse(DEFAULT_SLA_CONFIG).success).toBe(true);
  });

  it.each<[string, Partial<SlaFacts>, string | null]>([
    ['a celebrity complaint is VIP', { tier: 'celebrity', intent: 'complaint' }, 'vip'],
    ['an influencer question is VIP', { tier: 'influencer' }, 'vip'],
    ['priority 70 is urgent', { priority: 70 }, 'urgent'],
    ['a risky complaint is urgent', { intent: 'complaint', priority: 85 }, 'urgent'],
    ['a plain complaint', { intent: 'complaint', priority: 69 }, 'complaint'],
    ['a question', { intent: 'question' }, 'standard'],
    ['purchase intent', { intent: 'purchase' }, 'standard'],
    [
      'praise from a notable author: no promise, not queued',
      { intent: 'praise', tier: 'notable' },
      null
    ]
  ])('%s', (_, facts, expected) => {
    expect(sla.match({ ...FACTS, ...facts })?.id ?? null).toBe(expected);
  });

  it('VIP clocks run 15 minutes round the clock, even on a Sunday night', () => {
    const c = sla.clock({ ...FACTS, tier: 'celebrity' }, at('2026-07-05T02:00:00.000Z'));
    expect(c && [iso(c.startedAt), iso(c.warnAt), iso(c.dueAt)]).toEqual([
      '2026-07-05T02:00:00.000Z',
      '2026-07-05T02:12:00.000Z',
      '2026-07-05T02:15:00.000Z'
    ]);
  });
});

describe('SlaConfigSchema', () => {
  const valid = (): SlaConfig => ({
    calendars: {
      c: { timeZone: 'Europe/London', hours: { mon: [['09:00', '17:00']] }, holidays: [] }
    },
    rules: [{ id: 'r', name: 'all', match: {}, targetMinutes: 60, calendar: 'c' }]
  });
  // Mutations of a valid config as plain JSON (what a user would write).
  type Json = Record<string, unknown> & {
    calendars: Record<string, Record<string, unknown>> & { c: Record<string, unknown> };
    rules: Record<string, unknown>[];
  };

  it('accepts a valid config and defaults holidays', () => {
    const input = valid() as unknown as Json;
    delete input.calendars.c.holidays;
    const r = parseSlaConfig(input);
    expect(r.ok && r.config.calendars.c?.holidays).toEqual([]);
  });

  it.each<[string, (j: Json) => void, string]>([
    [
      'bad time zone',
      (j) => (j.calendars.c.timeZone = 'Mars/Olympus'),
      'calendars.c.timeZone: unknown IANA time zone "Mars/Olympus" (e.g. "Europe/London")'
    ],
    [
      '25:00 as an opening time',
      (j) => (j.calendars.c.hours = { mon: [['25:00', '26:00']] }),
      'calendars.c.hours.mon.0.0: opening time must be HH:MM from 00:00 to 23:59'
    ],
    [
      '25:00 as a closing time',
      (j) => (j.calendars.c.hours = { mon: [['09:00', '25:00']] }),
      'calendars.c.hours.mon.0.1: closing time must be HH:MM from 00:01 to 24:00'
    ],
    [
      'end not after start',
      (j) => (j.calendars.c.hours = { fri: [['22:00', '06:00']] }),
      'calendars.c.hours.fri.0: must end after it starts'
    ],
    [
      'overlapping intervals',
      (j) =>
        (j.calendars.c.hours = {
          mon: [
            ['13:00', '17:00'],
            ['09:00', '13:30']
          ]
        }),
      'calendars.c.hours.mon.0: overlaps the interval 09:00–13:30'
    ],
    [
      'unknown day',
      (j) => (j.calendars.c.hours = { monday: [['09:00', '17:00']] }),
      'calendars.c.hours: unknown day "monday"; days are mon, tue, wed, thu, fri, sat, sun'
    ],
    [
      'no open hours',
      (j) => (j.calendars.c.hours = { sat: [] }),
      'calendars.c.hours: has no open hours; add at least one interval, or use the calendar "24x7"'
    ],
    [
      'impossible holiday',
      (j) => (j.calendars.c.holidays = ['2026-02-30']),
      'calendars.c.holidays.0: must be a date YYYY-MM-DD, e.g. 2026-12-25'
    ],
    [
      'redefining 24x7',
      (j) => (j.calendars['24x7'] = j.calendars.c),
      'calendars.24x7: "24x7" is the built-in always-open calendar; choose another name'
    ],
    [
      'unknown calendar',
      (j) => (j.rules[0] = { ...j.rules[0], calendar: 'weekend' }),
      'rules.0.calendar: unknown calendar "weekend" (known: "c", "24x7")'
    ],
    [
      'negative target',
      (j) => (j.rules[0] = { ...j.rules[0], targetMinutes: -5 }),
      'rules.0.targetMinutes: must be a positive number of minutes'
    ],
    [
      'fractional target',
      (j) => (j.rules[0] = { ...j.rules[0], targetMinutes: 1.5 }),
      'rules.0.targetMinutes: must be a whole number of minutes'
    ],
    [
      'target beyond 26 weeks of the calendar',
      (j) => {
        j.calendars.c.hours = { mon: [['09:00', '10:00']] };
        j.rules[0] = { ...j.rules[0], targetMinutes: 1561 };
      },
      'rules.0.targetMinutes: 1561 business minutes is more than 26 weeks of calendar "c" (open 60 minutes a week)'
    ],
    [
      'unknown channel',
      (j) => (j.rules[0] = { ...j.rules[0], match: { channel: ['myspace'] } }),
      'rules.0.match.channel.0: must be one of twitter, facebook, instagram, reddit, forum, review, news, bluesky, mastodon'
    ],
    [
      'empty intent list',
      (j) => (j.rules[0] = { ...j.rules[0], match: { intent: [] } }),
      'rules.0.match.intent: must list at least one intent; omit the field to match any intent'
    ],
    [
      'minPriority above maxPriority',
      (j) => (j.rules[0] = { ...j.rules[0], match: { minPriority: 80, maxPriority: 70 } }),
      'rules.0.match.maxPriority: must be at least minPriority'
    ],
    [
      'priority out of range',
      (j) => (j.rules[0] = { ...j.rules[0], match: { minPriority: 101 } }),
      'rules.0.match.minPriority: must be between 0 and 100'
    ],
    [
      'duplicate rule id',
      (j) => j.rules.push({ ...j.rules[0] }),
      'rules.1.id: duplicate rule id "r" (also rule 0)'
    ]
  ])('%s', (_, mutate, expected) => {
    const input = valid() as unknown as Json;
    mutate(input);
    const r = parseSlaConfig(input);
    // Each expectation is the start of one error line (some go on with a hint).
    expect(r.ok ? [] : r.errors).toContainEqual(expect.stringMatching(`^${escapeRe(expected)}`));
  });

  it('compileSla throws a clear Error for an unknown calendar', () => {
    const config = valid();
    config.rules = config.rules.map((r) => ({ ...r, calendar: 'weekend' }));
    expect(() => compileSla(config)).toThrow(
      'Invalid SLA config: rules.0.calendar: unknown calendar "weekend" (known: "c", "24x7")'
    );
  });
});
