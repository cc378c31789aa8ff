import { describe, expect, it } from 'vitest';
import {
  describeCalendar,
  describeMatch,
  describeTarget,
  formOf,
  fromPercent,
  jsonSyntaxError,
  mixTotal,
  pairsText,
  parsePairs,
  parseSlaJson,
  settingsOf,
  SLA_EXAMPLE,
  toPercent,
  type CareForm,
  type CareSettings
} from '../../../src/lib/settings/care-form';

const SETTINGS: CareSettings = {
  timeZone: 'Europe/London',
  sla: {
    calendars: {
      business: {
        timeZone: 'Europe/London',
        hours: { mon: [['08:00', '20:00']], sat: [['10:00', '16:00']] },
        holidays: ['2025-12-25']
      }
    },
    rules: [
      {
        id: 'vip',
        name: 'VIP authors',
        match: { tier: ['celebrity', 'influencer'] },
        targetMinutes: 15,
        calendar: '24x7'
      },
      {
        id: 'complaint',
        name: 'Complaints',
        match: { intent: ['complaint'] },
        targetMinutes: 60,
        calendar: 'business'
      }
    ]
  },
  agents: { signature: '\\^(\\p{Lu}{2})$', names: { JS: 'Jane Smith' }, teams: {} },
  value: {
    currency: 'USD',
    costPerContact: { phone: 9, chat: 5, email: 3.75, selfService: 0.1 },
    socialProductivity: 6,
    deflectionMix: { phone: 0.6, chat: 0.25, email: 0.15 }
  }
};

describe('percentages', () => {
  it.each([
    [0, 0],
    [0.6, 60],
    [0.25, 25],
    [0.15, 15],
    [0.07, 7],
    [0.333333, 33.3333],
    [1, 100]
  ])('%s ⇄ %s%%', (fraction, percent) => {
    expect(toPercent(fraction)).toBe(percent);
    expect(fromPercent(percent)).toBe(fraction);
  });

  it.each([
    [{ mixPhone: 60, mixChat: 25, mixEmail: 15 }, 100],
    [{ mixPhone: 10.1, mixChat: 20.2, mixEmail: 0 }, 30.3],
    [{ mixPhone: null, mixChat: 25, mixEmail: 15 }, null],
    [{ mixPhone: Number.NaN, mixChat: 25, mixEmail: 15 }, null]
  ])('mixTotal(%o) = %s', (f, total) => {
    expect(mixTotal(f)).toBe(total);
  });
});

describe('key = value lines', () => {
  it.each<[string, Record<string, string>]>([
    ['', {}],
    ['JS = Jane Smith', { JS: 'Jane Smith' }],
    ['  JS=Jane\n\n AB =  Al B  \r\n', { JS: 'Jane', AB: 'Al B' }],
    ['JS = a = b', { JS: 'a = b' }],
    ['JS = One\nJS = Two', { JS: 'Two' }],
    ['__proto__ = x', { ['__proto__']: 'x' }]
  ])('%j', (text, map) => {
    const r = parsePairs(text);
    expect(r).toEqual({ ok: true, map });
    if (r.ok) expect(Object.getPrototypeOf(r.map)).toBe(Object.prototype);
  });

  it.each([
    ['JS Jane', 'line 1: write it as "key = value"'],
    ['A = B\n = Jane', 'line 2: both sides of "=" must be filled in'],
    ['A = B\n\nJS =', 'line 3: both sides of "=" must be filled in']
  ])('refuses %j', (text, error) => {
    expect(parsePairs(text)).toEqual({ ok: false, error });
  });

  it('round-trips a map', () => {
    const map = { JS: 'Jane Smith', AB: 'Al Bee' };
    expect(parsePairs(pairsText(map))).toEqual({ ok: true, map });
  });
});

