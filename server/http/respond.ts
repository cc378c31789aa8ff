import type { ServerResponse } from 'node:http';

/** Sends a JSON body with a status code. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff'
  });
  res.end(text);
}

/** Sends a JSON error that says what is wrong and, when it is one field, which. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  field?: string
): void {
  sendJson(res, status, field ? { error, field } : { error });
}
