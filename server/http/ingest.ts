import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyIngested, IngestType } from '../ports';
import { INGEST_TYPES } from './decode-batch';
import { sendError, sendJson } from './respond';

export { MAX_ITEMS, type Rejection } from './decode-batch';

/** Settings and collaborators of the ingest endpoint. */
export interface IngestDeps {
  /**
   * True when a bearer token may ingest (INGEST_TOKEN, or an API token with the ingest or admin
   * scope).
   */
  bearerAllowed(token: string): boolean;
  /** True when some bearer token could ingest; with no HMAC secret either, 503 says how. */
  tokensEnabled(): boolean;
  /** Shared secret for signed webhooks; null disables signatures. */
  hmacSecret: string | null;
  maxBytes: number;
  /** True when the pipeline cannot take more right now (answer 429). */
  saturated(): boolean;
  /** Decodes, validates and commits a body; resolves once durable (see Store.ingestBody). */
  ingestBody(body: Uint8Array, type: IngestType): Promise<BodyIngested>;
  now(): number;
}

/** Oldest signature timestamp accepted, and how long a signature is remembered against replay. */
const SIGNATURE_WINDOW_MS = 5 * 60_000;

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
    if (!m || !deps.bearerAllowed(m[1]!.trim())) {
      throw new HttpError(
        401,
        m
          ? 'the bearer token is not valid'
          : 'missing credentials: send Authorization: Bearer <INGEST_TOKEN or an API token with the ingest scope>' +
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

  function contentType(req: IncomingMessage): IngestType {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const known = INGEST_TYPES.find((t) => t === type);
    if (!known) {
      throw new HttpError(
        415,
        `unsupported Content-Type ${JSON.stringify(type || '(none)')}: use application/json or application/x-ndjson`,
        'content-type'
      );
    }
    return known;
  }

  return async function handleIngest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!deps.tokensEnabled() && !deps.hmacSecret) {
        throw new HttpError(
          503,
          'ingest is disabled: create an API token with the ingest scope in /settings, or set INGEST_TOKEN (and optionally INGEST_HMAC_SECRET) and restart the server'
        );
      }
      // Bearer requests are refused before their body is read; signed ones need the body first.
      if (!signed(req)) checkBearer(req);
      const type = contentType(req);
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
      const r = await deps.ingestBody(body, type);
      if (!r.ok) throw new HttpError(r.error.status, r.error.message, r.error.field);
      if (r.valid === 0) {
        sendJson(res, 400, {
          error:
            r.items === 0
              ? 'the request contains no mentions'
              : 'no mention in the request is valid',
          accepted: 0,
          duplicates: 0,
          rejected: r.rejected
        });
        return;
      }
      sendJson(res, 202, {
        accepted: r.fresh,
        duplicates: r.valid - r.fresh,
        rejected: r.rejected
      });
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
