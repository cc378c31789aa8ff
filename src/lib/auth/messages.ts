import type { ApiProblem } from './api';

/** "14:05" in the browser's time zone. */
function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** "in 42 seconds" / "in 15 minutes". */
export function waitText(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** What a failed sign-in (or setup) says to the person at the keyboard. */
export function loginMessage(problem: ApiProblem, now: number = Date.now()): string {
  if (problem.status === 429) {
    if (problem.retryAfter === null) return 'Too many failed attempts. Try again later.';
    return `Too many failed attempts. Try again ${waitText(problem.retryAfter)} (at ${clockTime(
      now + problem.retryAfter * 1000
    )}).`;
  }
  return problem.error;
}
