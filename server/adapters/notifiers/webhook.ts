import { createHmac } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { NotificationMessage, Notifier, SendResult } from './types';

/** Default time limit of one HTTP send, ms. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/** User-Agent of every notification request. */
export const NOTIFIER_USER_AGENT = 'MissionControl-Notifier/1';

/** The fetch function the HTTP channels use (global fetch by default; tests may wrap it). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Settings shared by the HTTP channels. */
export interface HttpChannelOptions {
  /** Channel id; defaults to the kind ('webhook', 'slack', 'teams'). */
  id?: string;
  /** The endpoint. It often holds a secret token: it never appears in errors. */
  url: string;
  /** Time limit of one send, ms (default 10 s). */
  timeoutMs?: number;
  fetch?: FetchLike;
}

/** Whether an HTTP failure status is worth retrying: 408, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A Retry-After header (seconds or an HTTP date) in ms from `now`; undefined when absent. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads at most `max` bytes of a response body as text, then lets go of the rest. */
async function readSome(res: Response, max = 2048): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short is still a status we can report.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, max));
}

/**
 * Posts `body` (JSON) to `url` and classifies the outcome. Redirects are not followed (a
 * signed body must not wander to another host) and count as non-retryable; the timeout, a
 * network error and 408/429/5xx are retryable. `inspect` may turn a 2xx into a failure (Teams
 * connectors answer 200 with an error text). Never throws.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: {
    timeoutMs?: number;
    fetch?: FetchLike;
    signal?: AbortSignal;
    inspect?: (status: number, text: string) => SendResult | null;
  } = {}
): Promise<SendResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();
  try {
    const res = await (opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': NOTIFIER_USER_AGENT,
        ...headers
      },
      body,
      redirect: 'manual',
      signal: controller.signal
    });
    const text = await readSome(res);
    if (res.status >= 200 && res.status < 300) {
      return opts.inspect?.(res.status, text) ?? { ok: true, status: res.status };
    }
    const reason = STATUS_CODES[res.status] ?? 'error';
    const detail = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    const redirect = res.status >= 300 && res.status < 400;
    const result: SendResult = {
      ok: false,
      retryable: isRetryableStatus(res.status),
      status: res.status,
      error: `HTTP ${res.status} ${reason}${redirect ? ' (redirects are not followed)' : ''}${
        detail && !redirect ? `: ${detail}` : ''
      }`
    };
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
    return result;
  } catch (err) {
    if (timedOut) return { ok: false, retryable: true, error: `timed out after ${timeoutMs} ms` };
    if (opts.signal?.aborted) return { ok: false, retryable: true, error: 'aborted' };
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const cause = e.cause?.code ?? e.cause?.message;
    return {
      ok: false,
      retryable: true,
      error: `network error: ${e.message}${cause ? ` (${cause})` : ''}`
    };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** `sha256=<hex HMAC-SHA256 of body>`, the X-Signature of a webhook body. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The body of a generic webhook: the message itself as JSON. */
export function webhookBody(msg: NotificationMessage): string {
  return JSON.stringify(msg);
}

/** Settings of a generic webhook. */
export interface WebhookOptions extends HttpChannelOptions {
  /** When set, every request carries `X-Signature: sha256=<HMAC of the exact body>`. */
  secret?: string | null;
}

/**
 * A generic JSON webhook: POSTs the message as JSON, signed with `X-Signature` when a secret
 * is set. The receiver verifies the HMAC over the raw body bytes it got, before parsing.
 */
export function createWebhookNotifier(opts: WebhookOptions): Notifier {
  const secret = opts.secret ?? null;
  return {
    id: opts.id ?? 'webhook',
    kind: 'webhook',
    send(msg, signal) {
      const body = webhookBody(msg);
      const headers: Record<string, string> = {};
      if (secret !== null) headers['x-signature'] = signBody(body, secret);
      return postJson(opts.url, body, headers, {
        timeoutMs: opts.timeoutMs,
        fetch: opts.fetch,
        signal
      });
    }
  };
}
