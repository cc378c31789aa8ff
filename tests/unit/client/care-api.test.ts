import { describe, expect, it } from 'vitest';
import { DAY_MS, claimMessage, failureOf, lastDays } from '../../../src/lib/care/api';

describe('care API helpers', () => {
  it.each<[number, string]>([
    [401, 'signed-out'],
    [403, 'forbidden'],
    [0, 'network'],
    [500, 'other'],
    [400, 'other']
  ])('status %d is %s', (status, kind) => {
    expect(failureOf(status)).toBe(kind);
  });

  it.each<[number, string, string]>([
    [409, 'claimed by bo', 'Not claimed: claimed by bo'],
    [409, '', 'Someone else has claimed this mention.'],
    [404, 'gone', 'This mention is no longer open.'],
    [403, 'no', 'Only agents and above can claim mentions.'],
    [0, 'Failed to fetch', 'The server could not be reached. Try again.'],
    [500, 'boom', 'boom']
  ])('claim refused with %d', (status, error, text) => {
    expect(claimMessage(status, error)).toBe(text);
  });

  it('ranges end now', () => {
    expect(lastDays(7, 10 * DAY_MS)).toEqual({ from: 3 * DAY_MS, to: 10 * DAY_MS });
  });
});
