import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  AGENT_NAME_MAX,
  AgentConventionSchema,
  DEFAULT_AGENT_CONVENTION,
  UNASSIGNED_TEAM,
  agentStats,
  compileAgentConvention,
  quantile,
  type AgentReply
} from '../../../server/core/care/agents';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('compileAgentConvention with the default convention', () => {
  const attribute = compileAgentConvention(DEFAULT_AGENT_CONVENTION);

  const cases: [text: string, expected: string | null][] = [
    // Each signature style.
    ['Sorry to hear that. Let us know! ^JS', 'JS'],
    ['We have sent you a DM -AB', 'AB'],
    ['Please check your settings *TJ', 'TJ'],
    ['Happy to help ~MK', 'MK'],
    ['Try restarting the app /KC', 'KC'],
    ['Three initials and digits ^ABC12', 'ABC12'],
    ['Glad it worked out...thanks. -Sam', 'Sam'],
    ['Gracias por escribirnos -José', 'José'],
    ['Trailing white space is fine ^JS  \n', 'JS'],
    ['^JS', 'JS'],
    // Several signatures: the last one.
    ['Passing you to my colleague ^DK ^MD', 'MD'],
    // Negatives.
    ['Is everything working now? - OK', null],
    ['Sounds good -OK', null],
    ['Sounds good -Ok', null],
    ['see https://x.co/AB', null],
    ['paste the link x.co/AB', null],
    ['^^', null],
    ['Thanks ^^', null],
    ['please ask ^js about it', null],
    ['please ask ^js', null],
    ['Ask ^JS about it', null],
    ['Reply ^JS.', null],
    ['Lower-case name -sam', null],
    ['One letter -A', null],
    ['Too many capitals -ASAP', null],
    ['Plain reply with no signature', null],
    ['', null]
  ];
  it.each(cases)('%j → %j', (text, expected) => {
    expect(attribute({ text })).toBe(expected);
  });

  it('prefers a usable explicit agent field, trimmed, over the signature', () => {
    expect(attribute({ agent: '  Jo Smith ', text: 'Thanks ^JS' })).toBe('Jo Smith');
    expect(attribute({ agent: 'x'.repeat(AGENT_NAME_MAX), text: 'Thanks ^JS' })).toBe(
      'x'.repeat(AGENT_NAME_MAX)
    );
  });

  it('falls back to the signature when the explicit field is empty, null or too long', () => {
    expect(attribute({ agent: '', text: 'Thanks ^JS' })).toBe('JS');
    expect(attribute({ agent: '   ', text: 'Thanks ^JS' })).toBe('JS');
    expect(attribute({ agent: null, text: 'Thanks ^JS' })).toBe('JS');
    const long = 'Agent '.repeat(20);
    expect(long.trim().length).toBeGreaterThan(AGENT_NAME_MAX);
    expect(attribute({ agent: long, text: 'Thanks ^JS' })).toBe('JS');
    expect(attribute({ agent: long, text: 'No signature' })).toBeNull();
  });
});

describe('compileAgentConvention with a brand convention', () => {
  it('maps signatures to display names, and leaves unmapped ones as they are', () => {
    const attribute = compileAgentConvention({
      ...DEFAULT_AGENT_CONVENTION,
      names: { JS: 'Jo Smith', MD: 'Mo Diaz' }
    });
    expect(attribute({ text: 'Let us know! ^JS' })).toBe('Jo Smith');
    expect(attribute({ text: 'Over to you ^JS ^MD' })).toBe('Mo Diaz');
    expect(attribute({ text: 'Let us know! ^KC' })).toBe('KC');
    // Names apply to signatures only, not to the explicit field.
    expect(attribute({ agent: 'JS', text: 'hi' })).toBe('JS');
  });

  it('does not read inherited object keys as names', () => {
    const attribute = compileAgentConvention({
      signature: '#(\\w+)$',
      names: {},
      teams: {}
    });
    expect(attribute({ text: 'hi #constructor' })).toBe('constructor');
  });

  it('uses a custom signature with one capture group', () => {
    const attribute = compileAgentConvention({
      signature: '\\[(\\p{Lu}\\p{Ll}+)\\]\\s*$',
      names: { Ann: 'Ann Lee' },
      teams: {}
    });
    expect(attribute({ text: 'We are on it [Ann]' })).toBe('Ann Lee');
    expect(attribute({ text: 'We are on it ^JS' })).toBeNull();
  });
});

