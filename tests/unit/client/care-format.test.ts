import { describe, expect, it } from 'vitest';
import {
  bucketLabels,
  bucketOf,
  clockText,
  complianceBand,
  countdown,
  flipLabel,
  formatMoney,
  formatPercent,
  formatSigned,
  priorityBand,
  shortDuration,
  slaStateAt
} from '../../../src/lib/care/format';

const T = 1_700_000_000_000;
// Warn at T + 8 min, due at T + 10 min.
const sla = { warnAt: T + 480_000, dueAt: T + 600_000 };

describe('countdown', () => {
  it.each<[string, number, string, string]>([
    ['long before the warning', T, '10:00 left', 'ok'],
    ['one ms before the warning', T + 479_999, '2:01 left', 'ok'],
    ['exactly at the warning', T + 480_000, '2:00 left', 'warning'],
    ['half a second to go (rounded up)', T + 599_500, '0:01 left', 'warning'],
    ['one ms to go', T + 599_999, '0:01 left', 'warning'],
    ['exactly at the deadline', T + 600_000, 'overdue 0:00', 'breached'],
    ['just after (rounded down)', T + 600_999, 'overdue 0:00', 'breached'],
    ['overdue 3:10', T + 600_000 + 190_000, 'overdue 3:10', 'breached'],
    ['overdue over an hour', T + 600_000 + 3_723_000, 'overdue 1:02:03', 'breached']
  ])('%s', (_name, now, text, state) => {
    expect(countdown(sla, now)).toEqual({ text, state });
  });

  it('shows 12:34 left and an hour-long target as h:mm:ss', () => {
    expect(countdown({ warnAt: T + 1, dueAt: T + 754_000 }, T).text).toBe('12:34 left');
    expect(countdown({ warnAt: T + 1, dueAt: T + 7_200_000 }, T).text).toBe('2:00:00 left');
  });

  it('has no countdown without a policy', () => {
    expect(countdown(null, T)).toEqual({ text: '—', state: 'none' });
    expect(slaStateAt(null, T)).toBe('none');
  });

  it.each([
    [0, '0:00'],
    [59, '0:59'],
    [60, '1:00'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [-5, '0:00']
  ])('clockText(%d) = %s', (s, text) => {
    expect(clockText(s)).toBe(text);
  });
});

describe('priorityBand', () => {
  it.each<[number, string]>([
    [100, 'urgent'],
    [80, 'urgent'],
    [79.5, 'urgent'], // shown as 80
    [79.4, 'high'],
    [60, 'high'],
    [59, 'medium'],
    [40, 'medium'],
    [39, 'low'],
    [0, 'low'],
    [Number.NaN, 'low']
  ])('%d → %s', (p, band) => {
    expect(priorityBand(p).band).toBe(band);
  });
});

describe('compliance', () => {
  it.each<[number | null, string, string]>([
    [1, 'good', '100%'],
    [0.95, 'good', '95%'],
    [0.9499, 'warn', '94%'],
    [0.8, 'warn', '80%'],
    [0.7999, 'bad', '79%'],
    [0, 'bad', '0%'],
    [0.996, 'good', '99%'],
    [null, 'none', '—']
  ])('%s → %s, %s', (ratio, band, text) => {
    expect(complianceBand(ratio)).toBe(band);
    expect(formatPercent(ratio)).toBe(text);
  });

  it('reads 0.57 as 57% despite floating point', () => {
    expect(formatPercent(0.57)).toBe('57%');
    expect(formatPercent(0.29)).toBe('29%');
  });
});

describe('formatMoney', () => {
  it.each<[number, string, boolean, string]>([
    [12345.67, 'USD', false, '$12,346'],
    [1200, 'EUR', false, '€1,200'],
    [0, 'GBP', false, '£0'],
    [3.75, 'USD', true, '$3.75'],
    [0.1, 'usd', true, '$0.10'],
    [-50, 'USD', false, '-$50'],
    [12345, 'NOPE!', false, '12,345 NOPE!'],
    [Number.NaN, 'USD', false, '—']
  ])('%d %s (cents %s) → %s', (amount, currency, cents, text) => {
    expect(formatMoney(amount, currency, cents)).toBe(text);
  });
});

describe('small formats', () => {
  it.each<[number | null, string]>([
    [23.4, '+23'],
    [-41, '\u221241'],
    [0.3, '0'],
    [null, '—']
  ])('formatSigned(%s) = %s', (n, text) => {
    expect(formatSigned(n)).toBe(text);
  });

  it.each<[number, string]>([
    [45_000, '45s'],
    [60_000, '1m'],
    [300_000, '5m'],
    [3_600_000, '1h'],
    [5_400_000, '1h 30m'],
    [172_800_000, '2d']
  ])('shortDuration(%d) = %s', (ms, text) => {
    expect(shortDuration(ms)).toBe(text);
  });

  it('labels histogram buckets, the last one open-ended', () => {
    expect(bucketLabels([60_000, 300_000, 3_600_000])).toEqual(['≤ 1m', '≤ 5m', '≤ 1h', '> 1h']);
    expect(bucketLabels([])).toEqual([]);
  });

  it.each<[number | null, number]>([
    [0, 0],
    [60_000, 0],
    [60_001, 1],
    [3_600_000, 2],
    [3_600_001, 3],
    [null, -1]
  ])('bucketOf(%s) = %d', (ms, i) => {
    expect(bucketOf(ms, [60_000, 300_000, 3_600_000])).toBe(i);
  });

  it('names sentiment flips', () => {
    expect(flipLabel('negative_to_positive')).toBe('negative → positive');
  });
});
