/**
 * The query string of `params` with each of `changes` applied: set, or removed when empty. The
 * drill-down keeps its whole state in the URL.
 */
export function withParams(params: URLSearchParams, changes: Record<string, string>): string {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value) next.set(name, value);
    else next.delete(name);
  }
  return next.toString();
}
