import { describe, expect, it } from 'vitest';
import { TopicWindow } from '../../../server/core/enrich/topic-window';

const T0 = 1_800_000_000_000;
const MIN = 60_000;

describe('TopicWindow (fake clock)', () => {
  it('counts topics over the last 15 minutes, most first, ties by name', () => {
    const w = new TopicWindow();
    w.add(['Billing'], T0, T0);
    w.add(['Delivery', 'Billing'], T0 + MIN, T0 + MIN);
    w.add(['Delivery'], T0 + 2 * MIN, T0 + 2 * MIN);
    w.add(['Account'], T0 + 2 * MIN, T0 + 2 * MIN);
    expect(w.top(T0 + 2 * MIN)).toEqual([
      { name: 'Billing', count: 2 },
      { name: 'Delivery', count: 2 },
      { name: 'Account', count: 1 }
    ]);
  });

  it.each([
    ['just inside the window', 14 * MIN, 1],
    ['once the minute has left the window', 15 * MIN, 0],
    ['a lap of the ring later', 31 * MIN, 0]
  ])('expires: %s', (_name, later, expected) => {
    const w = new TopicWindow();
    w.add(['Outage'], T0, T0);
    expect(w.top(T0 + later).find((t) => t.name === 'Outage')?.count ?? 0).toBe(expected);
  });

  it('a bucket reused on the next lap starts from zero', () => {
    const w = new TopicWindow();
    w.add(['Outage'], T0, T0);
    w.add(['Pricing'], T0 + 15 * MIN, T0 + 15 * MIN);
    expect(w.top(T0 + 15 * MIN)).toEqual([{ name: 'Pricing', count: 1 }]);
  });

  it('skips mentions older than the window and clamps future ones to now', () => {
    const w = new TopicWindow();
    w.add(['Old'], T0 - 20 * MIN, T0);
    w.add(['Future'], T0 + 5 * MIN, T0);
    expect(w.top(T0)).toEqual([{ name: 'Future', count: 1 }]);
  });

  it('limits the answer to n', () => {
    const w = new TopicWindow();
    for (let i = 0; i < 12; i++) w.add([`t${i}`], T0, T0);
    expect(w.top(T0, 8)).toHaveLength(8);
  });
});
