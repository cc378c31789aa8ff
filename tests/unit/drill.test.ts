import { describe, expect, it } from 'vitest';
import { Drill } from '../../server/adapters/alerts/drill';
import { DEFAULT_RULES } from '../../server/core/alerts/rules';

const T0 = Date.UTC(2026, 10, 23, 15, 0, 20);
const S = 1000;

describe('a fire drill', () => {
  it('plays the recall scenario: detected within seconds, every alert a drill', () => {
    const drill = new Drill(
      'drill-t',
      'product-recall',
      'dana',
      DEFAULT_RULES,
      {
        brandHandles: ['@NorthwindHelp'],
        brandName: 'Northwind'
      },
      T0
    );
    expect(drill.report()).toMatchObject({ state: 'running', startedBy: 'dana', alerts: [] });
    const fired = new Map<string, number>();
    for (let t = T0 + S; t <= T0 + 40 * S; t += S) {
      for (const e of drill.step(t)) {
        expect(e.view.drill).toBe(true);
        if (e.event === 'raised' && !fired.has(e.view.ruleId)) fired.set(e.view.ruleId, t - T0);
      }
    }
    // The watchlist (recall), the influencer among the authors and the volume burst.
    expect([...fired.keys()]).toEqual(
      expect.arrayContaining([
        'default-keyword-watchlist',
        'default-influencer-mention',
        'default-volume-anomaly'
      ])
    );
    expect(fired.get('default-keyword-watchlist')).toBeLessThanOrEqual(3 * S);
    const report = drill.report();
    expect(report.timeToDetectMs).toBeGreaterThan(0);
    expect(report.timeToDetectMs).toBeLessThanOrEqual(3 * S);
    expect(report.timeToAcknowledgeMs).toBeNull();

    const first = report.alerts[0]!;
    const ack = drill.alerts.act(first.id, { kind: 'ack' }, 'dana', T0 + 50 * S);
    expect(ack.ok).toBe(true);
    expect(drill.report().timeToAcknowledgeMs).toBe(T0 + 50 * S - first.firedAt!);

    const ended = drill.end(T0 + 60 * S, 'dana');
    expect(ended.every((e) => e.view.state === 'resolved')).toBe(true);
    const done = drill.report();
    expect(done.state).toBe('finished');
    expect(done.timeToResolveMs).toBe(T0 + 60 * S - first.firedAt!);
    // An ended drill plays nothing more.
    expect(drill.step(T0 + 61 * S)).toEqual([]);
    expect(drill.end(T0 + 62 * S, 'dana')).toEqual([]);
  });
});
