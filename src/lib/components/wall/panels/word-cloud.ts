/**
 * The layout of the wall's word cloud: words sized by count and placed along an Archimedean
 * spiral from the centre, largest first, each where its (estimated) box overlaps nothing placed
 * before it and stays inside the bounds. Words that find no place are dropped. Deterministic:
 * the same words and box always give the same picture (no randomness, no text measurement).
 */

/** A word to place. `text` is what is drawn (its length sizes the box). */
export interface CloudWord {
  text: string;
  count: number;
  /** Drawn bold: its box is estimated a little wider. */
  bold?: boolean;
}

/** A placed word: its font size and its box, centred on (x, y). */
export type PlacedWord<T extends CloudWord> = T & {
  fontSize: number;
  x: number;
  y: number;
  width: number;
  height: number;
};

export interface CloudOptions {
  width: number;
  height: number;
  /** Font size of the least frequent word. */
  minFont: number;
  /** Font size of the most frequent word. */
  maxFont: number;
  /** Space kept between words' boxes. Default 2. */
  padding?: number;
  /** Estimated character width as a share of the font size. Default 0.6. */
  charWidth?: number;
  /** Extra width of bold text. Default 1.1. */
  boldFactor?: number;
  /** Box height as a share of the font size. Default 1.15. */
  lineHeight?: number;
  /** Words beyond this many (by count) are not tried. Default 60. */
  maxWords?: number;
  /** Angle step along the spiral, radians. Default 0.1. */
  step?: number;
}

/** An axis-aligned box. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two centred boxes overlap (touching edges do not count). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return (
    Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height
  );
}

/** Font size for `count` between the smallest and largest counts (area-like: square root). */
export function fontSizeFor(
  count: number,
  minCount: number,
  maxCount: number,
  minFont: number,
  maxFont: number
): number {
  if (!(maxCount > minCount)) return (minFont + maxFont) / 2;
  const t = (Math.sqrt(count) - Math.sqrt(minCount)) / (Math.sqrt(maxCount) - Math.sqrt(minCount));
  return minFont + Math.min(1, Math.max(0, t)) * (maxFont - minFont);
}

/** Estimated box of `text` at `fontSize`. */
export function estimateBox(
  text: string,
  fontSize: number,
  charWidth = 0.6,
  lineHeight = 1.15,
  bold = false,
  boldFactor = 1.1
): { width: number; height: number } {
  const chars = [...text].length;
  return {
    width: chars * charWidth * fontSize * (bold ? boldFactor : 1),
    height: fontSize * lineHeight
  };
}

/** Whether a box of half-size (halfW, halfH) at (x, y) comes within `padding` of `p`. */
function hits(
  p: Box,
  x: number,
  y: number,
  halfW: number,
  halfH: number,
  padding: number
): boolean {
  return (
    Math.abs(x - p.x) < halfW + p.width / 2 + padding &&
    Math.abs(y - p.y) < halfH + p.height / 2 + padding
  );
}

/** Lays the words out; returns the placed ones, largest first, in box coordinates. */
export function layoutWordCloud<T extends CloudWord>(
  words: readonly T[],
  options: CloudOptions
): PlacedWord<T>[] {
  const {
    width,
    height,
    minFont,
    maxFont,
    padding = 2,
    charWidth = 0.6,
    boldFactor = 1.1,
    lineHeight = 1.15,
    maxWords = 60,
    step = 0.1
  } = options;
  if (!(width > 0) || !(height > 0) || !(minFont > 0) || !(maxFont >= minFont) || !(step > 0)) {
    return [];
  }
  const sorted = words
    .filter((w) => w.count > 0 && Number.isFinite(w.count) && w.text.trim() !== '')
    .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  // Each text once (its largest count): a repeat would draw on top of itself.
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const w of sorted) {
    if (unique.length >= maxWords) break;
    if (seen.has(w.text)) continue;
    seen.add(w.text);
    unique.push(w);
  }
  const counts = unique.map((w) => w.count);
  if (counts.length === 0) return [];
  const maxCount = Math.max(...counts);
  const minCount = Math.min(...counts);

  const cx = width / 2;
  const cy = height / 2;
  // An elliptical spiral, stretched along the longer side so a wide panel fills sideways.
  const sx = Math.max(1, width / height);
  const sy = Math.max(1, height / width);
  // Past this radius no centre lies inside the box.
  const tMax = Math.hypot(width / sx, height / sy) / 2 + step;
  // The spiral's points inside the box, computed once for every word.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = 0; t <= tMax; t += step) {
    const x = cx + t * Math.cos(t) * sx;
    const y = cy + t * Math.sin(t) * sy;
    if (x >= 0 && x <= width && y >= 0 && y <= height) {
      xs.push(x);
      ys.push(y);
    }
  }

  const placed: PlacedWord<T>[] = [];
  // Sizes that found no place: a box at least as wide and as tall will not find one either.
  const failed: { width: number; height: number }[] = [];
  for (const word of unique) {
    const fontSize = fontSizeFor(word.count, minCount, maxCount, minFont, maxFont);
    const size = estimateBox(word.text, fontSize, charWidth, lineHeight, word.bold, boldFactor);
    if (size.width > width || size.height > height) continue;
    if (failed.some((f) => size.width >= f.width && size.height >= f.height)) continue;
    const halfW = size.width / 2;
    const halfH = size.height / 2;
    // The word last run into: the next point along the spiral most often hits it again.
    let last: PlacedWord<T> | null = null;
    let spot = -1;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      const y = ys[i] as number;
      if (x - halfW < 0 || x + halfW > width || y - halfH < 0 || y + halfH > height) continue;
      if (last && hits(last, x, y, halfW, halfH, padding)) continue;
      last = null;
      for (const p of placed) {
        if (hits(p, x, y, halfW, halfH, padding)) {
          last = p;
          break;
        }
      }
      if (last) continue;
      spot = i;
      break;
    }
    if (spot < 0) {
      failed.push(size);
      continue;
    }
    placed.push({
      ...word,
      fontSize,
      x: xs[spot] as number,
      y: ys[spot] as number,
      width: size.width,
      height: size.height
    });
  }
  return placed;
}
