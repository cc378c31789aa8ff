import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sendError } from './respond';

/** Largest JSON body the API's routes read (ingest has its own limit). */
export const MAX_BODY = 64 * 1024;

/** The first issue of a failed parse as a field and a message a user can act on. */
export function fieldOf(issues: readonly z.core.$ZodIssue[]): { field: string; message: string } {
  const first = issues[0];
  if (first?.code === 'unrecognized_keys') {
    return {
      field: first.keys[0] ?? 'body',
      message: `unknown field(s): ${first.keys.join(', ')}`
    };
  }
  return {
    field: first?.path.length ? first.path.map(String).join('.') : 'body',
    message: first?.message ?? 'invalid body'
  };
}

/** Reads a JSON body of at most MAX_BODY bytes; answers the 4xx itself and returns undefined. */
export async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    sendError(
      res,
      415,
      'send the body as JSON with Content-Type: application/json',
      'content-type'
    );
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
      sendError(res, 413, `the body is larger than ${MAX_BODY / 1024} KB`, 'body');
      req.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (err) {
    sendError(res, 400, `the body is not valid JSON: ${(err as Error).message}`, 'body');
    return undefined;
  }
}

/** Answers 400 with the first issue of a failed parse. */
export function sendIssues(res: ServerResponse, issues: readonly z.core.$ZodIssue[]): void {
  const { field, message } = fieldOf(issues);
  sendError(res, 400, message, field);
}
