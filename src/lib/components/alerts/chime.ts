/**
 * The optional crisis chime: off by default, a setting kept in localStorage, played with the Web
 * Audio API (two short oscillator tones, nothing downloaded) once per critical alert.
 */

const CHIME_KEY = 'mission-control:alerts:chime';

/** Alerts the chime has already played for on this page. */
const played = new Set<string>();
let context: AudioContext | null = null;

/** Whether the chime is turned on in this browser. */
export function chimeEnabled(): boolean {
  try {
    return globalThis.localStorage?.getItem(CHIME_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Turns the chime on or off in this browser. */
export function setChimeEnabled(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(CHIME_KEY, on ? 'on' : 'off');
  } catch {
    // Storage unavailable: the setting lasts for this page only.
  }
}

/** Plays two soft descending tones; silently does nothing where audio is unavailable. */
export function playChime(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const start = context.currentTime + 0.05;
    [880, 660].forEach((frequency, i) => {
      const ctx = context!;
      const t = start + i * 0.35;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.18, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.32);
    });
  } catch {
    // No Web Audio here (or blocked): the takeover itself is the alarm.
  }
}

/** Plays the chime for alert `id` if it is on and has not played for that alert yet. */
export function chimeOnce(id: string): void {
  if (played.has(id)) return;
  played.add(id);
  if (chimeEnabled()) playChime();
}
