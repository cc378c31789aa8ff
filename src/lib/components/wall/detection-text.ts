import type { Detection } from '$lib/shared/types';

/** "14:05": a time of day on the wall's clock. */
export function clockTime(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function duration(ms: number): string {
  const m = ms / 60_000;
  return m < 1
    ? `${Math.round(ms / 1000)} s`
    : m < 90
      ? `${Math.round(m)} min`
      : `${(m / 60).toFixed(1)} h`;
}

/**
 * Observed vs expected in the series' own units, the band, and the severity:
 * "500/min vs 40 expected (band 22–61) · severity 9/10", "38% negative vs 12% expected …".
 */
export function detectionSummary(d: Detection): string {
  let what: string;
  switch (d.metric) {
    case 'negative-share':
      what = `${percent(d.observed)} negative vs ${percent(d.expected)} expected (band ${percent(d.lower)}–${percent(d.upper)})`;
      break;
    case 'response-p90':
      what = `first response p90 ${duration(d.observed)} vs ${duration(d.expected)} expected`;
      break;
    case 'unanswered':
      what = `${Math.round(d.observed)} waiting vs ${Math.round(d.expected)} expected`;
      break;
    case 'term':
      what = `“${d.label}” in ${Math.round(d.observed)} mentions vs ${Math.round(d.expected)} expected`;
      break;
    default:
      what = `${Math.round(d.observed)}/min vs ${Math.round(d.expected)} expected (band ${Math.round(d.lower)}–${Math.round(d.upper)})`;
  }
  const over = d.state === 'resolved' ? ' · over' : '';
  return `${what} · severity ${d.severity}/10${over}`;
}

/** The accessible name of a detection's chart marker. */
export function markerLabel(d: Detection, word = 'Spike'): string {
  return `${word} at ${clockTime(d.at)}: ${detectionSummary(d)}`;
}

/**
 * The detection a chart explains: the one picked on the chart while it is still listed, else the
 * newest of `metric` that is active or under an hour old at `serverTime`.
 */
export function explainedDetection(
  detections: readonly Detection[],
  metric: Detection['metric'],
  picked: string | null,
  serverTime: number | null
): Detection | null {
  if (picked !== null) {
    const d = detections.find((x) => x.id === picked);
    if (d) return d;
  }
  return (
    detections.find(
      (d) =>
        d.metric === metric &&
        serverTime !== null &&
        (d.state === 'active' || serverTime - d.at < 60 * 60_000)
    ) ?? null
  );
}
