/**
 * The care API as the browser sees it (`/api/v1/care/*`) and one way to read it. Every string in
 * these answers may come from the internet: render as text only.
 */

import { apiFetch, jsonBody, readProblem } from '$lib/auth/api';
import type { CareAgents, CareQueue, CareQueueItem, CareValue } from '$lib/shared/types';
import { queuePath, type CareFilters } from './filters';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** An answer, or why there is none (status 0: the network failed or the request was aborted). */
export type Loaded<T> = { ok: true; data: T } | { ok: false; status: number; error: string };

/** Why a care request failed, for the page: signed out, not allowed, or anything else. */
export type Failure = 'signed-out' | 'forbidden' | 'network' | 'other';

/** The kind of a failed answer's status. */
export function failureOf(status: number): Failure {
  if (status === 401) return 'signed-out';
  if (status === 403) return 'forbidden';
  if (status === 0) return 'network';
  return 'other';
}

async function send<T>(path: string, init: RequestInit): Promise<Loaded<T>> {
  try {
    const res = await apiFetch(path, init);
    if (!res.ok) {
      const p = await readProblem(res);
      return { ok: false, status: res.status, error: p.error };
    }
    return { ok: true, data: (await res.json()) as T };
  } catch (e) {
    return { ok: false, status: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

/** One page of the filtered queue. */
export function fetchQueue(
  filters: CareFilters,
  offset: number,
  limit: number,
  signal?: AbortSignal
): Promise<Loaded<CareQueue>> {
  return send<CareQueue>(queuePath(filters, offset, limit), signal ? { signal } : {});
}

/** `from`–`to` ending at `to`, `days` long. */
export function lastDays(days: number, to: number): { from: number; to: number } {
  return { from: to - days * DAY_MS, to };
}

/** First-response performance per agent and team in a range. */
export function fetchAgents(
  range: { from: number; to: number },
  signal?: AbortSignal
): Promise<Loaded<CareAgents>> {
  return send<CareAgents>(
    `/api/v1/care/agents?from=${Math.round(range.from)}&to=${Math.round(range.to)}`,
    signal ? { signal } : {}
  );
}

/** The value of social care in a range. */
export function fetchValue(
  range: { from: number; to: number },
  signal?: AbortSignal
): Promise<Loaded<CareValue>> {
  return send<CareValue>(
    `/api/v1/care/value?from=${Math.round(range.from)}&to=${Math.round(range.to)}`,
    signal ? { signal } : {}
  );
}

/** Claims a mention for the signed-in agent: 409 when someone else holds it, 404 when closed. */
export function claim(ref: { source: string; id: string }): Promise<Loaded<CareQueueItem>> {
  return send<CareQueueItem>(
    '/api/v1/care/claims',
    jsonBody('POST', { source: ref.source, id: ref.id })
  );
}

/** Releases a claim (one's own; managers may release anyone's). */
export function release(ref: { source: string; id: string }): Promise<Loaded<unknown>> {
  const q = `source=${encodeURIComponent(ref.source)}&id=${encodeURIComponent(ref.id)}`;
  return send<unknown>(`/api/v1/care/claims?${q}`, { method: 'DELETE' });
}

/** The message shown after a failed claim or release. */
export function claimMessage(status: number, error: string): string {
  if (status === 409)
    return error ? `Not claimed: ${error}` : 'Someone else has claimed this mention.';
  if (status === 404) return 'This mention is no longer open.';
  if (status === 403) return 'Only agents and above can claim mentions.';
  if (status === 401) return 'Sign in to claim mentions.';
  if (status === 0) return 'The server could not be reached. Try again.';
  return error;
}
