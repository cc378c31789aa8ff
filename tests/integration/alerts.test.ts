import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule, AlertView } from '../../src/lib/shared/types';
import { makeMention } from '../helpers/fixtures';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer,
  type WallClient
} from '../helpers/test-server';

const SECRET = 'webhook-secret-0123456789';

/** A local webhook receiver that answers 503 to the first `failures` requests, then 200. */
interface Receiver {
  url: string;
  bodies: { body: string; signature: string | undefined; status: number }[];
  failures: number;
  close(): Promise<void>;
}

async function startReceiver(failures: number): Promise<Receiver> {
  const r: Receiver = { url: '', bodies: [], failures, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = r.failures > 0 ? 503 : 200;
      if (r.failures > 0) r.failures--;
      const sig = req.headers['x-signature'];
      r.bodies.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: typeof sig === 'string' ? sig : undefined,
        status
      });
      res.writeHead(status);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return r;
}

function verified(body: string, signature: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
  const got = Buffer.from(signature ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

async function api(
  server: TestServer,
  path: string,
  init: { method?: string; body?: unknown; type?: string } = {}
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${server.adminToken}`,
      ...(init.body !== undefined && { 'content-type': init.type ?? 'application/json' })
    },
    ...(init.body !== undefined && {
      body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
    })
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const recallRule = {
  name: 'Recall watch',
  kind: 'keyword',
  enabled: true,
  severity: 'critical',
  scope: {},
  forMs: 0,
  holdMs: 600_000,
  escalateAfterMs: null,
  terms: ['recall'],
  minCount: 3,
  windowMs: 600_000
};

let data: ReturnType<typeof tempDataDir>;
let receiver: Receiver;
let server: TestServer;
let clients: WallClient[] = [];

const env = () => ({
  NOTIFY_WEBHOOK_URL: receiver.url,
  NOTIFY_WEBHOOK_SECRET: SECRET,
  ALERT_EVAL_MS: '200',
  PUBLIC_URL: 'https://wall.example.com'
});

beforeAll(async () => {
  data = tempDataDir();
  receiver = await startReceiver(2);
  server = await startTestServer(data.dir, env());
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  await receiver.close();
  data.cleanup();
});

describe('alert rules over HTTP', () => {
  it('starts with the default rule set, stored in SQLite', async () => {
    const { status, body } = await api(server, '/api/v1/rules');
    expect(status).toBe(200);
    const rules = body.rules as AlertRule[];
    expect(rules.map((r) => r.kind).sort()).toEqual(
      ['anomaly', 'anomaly', 'influencer', 'keyword', 'keyword', 'silence', 'sla'].sort()
    );
    expect(server.app.store.loadAlertRules()).toHaveLength(rules.length);
  });

  it.each([
    ['a missing kind', { ...recallRule, kind: undefined }, 'kind'],
    ['no terms', { ...recallRule, terms: [] }, 'terms'],
    ['a negative hold', { ...recallRule, holdMs: -1 }, 'holdMs'],
    ['an unknown field', { ...recallRule, colour: 'red' }, ''],
    ['a bad severity', { ...recallRule, severity: 'apocalyptic' }, 'severity']
  ])('refuses a rule with %s, naming the field', async (_name, rule, field) => {
    const { status, body } = await api(server, '/api/v1/rules', { method: 'POST', body: rule });
    expect(status).toBe(400);
    expect(typeof body.error).toBe('string');
    if (field) expect(String(body.field)).toContain(field);
    expect(Array.isArray(body.errors)).toBe(true);
  });

  it.each([
    ['not JSON', '{nope', 'application/json', 400, 'body'],
    ['another content type', 'name=x', 'text/plain', 415, 'content-type']
  ])('refuses a body that is %s', async (_name, body, type, status, field) => {
    const r = await api(server, '/api/v1/rules', { method: 'POST', body, type });
    expect(r.status).toBe(status);
    expect(r.body.field).toBe(field);
  });

  it('creates, reads, updates and deletes a rule', async () => {
    const created = await api(server, '/api/v1/rules', {
      method: 'POST',
      body: { ...recallRule, name: 'Temporary rule', terms: ['temporary'] }
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).toBe('temporary-rule');
    expect((await api(server, `/api/v1/rules/${id}`)).body.name).toBe('Temporary rule');
    const updated = await api(server, `/api/v1/rules/${id}`, {
      method: 'PUT',
      body: { ...recallRule, name: 'Renamed', terms: ['renamed'] }
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, name: 'Renamed', terms: ['renamed'] });
    expect((await api(server, `/api/v1/rules/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(server, `/api/v1/rules/${id}`)).status).toBe(404);
    expect((await api(server, `/api/v1/rules/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('keeps every rule of concurrent creates (edits are serialised)', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api(server, '/api/v1/rules', { method: 'POST', body: { ...recallRule, name: `Race ${i}` } })
      )
    );
    expect(made.map((m) => m.status)).toEqual(Array(20).fill(201));
    const rules = (await api(server, '/api/v1/rules')).body.rules as AlertRule[];
    const ids = made.map((m) => m.body.id as string);
    expect(rules.filter((r) => ids.includes(r.id))).toHaveLength(20);
    await Promise.all(ids.map((id) => api(server, `/api/v1/rules/${id}`, { method: 'DELETE' })));
    const after = (await api(server, '/api/v1/rules')).body.rules as AlertRule[];
    expect(after.filter((r) => ids.includes(r.id))).toEqual([]);
  });

  it('back-tests a rule before it is saved', async () => {
    const r = await api(server, '/api/v1/rules/backtest', {
      method: 'POST',
      body: {
        rule: {
          ...recallRule,
          kind: 'threshold',
          terms: undefined,
          minCount: undefined,
          windowMs: undefined,
          metric: 'volume',
          window: '5m',
          comparison: '>',
          value: 1000
        },
        days: 1
      }
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ days: 1, fired: 0, at: [] });
    const bad = await api(server, '/api/v1/rules/backtest', {
      method: 'POST',
      body: { rule: { kind: 'threshold' }, days: 1 }
    });
    expect(bad.status).toBe(400);
  });
});

describe('the drill-down API', () => {
  it.each([
    ['no range', '', 'from'],
    ['a bad time', '?from=yesterday&to=1', 'from'],
    ['an empty range', '?from=2000&to=1000', 'to'],
    ['an unknown channel', '?from=1&to=2&channel=myspace', 'channel'],
    ['an unknown parameter', '?from=1&to=2&colour=red', 'query']
  ])('refuses %s, naming the field', async (_name, query, field) => {
    const r = await api(server, `/api/v1/explore/mentions${query}`);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe(field);
  });

  it('filters stored mentions by window, channel, sentiment and text, newest first', async () => {
    const now = Date.now();
    await server.source.push([
      makeMention({
        channel: 'reddit',
        text: 'The app is awful, broken and useless',
        createdAt: now - 3000
      }),
      makeMention({ channel: 'reddit', text: 'Drill-down 100% works_ok', createdAt: now - 2000 }),
      makeMention({ channel: 'news', text: 'Drill-down report', createdAt: now - 1000 })
    ]);
    const q = (extra: string) =>
      api(server, `/api/v1/explore/mentions?from=${now - 10_000}&to=${now + 1}${extra}`);
    const reddit = await q('&channel=reddit');
    expect(reddit.body.total).toBe(2);
    const drill = await q('&q=drill-down');
    expect((drill.body.mentions as { text: string }[]).map((m) => m.text)).toEqual([
      'Drill-down report',
      'Drill-down 100% works_ok'
    ]);
    // LIKE wildcards in the search are literal.
    expect((await q('&q=100%25 works_')).body.total).toBe(1);
    expect((await q('&q=0%25w')).body.total).toBe(0);
    expect((await q('&channel=reddit&sentiment=negative')).body.total).toBe(1);
  });
});

describe('an alert from trigger to acknowledgement', () => {
  let alert: AlertView;

  it('fires, reaches every client, and notifies the webhook through two failures', async () => {
    const created = await api(server, '/api/v1/rules', { method: 'POST', body: recallRule });
    expect(created.status).toBe(201);
    const a = connectClient(server.url, false, { token: server.adminToken });
    const b = connectClient(server.url, false, { token: server.adminToken });
    clients.push(a, b);
    await Promise.all([nextEvent(a, 'alert:list'), nextEvent(b, 'alert:list')]);
    const raisedBy = (c: WallClient) =>
      new Promise<AlertView>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no alert raised')), 10_000);
        c.on('alert:raised', (v) => {
          if (v.ruleId === 'recall-watch') {
            clearTimeout(timer);
            resolve(v);
          }
        });
      });
    const raisedA = raisedBy(a);
    const raisedB = raisedBy(b);
    await server.source.push(
      [1, 2, 3].map((i) =>
        makeMention({
          text: `Is this a RECALL? Battery ${i} swelling <img src=x onerror=alert(1)>`,
          createdAt: Date.now()
        })
      )
    );
    alert = await raisedA;
    expect((await raisedB).id).toBe(alert.id);
    expect(alert).toMatchObject({ ruleId: 'recall-watch', state: 'firing', severity: 'critical' });
    expect(alert.title).toMatch(/recall/i);
    expect(alert.context?.samples.length).toBeGreaterThan(0);

    // Two 503s, then a 200: three signed requests, the last one accepted.
    await waitFor(() => receiver.bodies.some((x) => x.status === 200), 15_000);
    const firing = receiver.bodies.filter((x) => JSON.parse(x.body).alertId === alert.id);
    expect(firing.map((x) => x.status)).toEqual([503, 503, 200]);
    for (const x of firing) expect(verified(x.body, x.signature)).toBe(true);
    const msg = JSON.parse(firing[2]!.body) as Record<string, unknown>;
    expect(msg).toMatchObject({ event: 'firing', severity: 'critical', drill: false });
    expect(msg.link).toMatch(
      new RegExp(
        `^https://wall\\.example\\.com/explore\\?from=\\d+&to=\\d+&q=recall&alert=${alert.id}$`
      )
    );
    // The drill-down finds the mentions behind the alert.
    const drill = await api(
      server,
      String(msg.link).replace('https://wall.example.com/explore', '/api/v1/explore/mentions')
    );
    expect(drill.status).toBe(200);
    expect(drill.body.total).toBe(3);

    // Each attempt is on the alert's record.
    const stored = await waitFor(async () => {
      const r = await api(server, `/api/v1/alerts/${alert.id}`);
      const v = r.body as unknown as AlertView;
      return v.deliveries.some((d) => d.ok) ? v : null;
    }, 5000);
    expect(stored!.deliveries.map((d) => d.reason)).toEqual(['retrying', 'retrying', 'sent']);
  });

  it('is acknowledged from one console and every client sees it; twice is refused', async () => {
    const [a, b] = clients as [WallClient, WallClient];
    // Other updates (a delivery's result being recorded) may arrive first: wait for this one.
    const updated = new Promise<AlertView>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no acknowledged update')), 5000);
      b.on('alert:updated', (v) => {
        if (v.id === alert.id && v.state === 'acknowledged') {
          clearTimeout(timer);
          resolve(v);
        }
      });
    });
    const res = await a.emitWithAck('alert:ack', { id: alert.id, by: 'dana' });
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.data).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'dana' });
    const seen = await updated;
    expect(seen).toMatchObject({ acknowledgedBy: 'dana' });
    const again = await api(server, `/api/v1/alerts/${alert.id}/ack`, {
      method: 'POST',
      body: { by: 'lee' }
    });
    expect(again.status).toBe(409);
    expect(String(again.body.error)).toMatch(/already acknowledged/);
  });

  it.each([
    ['no id', {}, /id/],
    ['an empty name', { id: 'x', by: '' }, /by/],
    ['a string', 'boom', /request|expected/i]
  ])('refuses a socket action with %s without changing anything', async (_n, req, err) => {
    const [a] = clients as [WallClient];
    const res = await a.emitWithAck('alert:ack', req as never);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toMatch(err);
  });

  it.each([
    ['snooze', { by: 'dana', minutes: 'soon' }, 400, 'minutes'],
    ['snooze', { by: 'dana', minutes: 0 }, 400, 'minutes'],
    ['note', { by: 'dana', text: '' }, 400, 'text'],
    ['note', { by: 'dana', text: 'x', extra: 1 }, 400, 'extra']
  ])('refuses POST %s with %o, naming the field', async (verb, body, status, field) => {
    const r = await api(server, `/api/v1/alerts/${alert.id}/${verb}`, { method: 'POST', body });
    expect(r.status).toBe(status);
    expect(r.body.field).toBe(field);
  });

  it('silences a rule over HTTP, lists and lifts the silence', async () => {
    const bad = await api(server, '/api/v1/silences', {
      method: 'POST',
      body: { by: 'dana', minutes: 60 }
    });
    expect(bad.status).toBe(400);
    const tooLong = await api(server, '/api/v1/silences', {
      method: 'POST',
      body: { by: 'dana', ruleId: 'recall-watch', minutes: 99_999 }
    });
    expect(tooLong.body.field).toBe('minutes');
    const made = await api(server, '/api/v1/silences', {
      method: 'POST',
      body: { by: 'dana', ruleId: 'recall-watch', minutes: 60, comment: 'known issue' }
    });
    expect(made.status).toBe(201);
    const listed = await api(server, '/api/v1/silences');
    expect((listed.body.silences as { id: string }[]).map((x) => x.id)).toEqual([made.body.id]);
    expect(
      (await api(server, `/api/v1/silences/${String(made.body.id)}`, { method: 'DELETE' })).status
    ).toBe(204);
    expect((await api(server, '/api/v1/silences')).body.silences).toEqual([]);
  });

  it('adds notes, lists by state and answers 404 for an unknown alert', async () => {
    const note = await api(server, `/api/v1/alerts/${alert.id}/note`, {
      method: 'POST',
      body: { by: 'dana', text: 'Comms drafting a holding statement' }
    });
    expect(note.status).toBe(200);
    const open = await api(server, '/api/v1/alerts?state=open');
    expect((open.body.alerts as AlertView[]).map((x) => x.id)).toContain(alert.id);
    expect((await api(server, '/api/v1/alerts?state=later')).status).toBe(400);
    expect((await api(server, '/api/v1/alerts/nope')).status).toBe(404);
    expect(
      (await api(server, '/api/v1/alerts/nope/ack', { method: 'POST', body: { by: 'x' } })).status
    ).toBe(404);
  });

  it('back-tests a keyword rule on the stored mentions', async () => {
    const r = await api(server, '/api/v1/rules/backtest', {
      method: 'POST',
      body: { rule: { ...recallRule, name: 'Recall again' }, days: 1 }
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ days: 1, fired: 1 });
    const none = await api(server, '/api/v1/rules/backtest', {
      method: 'POST',
      body: { rule: { ...recallRule, name: 'Nothing', terms: ['zeppelin'] }, days: 1 }
    });
    expect(none.body).toMatchObject({ fired: 0 });
  });

  it('keeps the incident and the rules across a restart', async () => {
    for (const c of clients) c.close();
    clients = [];
    await server.close();
    server = await startTestServer(data.dir, env());
    const open = await api(server, '/api/v1/alerts?state=open');
    const after = (open.body.alerts as AlertView[]).find((x) => x.id === alert.id);
    expect(after).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'dana' });
    const codes = after!.timeline.map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['condition-met', 'acknowledged', 'note']));
    expect(after!.deliveries.some((d) => d.ok)).toBe(true);
    const rules = (await api(server, '/api/v1/rules')).body.rules as AlertRule[];
    expect(rules.map((r) => r.id)).toContain('recall-watch');
    // A client connecting now is sent the open alerts.
    const c = connectClient(server.url, false, { token: server.adminToken });
    clients.push(c);
    const list = await nextEvent(c, 'alert:list');
    expect(list.map((x) => x.id)).toContain(alert.id);
  });

  it('resolves by hand with a note', async () => {
    const r = await api(server, `/api/v1/alerts/${alert.id}/resolve`, {
      method: 'POST',
      body: { by: 'dana', note: 'Statement published' }
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'resolved', resolvedBy: 'dana' });
    const resolved = await api(server, '/api/v1/alerts?state=resolved');
    expect((resolved.body.alerts as AlertView[]).map((x) => x.id)).toContain(alert.id);
  });

  it('exports the incident as Markdown and HTML with untrusted text escaped', async () => {
    const md = await fetch(`${server.url}/api/v1/alerts/${alert.id}/postmortem?format=md`, {
      headers: { authorization: `Bearer ${server.adminToken}` }
    });
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await md.text();
    expect(text).toContain('# ');
    expect(text).toMatch(/acknowledged/);
    expect(text).toMatch(/notification firing via webhook: sent/);
    expect(text).toMatch(/Time|to acknowledge/);
    // Escaped for Markdown: shown as text, never as an image.
    expect(text).not.toMatch(/(?<!\\)<img/);
    expect(text).toContain('\\<img');
    const html = await fetch(`${server.url}/api/v1/alerts/${alert.id}/postmortem?format=html`, {
      headers: { authorization: `Bearer ${server.adminToken}` }
    });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await html.text();
    expect(page).toContain('<h2>Timeline</h2>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script');
    const bad = await fetch(`${server.url}/api/v1/alerts/${alert.id}/postmortem?format=pdf`, {
      headers: { authorization: `Bearer ${server.adminToken}` }
    });
    expect(bad.status).toBe(400);
  });
});

