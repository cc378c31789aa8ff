import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Mention } from '../../src/lib/shared/types';
import { parseMention, type FieldError } from '../core/mention-schema';
import { sendError, sendJson } from './respond';

/** Settings and collaborators of the ingest endpoint. */
export interface IngestDeps {
  /** Bearer token; null disables the endpoint (503 says how to enable it). */
  token: string | null;
  /** Shared secret for signed webhooks; null disables signatures. */
  hmacSecret: string | null;
  maxBytes: number;
  /** True when the pipeline cannot take more right now (answer 429). */
  saturated(): boolean;
  /** Commits validated mentions; resolves with how many were new once durable. */
  ingest(mentions: Mention[]): Promise<number>;
  now(): number;
}

/** One refused item of a batch, by its position (0-based array index or NDJSON line). */
export interface Rejection {
  index: number;
  errors: FieldError[];
}

/** Oldest signature timestamp accepted, and how long a signature is remembered against replay. */
const SIGNATURE_WINDOW_MS = 5 * 60_000;
/** Items in one request at most. */
export const MAX_ITEMS = 50_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compare equal-length buffers only; the length itself is not secret (a fixed-size token or hex).
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads the body up to `max` bytes; refuses early on Content-Length or as soon as it overflows. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.reject(tooLarge(max));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > max) {
        failed = true;
        reject(tooLarge(max));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(new HttpError(400, `could not read the request body: ${err.message}`));
    });
  });
}

function tooLarge(max: number): HttpError {
  return new HttpError(
    413,
    `request body is larger than ${max} bytes; send smaller batches (INGEST_MAX_BYTES sets the limit)`,
    'body'
  );
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // RangeError for absurd nesting lands here too: still the client's malformed input.
    throw new HttpError(400, `${where} is not valid JSON: ${(err as Error).message}`, 'body');
  }
}

/**
 * Creates the `POST /api/v1/mentions` handler: authenticated, size-limited, one JSON mention, a
 * JSON array, or NDJSON. Valid items are committed to SQLite before the 202 is sent; invalid ones
 * are reported one by one with the field at fault.
 */
export function createIngestHandler(deps: IngestDeps) {
  const seenSignatures = new Map<string, number>();

  /** True when the request is to be checked by its HMAC signature (which needs the body). */
  function signed(req: IncomingMessage): boolean {
    return deps.hmacSecret !== null && typeof req.headers['x-signature'] === 'string';
  }

  function checkBearer(req: IncomingMessage): void {
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (!m || !deps.token || !safeEqual(m[1]!.trim(), deps.token)) {
      throw new HttpError(
        401,
        m
          ? 'the bearer token is not valid'
          : 'missing credentials: send Authorization: Bearer <INGEST_TOKEN>' +
              (deps.hmacSecret ? ' or a signed request (X-Timestamp, X-Signature)' : ''),
        'authorization',
        { 'www-authenticate': 'Bearer realm="ingest"' }
      );
    }
  }

  function verifySignature(
    req: IncomingMessage,
    body: Buffer,
    signature: string,
    secret: string
  ): void {
    const ts = req.headers['x-timestamp'];
    if (typeof ts !== 'string' || !/^\d{1,16}$/.test(ts)) {
      throw new HttpError(
        401,
        'X-Timestamp must be the request time in epoch milliseconds',
        'x-timestamp'
      );
    }
    const now = deps.now();
    if (Math.abs(now - Number(ts)) > SIGNATURE_WINDOW_MS) {
      throw new HttpError(
        401,
        'the signature is stale: X-Timestamp is more than 5 minutes from now',
        'x-timestamp'
      );
    }
    const expected =
      'sha256=' + createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex');
    if (!safeEqual(signature, expected)) {
      throw new HttpError(
        401,
        'X-Signature does not match sha256=<hex HMAC of "timestamp.body">',
        'x-signature'
      );
    }
    for (const [sig, at] of seenSignatures) {
      if (at >= now - SIGNATURE_WINDOW_MS) break;
      seenSignatures.delete(sig);
    }
    if (seenSignatures.has(expected)) {
      throw new HttpError(
        401,
        'this signature was already used: replayed request refused',
        'x-signature'
      );
    }
    seenSignatures.set(expected, now);
  }

  function decode(req: IncomingMessage, body: Buffer): { items: unknown[]; broken: Rejection[] } {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && type !== 'application/x-ndjson') {
      throw new HttpError(
        415,
        `unsupported Content-Type ${JSON.stringify(type || '(none)')}: use application/json or application/x-ndjson`,
        'content-type'
      );
    }
    // A native check plus toString is several times cheaper than a fatal TextDecoder.
    if (!isUtf8(body)) throw new HttpError(400, 'the request body is not valid UTF-8', 'body');
    const text = body.toString('utf8');
    if (type === 'application/json') {
      const value = parseJson(text, 'the request body');
      const items = Array.isArray(value) ? value : [value];
      if (items.length > MAX_ITEMS) {
        throw new HttpError(413, `at most ${MAX_ITEMS} mentions per request`, 'body');
      }
      return { items, broken: [] };
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > MAX_ITEMS) {
      throw new HttpError(413, `at most ${MAX_ITEMS} mentions per request`, 'body');
    }
    const items: unknown[] = [];
    const broken: Rejection[] = [];
    let index = 0;
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      if (index >= MAX_ITEMS)
        throw new HttpError(413, `at most ${MAX_ITEMS} mentions per request`, 'body');
      try {
        items[index] = JSON.parse(line) as unknown;
      } catch (err) {
        broken.push({
          index,
          errors: [{ path: '(line)', message: `not valid JSON: ${(err as Error).message}` }]
        });
        items[index] = undefined;
      }
      index++;
    }
    return { items, broken };
  }

  return async function handleIngest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!deps.token && !deps.hmacSecret) {
        throw new HttpError(
          503,
          'ingest is disabled: set INGEST_TOKEN (and optionally INGEST_HMAC_SECRET) and restart the server'
        );
      }
      // Bearer requests are refused before their body is read; signed ones need the body first.
      if (!signed(req)) checkBearer(req);
      const body = await readBody(req, deps.maxBytes);
      if (signed(req)) {
        verifySignature(req, body, req.headers['x-signature'] as string, deps.hmacSecret!);
      }
      if (deps.saturated()) {
        throw new HttpError(
          429,
          'the pipeline is saturated; retry after the delay in Retry-After',
          undefined,
          {
            'retry-after': '1'
          }
        );
      }
      const { items, broken } = decode(req, body);
      const brokenAt = new Set(broken.map((b) => b.index));
      const rejected: Rejection[] = [...broken];
      const valid: Mention[] = [];
      items.forEach((item, index) => {
        if (brokenAt.has(index)) return;
        const r = parseMention(item);
        if (r.ok) valid.push(r.mention);
        else rejected.push({ index, errors: r.errors });
      });
      rejected.sort((a, b) => a.index - b.index);
      if (valid.length === 0) {
        sendJson(res, 400, {
          error:
            items.length === 0
              ? 'the request contains no mentions'
              : 'no mention in the request is valid',
          accepted: 0,
          duplicates: 0,
          rejected
        });
        return;
      }
      const fresh = await deps.ingest(valid);
      sendJson(res, 202, { accepted: fresh, duplicates: valid.length - fresh, rejected });
    } catch (err) {
      if (err instanceof HttpError) {
        for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
        sendError(res, err.status, err.message, err.field);
        return;
      }
      throw err;
    }
  };
}
