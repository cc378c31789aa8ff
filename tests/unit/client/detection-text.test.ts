import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { bandColumns, detectionMarkers } from '../../../src/lib/charts/series-data';
import DetectionNote from '../../../src/lib/components/wall/DetectionNote.svelte';
import {
  detectionSummary,
  explainedDetection,
  markerLabel
} from '../../../src/lib/components/wall/detection-text';
import type { Detection } from '../../../src/lib/shared/types';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

function detection(over: Partial<Detection> = {}): Detection {
  return {
    id: 'd1',
    series: 'volume',
    metric: 'volume',
    label: 'Mentions',
    at: T0,
    observed: 500,
    expected: 40.4,
    lower: 22,
    upper: 61.2,
    severity: 9,
    score: 0.7,
    state: 'active',
    resolvedAt: null,
    resolution: null,
    drivers: [],
    ...over
  };
}

describe('detectionSummary', () => {
  it.each([
    [detection(), '500/min vs 40 expected (band 22–61) · severity 9/10'],
    [
      detection({
        metric: 'negative-share',
        observed: 0.382,
        expected: 0.12,
        lower: 0.05,
        upper: 0.2
      }),
      '38% negative vs 12% expected (band 5%–20%) · severity 9/10'
    ],
    [
      detection({ metric: 'response-p90', observed: 3_600_000, expected: 600_000, severity: 4 }),
      'first response p90 60 min vs 10 min expected · severity 4/10'
    ],
    [
      detection({ metric: 'response-p90', observed: 2 * 3_600_000, expected: 30_000 }),
      'first response p90 2.0 h vs 30 s expected · severity 9/10'
    ],
    [
      detection({ metric: 'unanswered', observed: 200, expected: 5 }),
      '200 waiting vs 5 expected · severity 9/10'
    ],
    [
      detection({ metric: 'term', label: '#outage', observed: 60, expected: 0.4 }),
      '“#outage” in 60 mentions vs 0 expected · severity 9/10'
    ],
    [
      detection({ state: 'resolved', resolvedAt: T0 + 3 * 60 * MIN, resolution: 'cleared' }),
      '500/min vs 40 expected (band 22–61) · severity 9/10 · over'
    ]
  ])('%#: %s', (d, text) => {
    expect(detectionSummary(d)).toBe(text);
  });

  it('names a marker with the time and the summary', () => {
    expect(markerLabel(detection())).toMatch(
      /^Spike at \d\d:\d\d: 500\/min vs 40 expected \(band 22–61\) · severity 9\/10$/
    );
    expect(markerLabel(detection(), 'Negative sentiment anomaly')).toMatch(
      /^Negative sentiment anomaly at /
    );
  });
});

describe('explainedDetection', () => {
  const now = T0 + 30 * MIN;
  const old = detection({ id: 'old', at: T0 - 3 * 60 * MIN, state: 'resolved' });
  const recent = detection({ id: 'recent', at: T0 });
  const neg = detection({ id: 'neg', metric: 'negative-share', at: T0 + MIN });
  const list = [neg, recent, old];

  it.each([
    ['the newest recent one of the metric', list, 'volume', null, now, 'recent'],
    ['a picked one, even when old', list, 'volume', 'old', now, 'old'],
    ['the newest when the picked one is gone', list, 'volume', 'gone', now, 'recent'],
    ['none when only an old resolved one exists', [old], 'volume', null, now, null],
    [
      'an old one while it is still active',
      [{ ...old, state: 'active' as const }],
      'volume',
      null,
      now,
      'old'
    ],
    ['none before the first tick', list, 'volume', null, null, null],
    ['the negative-share one for the sentiment chart', list, 'negative-share', null, now, 'neg']
  ] as const)('%s', (_name, ds, metric, picked, at, id) => {
    expect(explainedDetection(ds, metric, picked, at)?.id ?? null).toBe(id);
  });
});

describe('chart columns and markers', () => {
  const t = [T0, T0 + MIN, T0 + 2 * MIN];

  it('aligns the band with the chart minutes, null where the detector has no point', () => {
    expect(
      bandColumns(t, [
        { t: T0 + MIN, expected: 30, lower: 20, upper: 40 },
        { t: T0 + 9 * MIN, expected: 1, lower: 0, upper: 2 }
      ])
    ).toEqual([
      [null, 20, null],
      [null, 40, null],
      [null, 30, null]
    ]);
  });

  it('places a marker per detection of the metric on the drawn value, oldest first', () => {
    const ds = [
      detection({ id: 'b', at: T0 + 2 * MIN }),
      detection({ id: 'n', metric: 'negative-share', at: T0 + MIN }),
      detection({ id: 'a', at: T0 }),
      detection({ id: 'off', at: T0 + 60 * MIN })
    ];
    const markers = detectionMarkers(t, [10, 20, null], ds, ['volume'], (d) => `spike ${d.id}`);
    // 'b' sits on a minute without a drawn value; 'off' is not on the chart.
    expect(markers).toEqual([{ key: 'a', x: T0, y: 10, label: 'spike a' }]);
    expect(detectionMarkers(t, [10, 20, 30], ds, ['negative-share'], (d) => d.id)).toEqual([
      { key: 'n', x: T0 + MIN, y: 20, label: 'n' }
    ]);
  });
});

describe('DetectionNote', () => {
  it('explains a detection with its drivers, rendering names from the internet as text', () => {
    const { body } = render(DetectionNote, {
      props: {
        detection: detection({
          drivers: [
            { kind: 'channel', name: 'reddit', observed: 460, expected: 3, share: 0.98 },
            {
              kind: 'term',
              name: '<img src=x onerror=alert(1)>',
              observed: 40,
              expected: null,
              share: null
            },
            { kind: 'author', name: '@loud', observed: 9, expected: null, share: 0.02 },
            { kind: 'topic', name: 'Outage', observed: 300, expected: 1, share: 0.9 }
          ]
        })
      }
    });
    expect(body).toContain('data-testid="spike-explanation"');
    expect(body).toMatch(/Spike \d\d:\d\d/);
    expect(body).toContain('500/min vs 40 expected (band 22–61) · severity 9/10');
    expect(body).toContain('reddit 98%');
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;img src=x onerror=alert(1)>');
    // Three drivers at most: the fourth is left out.
    expect(body).not.toContain('Outage');
  });
});
