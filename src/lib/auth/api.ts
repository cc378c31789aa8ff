/**
 * `fetch` for this app's API: adds the CSRF token (from the `mc_csrf` cookie) to mutations and
 * the display token to every request when the wall was opened with `?display=<token>`.
 */

import { parse as parseCookies } from 'cookie';

const DISPLAY_KEY = 'mission-control:display';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The value of cookie `name` in `document.cookie`, or null. */
export function readCookie(
  name: string,
  cookies: string = globalThis.document?.cookie ?? ''
): string | null {
  return parseCookies(cookies)[name] ?? null;
}

/** The CSRF token the server set in the `mc_csrf` cookie, or null. */
export function csrfToken(): string | null {
  return readCookie('mc_csrf');
}

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The display token: `?display=` of the page URL (kept in sessionStorage, so client-side
 * navigation keeps it), else the one kept earlier in this tab, else null.
 */
export function displayToken(): string | null {
  const search = globalThis.location?.search ?? '';
  const fromUrl = new URLSearchParams(search).get('display');
  const store = storage();
  if (fromUrl) {
    try {
      store?.setItem(DISPLAY_KEY, fromUrl);
    } catch {
      // Storage full or blocked: the token lasts for this page only.
    }
    return fromUrl;
  }
  try {
    return store?.getItem(DISPLAY_KEY) || null;
  } catch {
    return null;
  }
}

/** Forgets the display token of this tab (after signing in, say). */
export function forgetDisplayToken(): void {
  try {
    storage()?.removeItem(DISPLAY_KEY);
  } catch {
    // Nothing kept.
  }
}

/** `fetch` with the CSRF token on mutations and the display token when there is one. */
export function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  if (MUTATING.has(method) && !headers.has('x-csrf-token')) {
    const csrf = csrfToken();
    if (csrf) headers.set('x-csrf-token', csrf);
  }
  const display = displayToken();
  if (display && !headers.has('x-display-token')) headers.set('x-display-token', display);
  return fetch(path, { ...init, headers });
}

/** A JSON body for `apiFetch`: method, content type and the serialised value. */
export function jsonBody(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', body: unknown): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  };
}

/** One validation problem of a settings document. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An error answer of the API: `{ error, field?, errors? }`, with the status. */
export interface ApiProblem {
  status: number;
  error: string;
  field: string | null;
  errors: FieldProblem[];
  /** Seconds to wait, from `Retry-After` (429), or null. */
  retryAfter: number | null;
}

/** Reads an error answer; tolerates bodies that are not JSON. */
export async function readProblem(res: Response): Promise<ApiProblem> {
  const body = (await res.json().catch(() => ({}))) as {
    error?: unknown;
    field?: unknown;
    errors?: unknown;
  };
  const errors = Array.isArray(body.errors)
    ? body.errors
        .filter(
          (e): e is { path: unknown; message: unknown } => typeof e === 'object' && e !== null
        )
        .map((e) => ({
          path: Array.isArray(e.path) ? e.path.join('.') : String(e.path ?? ''),
          message: String(e.message ?? '')
        }))
    : [];
  const field = typeof body.field === 'string' ? body.field : (errors[0]?.path ?? null);
  const retry = res.headers.get('retry-after');
  return {
    status: res.status,
    error:
      typeof body.error === 'string' && body.error
        ? body.error
        : `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`,
    field,
    errors,
    retryAfter: retry !== null && /^\d+$/.test(retry.trim()) ? Number(retry) : null
  };
}

/**
 * The message for `name` in a problem: the entry of `errors` whose path is `name` (or ends with
 * `.name`, or starts with `name.`), else the top-level error when `field` names it; else null.
 */
export function problemFor(problem: ApiProblem | null, name: string): string | null {
  if (!problem) return null;
  const hit = problem.errors.find(
    (e) => e.path === name || e.path.endsWith(`.${name}`) || e.path.startsWith(`${name}.`)
  );
  if (hit) return hit.path === name ? hit.message : `${hit.path}: ${hit.message}`;
  if (problem.field === name) return problem.error;
  return null;
}