describe('AgentConventionSchema', () => {
  it('accepts the default convention', () => {
    expect(AgentConventionSchema.parse(DEFAULT_AGENT_CONVENTION)).toEqual(DEFAULT_AGENT_CONVENTION);
  });

  const bad: [what: string, value: unknown, message: string][] = [
    ['an invalid pattern', { signature: '(^', names: {}, teams: {} }, 'valid regular expression'],
    ['no capture group', { signature: '\\^\\p{Lu}{2}$', names: {}, teams: {} }, 'capture group'],
    ['two capture groups', { signature: '(a)(b)$', names: {}, teams: {} }, 'capture group'],
    ['an empty pattern', { signature: '', names: {}, teams: {} }, 'must not be empty'],
    ['an empty display name', { signature: '(a)', names: { A: ' ' }, teams: {} }, 'not be empty'],
    [
      'a long team name',
      { signature: '(a)', names: {}, teams: { A: 't'.repeat(65) } },
      'at most 64'
    ],
    ['an unknown key', { signature: '(a)', names: {}, teams: {}, x: 1 }, 'x']
  ];
  it.each(bad)('refuses %s', (_what, value, message) => {
    const result = AgentConventionSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('makes compileAgentConvention throw on an invalid convention', () => {
    expect(() => compileAgentConvention({ signature: '[', names: {}, teams: {} })).toThrow(
      'valid regular expression'
    );
  });
});

describe('quantile (linear interpolation between closest ranks)', () => {
  const cases: [values: number[], q: number, expected: number | null][] = [
    [[], 0.5, null],
    [[7], 0.5, 7],
    [[7], 0.9, 7],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.9, 3.7],
    [[1, 2, 3, 4, 5], 0.5, 3],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9, 91],
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 1, 4]
  ];
  it.each(cases)('%j at %f → %j', (values, q, expected) => {
    const got = quantile(values, q);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 9);
  });
});

