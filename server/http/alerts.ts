import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  DRILL_SCENARIOS,
  type AlertRule,
  type AlertSilence,
  type AlertView,
  type DrillReport,
  type DrillScenario,
  type RuleBacktest
} from '../../src/lib/shared/types';
import type { ActionResult, AlertAction } from '../core/alerts/engine';
import { actorName } from '../core/auth/access';
import { contextOf } from './gate';
import { fieldOf, readJson } from './json-body';
import { sendError, sendJson } from './respond';

/** A rule refused by validation: each problem with its field path. */
export interface RuleErrors {
  ok: false;
  errors: { path: string; message: string }[];
}

/** What the alert and rule routes need from the server. */
export interface AlertsApiDeps {
  /** Alerts newest first: open ones from memory, resolved ones from the store. */
  list(filter: 'open' | 'resolved' | 'all', limit: number): AlertView[];
  get(id: string): AlertView | null;
  /** The incident's post-mortem as Markdown or HTML; null when there is no such alert. */
  postmortem(id: string, format: 'md' | 'html'): string | null;
  /** Applies an action; resolves once the change is committed. */
  act(id: string, action: AlertAction, by: string): Promise<ActionResult>;
  rules(): AlertRule[];
  /** Validates and saves a new rule (`id` optional); resolves once committed. */
  createRule(input: unknown): Promise<{ ok: true; rule: AlertRule } | RuleErrors>;
  /** Validates and replaces rule `id`; null when there is no such rule. */
  updateRule(
    id: string,
    input: unknown
  ): Promise<{ ok: true; rule: AlertRule } | RuleErrors | null>;
  /** Deletes rule `id`; false when there is no such rule. */
  deleteRule(id: string): Promise<boolean>;
  silences(): AlertSilence[];
  addSilence(s: {
    ruleId: string | null;
    alertId: string | null;
    minutes: number;
    by: string;
    comment: string;
  }): Promise<
    { ok: true; silence: AlertSilence } | { ok: false; status: 400 | 404; error: string }
  >;
  removeSilence(id: string): Promise<boolean>;
  /** Starts a fire drill. */
  startDrill(
    scenario: DrillScenario,
    by: string
  ): { ok: true; report: DrillReport } | { ok: false; error: string };
  /** Ends a running drill; null when `id` is not running. */
  stopDrill(id: string, by: string): Promise<DrillReport | null>;
  /** The running drill's report, then finished ones. */
  drills(): DrillReport[];
  /** What a (valid) rule would have done over the last `days` of stored history. */
  backtest(input: unknown, days: number): { ok: true; result: RuleBacktest } | RuleErrors;
}

const listQuery = z.strictObject({
  state: z
    .enum(['open', 'resolved', 'all'], { error: 'state must be open, resolved or all' })
    .default('open'),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(500, 'limit must be at most 500')
    .default(100)
});

const by = z
  .string({ error: 'by must be a name' })
  .trim()
  .min(1, 'by must not be empty')
  .max(80, 'by must be at most 80 characters')
  .optional();

/**
 * Who acts: a signed-in user is always themselves (a `by` in the body is ignored); a script's API
 * token may name the person it acts for, else it is recorded as the token.
 */
function actor(req: IncomingMessage, declared: string | undefined): string {
  const p = contextOf(req).principal;
  if (p.kind === 'user') return p.username;
  return declared ?? actorName(p);
}

const actions = {
  ack: z.strictObject({ by }),
  resolve: z.strictObject({
    by,
    note: z.string({ error: 'note must be text' }).max(2000, 'note is too long').optional()
  }),
  snooze: z.strictObject({
    by,
    minutes: z
      .number({ error: 'minutes must be a number' })
      .int('minutes must be a whole number')
      .min(1, 'minutes must be at least 1')
      .max(7 * 24 * 60, 'minutes must be at most a week (10080)')
  }),
  assign: z.strictObject({
    by,
    assignee: z
      .string({ error: 'assignee must be a name or null' })
      .trim()
      .max(80, 'assignee must be at most 80 characters')
      .nullable()
  }),
  note: z.strictObject({
    by,
    text: z.string({ error: 'text must be text' }).min(1, 'text must not be empty').max(2000)
  })
} as const;

type ActionName = keyof typeof actions;

const silenceBody = z.strictObject({
  by,
  ruleId: z.string().min(1).max(120).nullable().default(null),
  alertId: z.string().min(1).max(200).nullable().default(null),
  minutes: z
    .number({ error: 'minutes must be a number' })
    .int('minutes must be a whole number')
    .min(1, 'minutes must be at least 1')
    .max(30 * 24 * 60, 'minutes must be at most 30 days (43200)'),
  comment: z.string().max(500, 'comment is too long').default('')
});

