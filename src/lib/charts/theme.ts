import type uPlot from 'uplot';

/** Sizes a chart derives from the viewport so it reads the same on a laptop and a 4K wall. */
export interface ChartTheme {
  /** Axis label size in CSS px. */
  fontPx: number;
  /** Multiplier for line widths (1 at 1080p, 2 at 2160p). */
  scale: number;
}

const AXIS_TEXT = 'rgba(230, 232, 235, 0.62)';
const GRID = 'rgba(230, 232, 235, 0.08)';
const FONT_FAMILY = 'Inter, system-ui, sans-serif';

/** Returns the chart theme for a viewport height in CSS px. */
export function chartTheme(viewportHeight: number): ChartTheme {
  return {
    fontPx: Math.round(Math.min(32, Math.max(11, viewportHeight * 0.0125))),
    scale: Math.max(1, viewportHeight / 1080)
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Formats epoch-ms axis splits as local 24-hour HH:MM. */
function timeValues(_u: uPlot, splits: number[]): string[] {
  return splits.map((v) => {
    const d = new Date(v);
    return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  });
}

/** Whole-number tick steps (1, 2, 5 × 10ⁿ): counts and rates never need fractional ticks. */
const COUNT_INCREMENTS = Array.from({ length: 8 }, (_, e) =>
  [1, 2, 5].map((m) => m * 10 ** e)
).flat();

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Formats count axis splits compactly (1.2K). */
function countValues(_u: uPlot, splits: number[]): string[] {
  return splits.map((v) => compact.format(v));
}

/** Dark-theme x (time) and y (count) axes sized for the theme. */
export function darkAxes(theme: ChartTheme): uPlot.Axis[] {
  const font = `${theme.fontPx}px ${FONT_FAMILY}`;
  const common = {
    stroke: AXIS_TEXT,
    font,
    grid: { stroke: GRID, width: 1 },
    ticks: { stroke: GRID, width: 1, size: Math.round(theme.fontPx * 0.4) },
    gap: Math.round(theme.fontPx * 0.35)
  } satisfies uPlot.Axis;
  return [
    {
      ...common,
      values: timeValues,
      space: theme.fontPx * 6,
      size: Math.round(theme.fontPx * 2.2)
    },
    {
      ...common,
      values: countValues,
      incrs: COUNT_INCREMENTS,
      space: theme.fontPx * 3,
      size: Math.round(theme.fontPx * 3.6)
    }
  ];
}

/** Base options every wall chart shares: epoch-ms time axis, y from zero, no cursor or legend. */
export function baseOptions(
  theme: ChartTheme,
  series: uPlot.Series[]
): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    ms: 1,
    series: [{}, ...series],
    axes: darkAxes(theme),
    scales: {
      x: { time: true },
      y: { range: (_u, _min, max) => [0, max > 0 ? niceMax(max) : 1] }
    },
    legend: { show: false },
    cursor: { show: false, drag: { x: false, y: false } },
    // Room on the right for half of the last time label, which uPlot would otherwise clip.
    padding: [theme.fontPx * 0.6, theme.fontPx * 1.6, 0, 0]
  };
}

/** Rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten, with a little headroom. */
function niceMax(max: number): number {
  const target = max * 1.08;
  const pow = 10 ** Math.floor(Math.log10(target));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * pow >= target) return m * pow;
  }
  return 10 * pow;
}

/** A plain line series for the theme. */
export function lineSeries(
  label: string,
  color: string,
  theme: ChartTheme,
  width = 1.5
): uPlot.Series {
  return {
    label,
    stroke: color,
    width: width * theme.scale,
    points: { show: false }
  };
}