describe('form ⇄ settings', () => {
  it('shows settings in the form', () => {
    const f = formOf(SETTINGS);
    expect(f).toMatchObject({
      timeZone: 'Europe/London',
      currency: 'USD',
      costPhone: 9,
      costEmail: 3.75,
      costSelfService: 0.1,
      socialProductivity: 6,
      mixPhone: 60,
      mixChat: 25,
      mixEmail: 15,
      signature: '\\^(\\p{Lu}{2})$',
      names: 'JS = Jane Smith',
      teams: ''
    });
    expect(JSON.parse(f.slaJson)).toEqual(SETTINGS.sla);
  });

  it('gives back the same settings', () => {
    expect(settingsOf(formOf(SETTINGS))).toEqual({ ok: true, settings: SETTINGS });
  });

  it('trims the time zone and currency and converts percentages', () => {
    const f: CareForm = { ...formOf(SETTINGS), timeZone: ' America/New_York ', currency: ' eur ' };
    f.mixPhone = 50;
    f.mixEmail = 12.5;
    const r = settingsOf(f);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.timeZone).toBe('America/New_York');
    expect(r.settings.value.currency).toBe('eur');
    expect(r.settings.value.deflectionMix).toEqual({ phone: 0.5, chat: 0.25, email: 0.125 });
  });

  it.each<[Partial<CareForm>, string, string]>([
    [{ costPhone: null }, 'value.costPerContact.phone', 'must be a number'],
    [{ costSelfService: Number.NaN }, 'value.costPerContact.selfService', 'must be a number'],
    [{ socialProductivity: null }, 'value.socialProductivity', 'must be a number'],
    [{ mixEmail: null }, 'value.deflectionMix.email', 'must be a number'],
    [{ names: 'Jane' }, 'agents.names', 'line 1: write it as "key = value"'],
    [{ teams: 'x = y\n= z' }, 'agents.teams', 'line 2: both sides of "=" must be filled in'],
    [{ slaJson: '   ' }, 'sla', 'the SLA policies must not be empty'],
    [
      { slaJson: '[1, 2]' },
      'sla',
      'the SLA policies must be a JSON object: { "calendars": {…}, "rules": […] }'
    ],
    [
      { slaJson: '{ "rules": [], }' },
      'sla',
      'the SLA policies are not valid JSON: trailing comma before "}" at line 1, column 16'
    ]
  ])('refuses %o before sending', (patch, field, message) => {
    const r = settingsOf({ ...formOf(SETTINGS), ...patch });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toEqual({ field, error: `${field}: ${message}` });
  });

  it('says where the SLA JSON breaks', () => {
    const r = settingsOf({ ...formOf(SETTINGS), slaJson: '{\n  "rules": [\n    { "id": x }' });
    expect(r).toMatchObject({
      ok: false,
      position: 27,
      problem: {
        field: 'sla',
        error:
          'sla: the SLA policies are not valid JSON: expected a value, found "x" at line 3, column 13'
      }
    });
  });
});

describe('jsonSyntaxError', () => {
  it.each(['{}', '[]', ' 1 ', '"a\\u00e9\\n"', 'true', 'null', '-0.5e+3', SLA_EXAMPLE])(
    'accepts %j',
    (text) => {
      expect(() => JSON.parse(text) as unknown).not.toThrow();
      expect(jsonSyntaxError(text)).toBeNull();
    }
  );

  it.each<[string, string, number, number, number]>([
    ['', 'expected a value, found the end of the text', 0, 1, 1],
    ['{', 'expected a property name in double quotes, found the end of the text', 1, 1, 2],
    ['{"a" 1}', 'expected ":" after the property name, found "1"', 5, 1, 6],
    ['{"a": 1,}', 'trailing comma before "}"', 8, 1, 9],
    ['[1, 2,]', 'trailing comma before "]"', 6, 1, 7],
    ['[1 2]', 'expected "," or "]", found "2"', 3, 1, 4],
    ['{\n  "a": 1\n  "b": 2\n}', 'expected "," or "}", found "\\""', 13, 3, 3],
    ["{'a': 1}", 'expected a property name in double quotes, found "\'"', 1, 1, 2],
    ["['a']", 'strings need double quotes', 1, 1, 2],
    ['{"a": tru}', 'expected true', 9, 1, 10],
    ['[01]', 'invalid number', 2, 1, 3],
    ['[-]', 'invalid number', 1, 1, 2],
    ['[1.]', 'invalid number', 2, 1, 3],
    ['"abc', 'unterminated string', 4, 1, 5],
    ['"a\nb"', 'line break inside a string', 2, 1, 3],
    ['"\\x"', 'invalid escape in string', 1, 1, 2],
    ['{} {}', 'unexpected "{" after the end of the JSON value', 3, 1, 4],
    ['{"a": 1}}', 'unexpected "}" after the end of the JSON value', 8, 1, 9]
  ])('%j: %s at %i (line %i, column %i)', (text, message, position, line, column) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ message, position, line, column });
  });

  it('refuses nesting deeper than it checks', () => {
    expect(jsonSyntaxError('['.repeat(2000) + ']'.repeat(2000))?.message).toBe('nested too deeply');
  });

  it('parses SLA JSON into the object', () => {
    expect(parseSlaJson(JSON.stringify(SETTINGS.sla))).toEqual({ ok: true, sla: SETTINGS.sla });
  });
});

describe('rule summaries', () => {
  it.each<[CareSettings['sla']['rules'][number]['match'], string]>([
    [{}, 'every mention'],
    [{ tier: ['celebrity', 'influencer'] }, 'tier celebrity or influencer'],
    [{ minPriority: 70 }, 'priority ≥ 70'],
    [{ maxPriority: 20 }, 'priority ≤ 20'],
    [
      { channel: ['reddit'], intent: ['complaint'], minPriority: 20, maxPriority: 80 },
      'channel reddit · intent complaint · priority 20–80'
    ],
    [{ channel: [] }, 'every mention']
  ])('%o → %s', (match, text) => {
    expect(describeMatch(match)).toBe(text);
  });

  it.each([
    [15, '15 min'],
    [60, '1 h'],
    [90, '1 h 30 min'],
    [2880, '48 h']
  ])('%i minutes → %s', (minutes, text) => {
    expect(describeTarget(minutes)).toBe(text);
  });

  it.each([
    ['24x7', '24x7 (always open)'],
    ['business', 'business (Europe/London)'],
    ['weekend', 'weekend'],
    ['toString', 'toString']
  ])('calendar %s → %s', (name, text) => {
    expect(describeCalendar(name, SETTINGS.sla)).toBe(text);
  });
});
