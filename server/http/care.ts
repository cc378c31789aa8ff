import { z } from 'zod';
import { CHANNELS, INFLUENCE_TIERS, INTENTS } from '../../src/lib/shared/types';
import { actorName, effectiveRole, roleAtLeast } from '../core/auth/access';
import type { CareService, CareSettings } from '../adapters/care/service';
import { careSettingsSchema } from '../adapters/care/service';
import type { RouteHandler } from './auth';
import { contextOf } from './gate';
import { fieldOf, readJson, sendIssues } from './json-body';
import { sendError, sendJson } from './respond';

const DAY = 86_400_000;
/** The longest range the agents and value reports accept. */
const MAX_RANGE_MS = 92 * DAY;

/** A comma-separated list of allowed values (empty = any). */
const listOf = <T extends string>(name: string, values: readonly T[]) =>
  z
    .string()
    .max(500)
    .transform((s, ctx) => {
      const parts = s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      for (const p of parts) {
        if (!(values as readonly string[]).includes(p)) {
          ctx.addIssue({
            code: 'custom',
            message: `${name} must be one or more of ${values.join(', ')}`
          });
          return z.NEVER;
        }
      }
      return parts as T[];
    })
    .optional();

const queueQuery = z.strictObject({
  channel: listOf('channel', CHANNELS),
  intent: listOf('intent', INTENTS),
  tier: listOf('tier', INFLUENCE_TIERS),
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int('offset must be a whole number')
    .min(0, 'offset must be at least 0')
    .max(10_000_000, 'offset is too large')
    .default(0),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(500, 'limit must be at most 500')
    .default(100)
});

const time = (name: string) =>
  z.coerce
    .number({ error: `${name} must be epoch milliseconds` })
    .int(`${name} must be whole epoch milliseconds`)
    .min(0, `${name} must be epoch milliseconds`)
    .max(8.64e15, `${name} is out of range`);

const rangeQuery = z
  .strictObject({ from: time('from').optional(), to: time('to').optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from must be before to',
    path: ['from']
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= MAX_RANGE_MS, {
    message: 'the range may span at most 92 days',
    path: ['from']
  });

const claimBody = z.strictObject({
  source: z.string({ error: 'source is required' }).min(1).max(100),
  id: z.string({ error: 'id is required' }).min(1).max(200)
});

/** What the care routes need. */
export interface CareRouteDeps {
  care(): CareService;
  now(): number;
  /** Stores care settings (they apply at once). */
  saveSettings(s: CareSettings): Promise<void>;
  /** Tells clients the queue changed (a claim). */
  changed(): void;
}

/**
 * The care routes: the queue and claims (agents and up), agents' performance and the value of
 * care (managers), and the care settings (admins).
 */
export function careRoutes(deps: CareRouteDeps): Record<string, RouteHandler> {
  const params = (url: URL) => Object.fromEntries(url.searchParams);
  const range = (url: URL, res: Parameters<RouteHandler>[1], days: number) => {
    const q = rangeQuery.safeParse(params(url));
    if (!q.success) {
      sendIssues(res, q.error.issues);
      return null;
    }
    const to = q.data.to ?? deps.now();
    return { from: q.data.from ?? to - days * DAY, to };
  };
  const claimOutcome = (res: Parameters<RouteHandler>[1], r: ReturnType<CareService['claim']>) => {
    if (r.ok) {
      deps.changed();
      return sendJson(res, 200, r.item);
    }
    if (r.reason === 'missing') {
      return sendError(res, 404, 'this mention is not open in the care queue (answered or gone)');
    }
    return sendError(res, 409, `already claimed by ${r.by}`);
  };

  return {
    'GET /api/v1/care/queue': (_req, res, url) => {
      const q = queueQuery.safeParse(params(url));
      if (!q.success) return sendIssues(res, q.error.issues);
      const { offset, limit, ...filter } = q.data;
      sendJson(res, 200, deps.care().list(filter, offset, limit));
    },

    'POST /api/v1/care/claims': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const b = claimBody.safeParse(body);
      if (!b.success) return sendIssues(res, b.error.issues);
      const who = actorName(contextOf(req).principal);
      claimOutcome(res, deps.care().claim(b.data.source, b.data.id, who));
    },

    'DELETE /api/v1/care/claims': (req, res, url) => {
      const b = claimBody.safeParse(params(url));
      if (!b.success) return sendIssues(res, b.error.issues);
      const p = contextOf(req).principal;
      const role = effectiveRole(p);
      const force = role !== null && roleAtLeast(role, 'manager');
      claimOutcome(res, deps.care().release(b.data.source, b.data.id, actorName(p), force));
    },

    'GET /api/v1/care/agents': (_req, res, url) => {
      const r = range(url, res, 1);
      if (r) sendJson(res, 200, deps.care().agents(r.from, r.to));
    },

    'GET /api/v1/care/value': (_req, res, url) => {
      const r = range(url, res, 7);
      if (r) sendJson(res, 200, deps.care().value(r.from, r.to));
    },

    'GET /api/v1/settings/care': (_req, res) => sendJson(res, 200, deps.care().config),

    'PUT /api/v1/settings/care': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const s = careSettingsSchema.safeParse(body);
      if (!s.success) {
        const { field, message } = fieldOf(s.error.issues);
        return sendError(res, 400, `${field}: ${message}`, field);
      }
      deps.care().apply(s.data);
      await deps.saveSettings(s.data);
      sendJson(res, 200, s.data);
    }
  };
}
