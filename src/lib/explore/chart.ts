/**
 * The volume chart of `/explore`: series names, colours and aligned columns from a
 * `/api/v1/explore/volume` answer. Pure.
 */

import { CHANNEL_COLORS, SENTIMENT_STYLE, TEXT_COLOR } from '$lib/components/wall/palette';
import { CHANNEL_LABELS, type Channel, type SentimentLabel } from '$lib/shared/types';
import type { VolumeAnswer } from './api';
import type { Breakdown } from './state';

/** Colours for topics (and anything else without its own), Okabe–Ito first. */
const CYCLE = [
  '#56B4E9',
  '#E69F00',
  '#CC79A7',
  '#F0E442',
  '#A78BFA',
  '#1DD3B0',
  '#7B7CFF',
  '#2F86D1',
  '#B0B7C0',
  '#FF9DA7'
];

/** One line on the chart. */
export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  counts: number[];
}

/** The series of an answer with their names and colours, the biggest first after the total. */
export function chartSeries(v: VolumeAnswer | null, by: Breakdown): ChartSeries[] {
  if (!v) return [];
  const out = v.series.map((s, i) => {
    let label = s.key;
    let color = CYCLE[i % CYCLE.length] as string;
    if (by === 'total') {
      label = 'Total';
      color = TEXT_COLOR;
    } else if (by === 'channel' && s.key in CHANNEL_LABELS) {
      label = CHANNEL_LABELS[s.key as Channel];
      color = CHANNEL_COLORS[s.key as Channel];
    } else if (by === 'sentiment' && s.key in SENTIMENT_STYLE) {
      label = SENTIMENT_STYLE[s.key as SentimentLabel].word;
      color = SENTIMENT_STYLE[s.key as SentimentLabel].color;
    }
    return { key: s.key, label, color, counts: s.counts };
  });
  return out;
}

/** uPlot's aligned columns: bucket starts, then one column per series. */
export function alignedColumns(v: VolumeAnswer | null, series: ChartSeries[]): number[][] {
  if (!v) return [[]];
  return [v.t, ...series.map((s) => v.t.map((_, i) => s.counts[i] ?? 0))];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time label fit for a span of `spanMs`: "14:05" within two days, else "23 Nov". */
export function timeLabel(t: number, spanMs: number): string {
  const d = new Date(t);
  if (spanMs <= 2 * 86_400_000) return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return `${d.getDate()} ${MONTHS[d.getMonth()]}`;
}

/** A bucket's start as a table row label: "23 Nov 14:05". */
export function bucketLabel(t: number): string {
  const d = new Date(t);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** "1 min", "1 h", "1 day": the bucket width in words. */
export function bucketText(ms: number): string {
  if (ms >= 86_400_000) return `${Math.round(ms / 86_400_000)} day`;
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