describe('a fire drill', () => {
  it('plays a crisis through its own pipeline, labelled DRILL, kept out of real metrics', async () => {
    const before = await api(server, '/api/v1/summary?window=1h');
    const c = connectClient(server.url, false, { token: server.adminToken });
    clients.push(c);
    await nextEvent(c, 'alert:list');
    const raised = new Promise<AlertView>((resolve) => {
      c.on('alert:raised', (a) => {
        if (a.drill) resolve(a);
      });
    });
    const started = await api(server, '/api/v1/drills', {
      method: 'POST',
      body: { by: 'dana', scenario: 'product-recall' }
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(started.body).toMatchObject({ state: 'running', startedBy: 'dana' });
    // Only one drill at a time.
    expect(
      (await api(server, '/api/v1/drills', { method: 'POST', body: { by: 'lee' } })).status
    ).toBe(409);

    const alert = await Promise.race([
      raised,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no drill alert')), 20_000)
      )
    ]);
    expect(alert.drill).toBe(true);
    // Its notification is labelled as a drill.
    await waitFor(
      () =>
        receiver.bodies.some((x) => {
          const m = JSON.parse(x.body) as { alertId: string; drill: boolean };
          return m.alertId === alert.id && m.drill;
        }),
      15_000
    );
    // Acknowledge it like any alert.
    const ack = await c.emitWithAck('alert:ack', { id: alert.id, by: 'dana' });
    expect(ack.ok).toBe(true);

    const stopped = await api(server, `/api/v1/drills/${id}/stop`, {
      method: 'POST',
      body: { by: 'dana' }
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body.state).toBe('finished');
    expect(stopped.body.timeToDetectMs).toEqual(expect.any(Number));
    expect(stopped.body.timeToAcknowledgeMs).toEqual(expect.any(Number));
    expect((stopped.body.alerts as unknown[]).length).toBeGreaterThan(0);
    const listed = await api(server, '/api/v1/drills');
    expect((listed.body.drills as { id: string }[])[0]?.id).toBe(id);

    // Real metrics never saw the drill's mentions, and real alert lists leave drills out.
    const after = await api(server, '/api/v1/summary?window=1h');
    expect(after.body.volume).toBe(before.body.volume);
    const resolved = await api(server, '/api/v1/alerts?state=all');
    expect((resolved.body.alerts as AlertView[]).some((a) => a.drill)).toBe(false);
    expect(
      (await api(server, `/api/v1/drills/${id}/stop`, { method: 'POST', body: {} })).status
    ).toBe(404);
  });
});