const drillBody = z.strictObject({
  by,
  scenario: z
    .enum(DRILL_SCENARIOS, { error: `scenario must be one of ${DRILL_SCENARIOS.join(', ')}` })
    .default('product-recall')
});

const backtestBody = z.strictObject({
  rule: z.unknown(),
  days: z
    .number({ error: 'days must be a number' })
    .min(0.01, 'days must be more than 0')
    .max(90, 'days must be at most 90')
    .default(7)
});

function sendRuleErrors(res: ServerResponse, r: RuleErrors): void {
  const first = r.errors[0];
  sendJson(res, 400, {
    error: first ? `${first.path}: ${first.message}` : 'invalid rule',
    field: first?.path ?? 'body',
    errors: r.errors
  });
}

/** Answers 405 with the methods allowed; true (the request is handled). */
function methodNotAllowed(res: ServerResponse, path: string, allow: string): true {
  res.setHeader('allow', allow);
  sendError(res, 405, `this method is not allowed on ${path}; use ${allow}`);
  return true;
}

/**
 * The alert and rule routes: `GET /api/v1/alerts?state=&limit=`, `GET /api/v1/alerts/:id`,
 * `POST /api/v1/alerts/:id/{ack,resolve,snooze,assign,note}`, `GET|POST /api/v1/rules`,
 * `GET|PUT|DELETE /api/v1/rules/:id`, `POST /api/v1/rules/backtest`, `GET|POST /api/v1/drills`,
 * `GET /api/v1/drills/:id` and `POST /api/v1/drills/:id/stop`. Returns false for a
 * path that is not theirs.
 */
