import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../../server/core/pipeline';
import { makeMention } from '../../helpers/fixtures';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);

const CHATTER = [
  'My parcel arrived late again',
  'Love the new app design',
  'Delivery driver was friendly and quick',
  'Checkout keeps asking for my postcode'
];

/**
 * Live traffic through the pipeline, minute by minute, with a tick after each minute closes:
 * 20 ordinary mentions a minute, plus `extra(i)` texts in minute i.
 */
function run(minutes: number, extra: (i: number) => string[]): Pipeline {
  const p = new Pipeline({ brandHandles: ['@NorthwindHelp'], brandName: 'Northwind' });
  for (let i = 0; i < minutes; i++) {
    const start = T0 + i * MINUTE;
    const texts = [...Array.from({ length: 20 }, (_, k) => CHATTER[k % 4]!), ...extra(i)];
    texts.forEach((text, k) => {
      const at = start + Math.floor((k * MINUTE) / texts.length);
      p.count(p.enrichBatch([makeMention({ text, createdAt: at })]), at);
    });
    p.tick(start + MINUTE + 6_000);
  }
  return p;
}

describe('terms against their own baseline, through the pipeline', () => {
  it('raises a term detection for a new hashtag and marks it as a spike among emerging terms', () => {
    const burst = (i: number) =>
      i >= 150 ? Array.from({ length: 15 }, () => 'Total #outage at the depot, nothing works') : [];
    const p = run(153, burst);
    const terms = p.monitor.recent().filter((d) => d.metric === 'term');
    expect(terms.map((d) => d.label)).toContain('#outage');
    const outage = terms.find((d) => d.label === '#outage')!;
    expect(outage.observed).toBe(15);
    expect(outage.at).toBeGreaterThanOrEqual(T0 + 150 * MINUTE);
    // Everyday words of the chatter never jump against their own baseline.
    expect(terms.map((d) => d.label)).not.toContain('parcel');
    const now = T0 + 153 * MINUTE;
    const emerging = p.topTopics(now).emerging;
    expect(emerging[0]).toMatchObject({ spike: true });
    expect(emerging.find((t) => t.term === '#outage')).toMatchObject({ spike: true });
    // The snapshot carries the negative band next to the volume band.
    const snap = p.snapshot(now);
    expect(snap.negativeBand.length).toBeGreaterThan(100);
    expect(snap.band.length).toBe(snap.negativeBand.length);
  });

  it('stays quiet on steady chatter', () => {
    const p = run(200, () => []);
    expect(p.monitor.recent().filter((d) => d.metric === 'term')).toEqual([]);
    expect(p.topTopics(T0 + 200 * MINUTE).emerging.every((t) => !t.spike)).toBe(true);
  });
});
