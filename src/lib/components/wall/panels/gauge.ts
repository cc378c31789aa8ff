/**
 * The geometry of the wall's semicircular net-sentiment gauge: −1 at the left end, 0 straight up,
 * +1 at the right end. Angles are degrees clockwise from 12 o'clock (−90 … 90). Pure.
 */

/** Net sentiment within ±this reads as mixed. */
export const MIXED_BAND = 0.1;

/** The value clamped to −1 … 1; not a number reads as 0. */
export function clampNet(value: number): number {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 0 : Math.sign(value);
  return Math.min(1, Math.max(-1, value));
}

/** The needle's angle for a net sentiment: −90° (−1) … 0° (0) … 90° (+1). */
export function gaugeAngle(value: number): number {
  return clampNet(value) * 90;
}

/** The point at `angle` (degrees clockwise from 12 o'clock) on a circle. */
export function polar(cx: number, cy: number, r: number, angle: number): [number, number] {
  const rad = (angle * Math.PI) / 180;
  return [cx + r * Math.sin(rad), cy - r * Math.cos(rad)];
}

function fmt(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

/** An SVG path for the annular band between `from` and `to` degrees (from < to, at most 180°). */
export function bandPath(
  cx: number,
  cy: number,
  outer: number,
  inner: number,
  from: number,
  to: number
): string {
  const a = Math.min(from, to);
  const b = Math.max(from, to);
  const large = b - a > 180 ? 1 : 0;
  const [x0, y0] = polar(cx, cy, outer, a);
  const [x1, y1] = polar(cx, cy, outer, b);
  const [x2, y2] = polar(cx, cy, inner, b);
  const [x3, y3] = polar(cx, cy, inner, a);
  return [
    `M${fmt(x0)} ${fmt(y0)}`,
    `A${fmt(outer)} ${fmt(outer)} 0 ${large} 1 ${fmt(x1)} ${fmt(y1)}`,
    `L${fmt(x2)} ${fmt(y2)}`,
    `A${fmt(inner)} ${fmt(inner)} 0 ${large} 0 ${fmt(x3)} ${fmt(y3)}`,
    'Z'
  ].join(' ');
}

/** How a net sentiment reads. */
export type GaugeTone = 'negative' | 'mixed' | 'positive';

/** Negative below −MIXED_BAND, positive above +MIXED_BAND, mixed between (inclusive). */
export function gaugeTone(value: number): GaugeTone {
  const v = clampNet(value);
  if (v < -MIXED_BAND) return 'negative';
  if (v > MIXED_BAND) return 'positive';
  return 'mixed';
}