describe('agentStats', () => {
  const T0 = Date.UTC(2024, 0, 15, 12, 0); // Monday 15 January 2024, 12:00 UTC
  function reply(over: Partial<AgentReply> & Pick<AgentReply, 'agent'>): AgentReply {
    return { at: T0, firstResponseMs: null, slaMet: null, conversation: 'x:1', ...over };
  }
  const UTC = { teams: {}, timeZone: 'UTC' };

  it('returns empty lists for no replies', () => {
    expect(agentStats([], UTC)).toEqual({ agents: [], teams: [] });
  });

  it('computes median and p90 first-response times, SLA compliance and handled conversations', () => {
    const replies: AgentReply[] = [
      // Four first responses of 1, 2, 3 and 4 minutes, in three conversations, and two follow-ups.
      reply({ agent: 'JS', conversation: 'x:1', firstResponseMs: 3 * MIN, slaMet: true }),
      reply({ agent: 'JS', conversation: 'x:1', at: T0 + HOUR }),
      reply({ agent: 'JS', conversation: 'x:2', firstResponseMs: 1 * MIN, slaMet: true }),
      reply({ agent: 'JS', conversation: 'x:2', firstResponseMs: 4 * MIN, slaMet: false }),
      reply({ agent: 'JS', conversation: 'x:3', firstResponseMs: 2 * MIN, slaMet: null }),
      reply({ agent: 'JS', conversation: 'x:3', at: T0 - HOUR })
    ];
    const [js] = agentStats(replies, UTC).agents;
    expect(js).toMatchObject({
      agent: 'JS',
      team: null,
      replies: 6,
      handled: 3,
      firstResponses: 4,
      medianFirstResponseMs: 2.5 * MIN,
      p90FirstResponseMs: 3.7 * MIN,
      slaMet: 2,
      slaMissed: 1,
      firstAt: T0 - HOUR,
      lastAt: T0 + HOUR
    });
    expect(js?.slaCompliance).toBeCloseTo(2 / 3, 12);
  });

  it('gives null quantiles and compliance without first responses or SLAs', () => {
    const [a] = agentStats([reply({ agent: 'A' })], UTC).agents;
    expect(a).toMatchObject({
      firstResponses: 0,
      medianFirstResponseMs: null,
      p90FirstResponseMs: null,
      slaCompliance: null
    });
    const [b] = agentStats([reply({ agent: 'B', firstResponseMs: MIN })], UTC).agents;
    expect(b).toMatchObject({ firstResponses: 1, medianFirstResponseMs: MIN, slaCompliance: null });
  });

  it('sorts agents by replies, most first, then by name', () => {
    const replies = [
      reply({ agent: 'Cy' }),
      reply({ agent: 'Bo' }),
      reply({ agent: 'Al' }),
      reply({ agent: 'Cy' })
    ];
    expect(agentStats(replies, UTC).agents.map((a) => [a.agent, a.replies])).toEqual([
      ['Cy', 2],
      ['Al', 1],
      ['Bo', 1]
    ]);
  });

  it('aggregates teams over pooled replies, with agents without a team as Unassigned', () => {
    const teams = { Al: 'Day', Bo: 'Day', Cy: 'Night' };
    const replies = [
      reply({ agent: 'Al', conversation: 'c1', firstResponseMs: 1 * MIN, slaMet: true }),
      reply({ agent: 'Al', conversation: 'c2', firstResponseMs: 2 * MIN, slaMet: true }),
      // Bo replies in Al's conversation c1: the team handled it once.
      reply({ agent: 'Bo', conversation: 'c1', at: T0 + HOUR }),
      reply({ agent: 'Bo', conversation: 'c3', firstResponseMs: 9 * MIN, slaMet: false }),
      reply({ agent: 'Cy', conversation: 'c4', firstResponseMs: 5 * MIN, slaMet: true }),
      reply({ agent: 'Dee', conversation: 'c5', at: T0 - HOUR }),
      reply({ agent: 'Eve', conversation: 'c5' })
    ];
    const { agents, teams: teamStats } = agentStats(replies, { teams, timeZone: 'UTC' });
    expect(agents.map((a) => [a.agent, a.team])).toEqual([
      ['Al', 'Day'],
      ['Bo', 'Day'],
      ['Cy', 'Night'],
      ['Dee', null],
      ['Eve', null]
    ]);
    expect(
      teamStats.map((t) => [t.team, t.agents, t.replies, t.handled, t.firstResponses])
    ).toEqual([
      ['Day', 2, 4, 3, 3],
      [UNASSIGNED_TEAM, 2, 2, 1, 0],
      ['Night', 1, 1, 1, 1]
    ]);
    const day = teamStats[0];
    // Pooled first responses 1, 2, 9 min: median 2, p90 at position 1.8 → 2 + 0.8 · 7 = 7.6 min.
    expect(day?.medianFirstResponseMs).toBe(2 * MIN);
    expect(day?.p90FirstResponseMs).toBeCloseTo(7.6 * MIN, 6);
    expect(day?.slaCompliance).toBeCloseTo(2 / 3, 12);
    expect(day?.firstAt).toBe(T0);
    expect(day?.lastAt).toBe(T0 + HOUR);
    expect(teamStats[1]?.firstAt).toBe(T0 - HOUR);
  });

  const zoneCases: [what: string, at: number, timeZone: string, hour: number][] = [
    [
      '23:30 UTC in winter, New York (UTC−5)',
      Date.UTC(2024, 0, 15, 23, 30),
      'America/New_York',
      18
    ],
    [
      '23:30 UTC in summer, New York (UTC−4)',
      Date.UTC(2024, 6, 15, 23, 30),
      'America/New_York',
      19
    ],
    ['23:30 UTC, Kolkata (UTC+5:30)', Date.UTC(2024, 0, 15, 23, 30), 'Asia/Kolkata', 5],
    ['23:30 UTC, UTC', Date.UTC(2024, 0, 15, 23, 30), 'UTC', 23],
    [
      '06:59 UTC before the March 2024 switch, New York',
      Date.UTC(2024, 2, 10, 6, 59),
      'America/New_York',
      1
    ],
    [
      '07:00 UTC at the March 2024 switch, New York',
      Date.UTC(2024, 2, 10, 7, 0),
      'America/New_York',
      3
    ],
    ['00:10 UTC, Kathmandu (UTC+5:45)', Date.UTC(2024, 0, 15, 0, 10), 'Asia/Kathmandu', 5],
    ['00:20 UTC, Kathmandu (UTC+5:45)', Date.UTC(2024, 0, 15, 0, 20), 'Asia/Kathmandu', 6]
  ];
  it.each(zoneCases)('counts by hour in the brand zone: %s', (_what, at, timeZone, hour) => {
    const [a] = agentStats([reply({ agent: 'A', at })], { teams: {}, timeZone }).agents;
    const expected = new Array<number>(24).fill(0);
    expected[hour] = 1;
    expect(a?.byHour).toEqual(expected);
  });

  it('agrees with luxon on the hour of day across a year, including DST switches', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    for (const timeZone of zones) {
      // Every 47 min 13 s through 2024: lands at many minutes of the hour, across every switch.
      const ats: number[] = [];
      for (let at = Date.UTC(2024, 0, 1); at < Date.UTC(2025, 0, 1); at += 2_833_000) ats.push(at);
      const expected = new Array<number>(24).fill(0);
      for (const at of ats) {
        const h = DateTime.fromMillis(at, { zone: timeZone }).hour;
        expected[h] = (expected[h] ?? 0) + 1;
      }
      const [a] = agentStats(
        ats.map((at) => reply({ agent: 'A', at })),
        { teams: {}, timeZone }
      ).agents;
      expect(a?.byHour, timeZone).toEqual(expected);
    }
  });

  it('refuses an unknown time zone', () => {
    expect(() => agentStats([], { teams: {}, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