export function createAlertsApi(
  deps: AlertsApiDeps
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> {
  return async (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean); // api, v1, alerts|rules, ...
    if (parts[0] !== 'api' || parts[1] !== 'v1') return false;
    const [, , collection, id, verb, ...rest] = parts;
    if (rest.length > 0) return false;

    if (collection === 'alerts') {
      if (id === undefined) {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, path, 'GET');
        const q = listQuery.safeParse(Object.fromEntries(url.searchParams));
        if (!q.success) {
          const { field, message } = fieldOf(q.error.issues);
          sendError(res, 400, message, field);
          return true;
        }
        sendJson(res, 200, { alerts: deps.list(q.data.state, q.data.limit) });
        return true;
      }
      const alertId = decodeURIComponent(id);
      if (verb === undefined) {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, path, 'GET');
        const view = deps.get(alertId);
        if (view) sendJson(res, 200, view);
        else sendError(res, 404, `no alert with id ${alertId}`, 'id');
        return true;
      }
      if (verb === 'postmortem') {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, path, 'GET');
        const format = url.searchParams.get('format') ?? 'md';
        if (format !== 'md' && format !== 'html') {
          sendError(res, 400, 'format must be md or html', 'format');
          return true;
        }
        const doc = deps.postmortem(alertId, format);
        if (doc === null) {
          sendError(res, 404, `no alert with id ${alertId}`, 'id');
          return true;
        }
        const type = format === 'md' ? 'text/markdown' : 'text/html';
        res.writeHead(200, {
          'content-type': `${type}; charset=utf-8`,
          'content-disposition': `attachment; filename="postmortem-${alertId.replace(/[^\w.-]/g, '_')}.${format}"`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          'cache-control': 'no-store'
        });
        res.end(doc);
        return true;
      }
      if (!(verb in actions)) {
        sendError(
          res,
          404,
          `no such alert action: ${verb}; use ${Object.keys(actions).join(', ')}`
        );
        return true;
      }
      if (method !== 'POST') return methodNotAllowed(res, path, 'POST');
      const body = await readJson(req, res);
      if (body === undefined) return true;
      const name = verb as ActionName;
      const parsed = actions[name].safeParse(body ?? {});
      if (!parsed.success) {
        const { field, message } = fieldOf(parsed.error.issues);
        sendError(res, 400, message, field);
        return true;
      }
      const d = parsed.data as { by?: string } & Record<string, unknown>;
      const action: AlertAction =
        name === 'ack'
          ? { kind: 'ack' }
          : name === 'resolve'
            ? { kind: 'resolve', ...(typeof d.note === 'string' && { note: d.note }) }
            : name === 'snooze'
              ? { kind: 'snooze', minutes: d.minutes as number }
              : name === 'assign'
                ? { kind: 'assign', assignee: (d.assignee as string | null) || null }
                : { kind: 'note', text: d.text as string };
      const r = await deps.act(alertId, action, actor(req, d.by));
      if (r.ok) sendJson(res, 200, r.view);
      else sendError(res, r.status, r.error, r.status === 404 ? 'id' : undefined);
      return true;
    }

    if (collection === 'silences') {
      if (id === undefined) {
        if (method === 'GET' || method === 'HEAD') {
          sendJson(res, 200, { silences: deps.silences() });
          return true;
        }
        if (method !== 'POST') return methodNotAllowed(res, path, 'GET, POST');
        const body = await readJson(req, res);
        if (body === undefined) return true;
        const q = silenceBody.safeParse(body ?? {});
        if (!q.success) {
          const { field, message } = fieldOf(q.error.issues);
          sendError(res, 400, message, field);
          return true;
        }
        const r = await deps.addSilence({ ...q.data, by: actor(req, q.data.by) });
        if (r.ok) sendJson(res, 201, r.silence);
        else sendError(res, r.status, r.error, r.status === 400 ? 'ruleId' : undefined);
        return true;
      }
      if (verb !== undefined) return false;
      if (method !== 'DELETE') return methodNotAllowed(res, path, 'DELETE');
      if (await deps.removeSilence(decodeURIComponent(id))) {
        res.writeHead(204);
        res.end();
      } else sendError(res, 404, `no active silence with id ${id}`, 'id');
      return true;
    }

    if (collection === 'drills') {
      if (id === undefined) {
        if (method === 'GET' || method === 'HEAD') {
          sendJson(res, 200, { drills: deps.drills() });
          return true;
        }
        if (method !== 'POST') return methodNotAllowed(res, path, 'GET, POST');
        const body = await readJson(req, res);
        if (body === undefined) return true;
        const q = drillBody.safeParse(body ?? {});
        if (!q.success) {
          const { field, message } = fieldOf(q.error.issues);
          sendError(res, 400, message, field);
          return true;
        }
        const r = deps.startDrill(q.data.scenario, actor(req, q.data.by));
        if (r.ok) sendJson(res, 201, r.report);
        else sendError(res, 409, r.error);
        return true;
      }
      const drillId = decodeURIComponent(id);
      if (verb === undefined) {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, path, 'GET');
        const report = deps.drills().find((d) => d.id === drillId);
        if (report) sendJson(res, 200, report);
        else sendError(res, 404, `no drill with id ${drillId}`, 'id');
        return true;
      }
      if (verb !== 'stop') return false;
      if (method !== 'POST') return methodNotAllowed(res, path, 'POST');
      const body = await readJson(req, res);
      if (body === undefined) return true;
      const q = actions.ack.safeParse(body ?? {});
      if (!q.success) {
        const { field, message } = fieldOf(q.error.issues);
        sendError(res, 400, message, field);
        return true;
      }
      const report = await deps.stopDrill(drillId, actor(req, q.data.by));
      if (report) sendJson(res, 200, report);
      else sendError(res, 404, `no running drill with id ${drillId}`, 'id');
      return true;
    }

    if (collection === 'rules') {
      if (id === undefined) {
        if (method === 'GET' || method === 'HEAD') {
          sendJson(res, 200, { rules: deps.rules() });
          return true;
        }
        if (method !== 'POST') return methodNotAllowed(res, path, 'GET, POST');
        const body = await readJson(req, res);
        if (body === undefined) return true;
        const r = await deps.createRule(body);
        if (r.ok) sendJson(res, 201, r.rule);
        else sendRuleErrors(res, r);
        return true;
      }
      if (id === 'backtest' && verb === undefined) {
        if (method !== 'POST') return methodNotAllowed(res, path, 'POST');
        const body = await readJson(req, res);
        if (body === undefined) return true;
        const q = backtestBody.safeParse(body ?? {});
        if (!q.success) {
          const { field, message } = fieldOf(q.error.issues);
          sendError(res, 400, message, field);
          return true;
        }
        const r = deps.backtest(q.data.rule, q.data.days);
        if (r.ok) sendJson(res, 200, r.result);
        else sendRuleErrors(res, r);
        return true;
      }
      if (verb !== undefined) return false;
      const ruleId = decodeURIComponent(id);
      if (method === 'GET' || method === 'HEAD') {
        const rule = deps.rules().find((r) => r.id === ruleId);
        if (rule) sendJson(res, 200, rule);
        else sendError(res, 404, `no rule with id ${ruleId}`, 'id');
        return true;
      }
      if (method === 'PUT') {
        const body = await readJson(req, res);
        if (body === undefined) return true;
        const r = await deps.updateRule(ruleId, body);
        if (r === null) sendError(res, 404, `no rule with id ${ruleId}`, 'id');
        else if (r.ok) sendJson(res, 200, r.rule);
        else sendRuleErrors(res, r);
        return true;
      }
      if (method === 'DELETE') {
        if (await deps.deleteRule(ruleId)) {
          res.writeHead(204);
          res.end();
        } else sendError(res, 404, `no rule with id ${ruleId}`, 'id');
        return true;
      }
      return methodNotAllowed(res, path, 'GET, PUT, DELETE');
    }
    return false;
  };
}
