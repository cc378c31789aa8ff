import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareAgents, CareQueue, CareSummary, CareValue } from '../../src/lib/shared/types';
import { makeMention, makeReply } from '../helpers/fixtures';
import {
  connectClient,
  startTestServer,
  tempDataDir,
  type TestServer
} from '../helpers/test-server';

const MIN = 60_000;

let server: TestServer;
let data: { dir: string; cleanup: () => void };
/** A second admin-scope token: another person, for claims. */
let otherToken: string;
const now = Date.now();

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = server.adminToken
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const queue = async (q = ''): Promise<CareQueue> =>
  (await call('GET', `/api/v1/care/queue${q}`)).body as unknown as CareQueue;

/** An influencer's safety complaint: VIP policy, top of the queue. */
const urgent = makeMention({
  id: 'urgent',
  createdAt: now - 10 * MIN,
  text: 'My charger caught fire last night, this is dangerous and nobody answers!',
  author: { handle: '@bigvoice', name: 'Big Voice', followers: 900_000, verified: true }
});
const question = makeMention({
  id: 'question',
  createdAt: now - 30 * MIN,
  channel: 'reddit',
  text: 'How do I change the delivery address on my order?'
});
const praise = makeMention({
  id: 'praise',
  createdAt: now - 2 * MIN,
  text: 'Love my new headphones, sound is amazing'
});

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir);
  otherToken = (await server.app.auth!.createToken('dana', ['admin'], 'tests')).token;
  await server.source.push([question, urgent, praise]);
}, 60_000);

afterAll(async () => {
  await server.close();
  data.cleanup();
});

describe('GET /api/v1/care/queue', () => {
  it('orders open customer mentions by priority, with reasons and SLA deadlines', async () => {
    const q = await queue();
    expect(q.items.map((i) => i.id)).toEqual(['urgent', 'question']);
    expect(q).toMatchObject({ total: 2, matching: 2 });
    const [top, second] = q.items;
    expect(top!.sla).toMatchObject({ policy: 'VIP authors', state: 'ok' });
    // 15 minutes on the clock from its arrival (24x7), warning at 80 %.
    expect(top!.slaDueAt).toBe(urgent.createdAt + 15 * MIN);
    expect(top!.sla!.warnAt).toBe(urgent.createdAt + 12 * MIN);
    expect(top!.reasons.join(' ')).toMatch(/risk term/);
    expect(top!.waitingMs).toBeGreaterThanOrEqual(10 * MIN);
    expect(second!.sla!.policy).toBe('Questions and purchases');
    expect(second!.text).toBe(question.text);
  });

  it('filters by channel, intent and tier, and pages', async () => {
    expect((await queue('?channel=reddit')).items.map((i) => i.id)).toEqual(['question']);
    expect((await queue('?tier=celebrity,influencer')).items.map((i) => i.id)).toEqual(['urgent']);
    const page = await queue('?offset=1&limit=1');
    expect(page.items.map((i) => i.id)).toEqual(['question']);
    expect(page.matching).toBe(2);
  });

  it('refuses bad parameters naming the field, and people below agent', async () => {
    const bad = await call('GET', '/api/v1/care/queue?channel=fax');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('channel');
    expect(String(bad.body.error)).toMatch(/channel must be one or more of/);
    expect((await call('GET', '/api/v1/care/queue?limit=9999')).body.field).toBe('limit');
    expect((await call('GET', '/api/v1/care/queue?nope=1')).status).toBe(400);
    expect((await call('GET', '/api/v1/care/queue', undefined, '')).status).toBe(401);
  });
});

describe('claims', () => {
  it('one person holds a claim; others see it and are refused; release frees it', async () => {
    const mine = await call('POST', '/api/v1/care/claims', { source: 'test', id: 'question' });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: 'question', claimedBy: 'token:tests' });
    const theirs = await call(
      'POST',
      '/api/v1/care/claims',
      { source: 'test', id: 'question' },
      otherToken
    );
    expect(theirs.status).toBe(409);
    expect(theirs.body.error).toBe('already claimed by token:tests');
    expect((await queue()).items.find((i) => i.id === 'question')?.claimedBy).toBe('token:tests');
    const released = await call('DELETE', '/api/v1/care/claims?source=test&id=question');
    expect(released.body).toMatchObject({ claimedBy: null });
  });

  it('refuses a malformed claim naming the field, and a mention that is not open', async () => {
    const missing = await call('POST', '/api/v1/care/claims', { source: 'test' });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('id');
    const gone = await call('POST', '/api/v1/care/claims', { source: 'test', id: 'praise' });
    expect(gone.status).toBe(404);
    const notJson = await fetch(`${server.url}/api/v1/care/claims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'text/plain' },
      body: 'x'
    });
    expect(notJson.status).toBe(415);
  });
});

describe('a reply answers a mention', () => {
  it('leaves the queue, records the response time, its agent and the SLA outcome', async () => {
    const client = connectClient(server.url, false, { token: server.adminToken });
    try {
      await server.source.push([
        makeReply(urgent, {
          id: 'r-urgent',
          createdAt: urgent.createdAt + 7 * MIN,
          text: 'We are so sorry, please stop using it and DM us your order number ^JS'
        }),
        makeReply(question, {
          id: 'r-question',
          createdAt: question.createdAt + 20 * MIN,
          agent: 'Ana Lima',
          text: 'You can change it under Orders > Address, happy to help!'
        })
      ]);
      const q = await queue();
      expect(q.items).toEqual([]);
      // The next summary pushed over the socket (about once a second).
      const summary = await new Promise<CareSummary>((resolve) => {
        client.once('care:summary', resolve);
      });
      expect(summary.depth).toBe(0);
      expect(summary.firstResponse.count).toBe(2);
      expect(summary.compliance.day).toMatchObject({ met: 2, missed: 0, ratio: 1 });
      expect(summary.agentsActive).toBe(2);
    } finally {
      client.close();
    }
    const agents = (await call('GET', `/api/v1/care/agents?from=${now - 60 * MIN}&to=${now + MIN}`))
      .body as unknown as CareAgents;
    const byName = Object.fromEntries(agents.items.map((a) => [a.agent, a]));
    expect(byName.JS).toMatchObject({ replies: 1, firstResponses: 1, slaMet: 1 });
    expect(byName.JS!.medianFirstResponseMs).toBe(7 * MIN);
    expect(byName['Ana Lima']).toMatchObject({ medianFirstResponseMs: 20 * MIN, slaCompliance: 1 });
    expect(agents.unattributed).toBe(0);
  });

  it('counts a customer thank-you after the reply as a resolution worth money', async () => {
    await server.source.push([
      makeMention({
        id: 'thanks',
        createdAt: question.createdAt + 25 * MIN,
        inReplyToId: 'r-question',
        channel: 'reddit',
        text: 'That worked, thank you so much!'
      })
    ]);
    const v = (await call('GET', `/api/v1/care/value?from=${now - 60 * MIN}&to=${now + MIN}`))
      .body as unknown as CareValue;
    expect(v.resolution).toMatchObject({ answered: 2, resolved: 1, fcr: 1, movedToPrivate: 1 });
    expect(v.value.resolved).toBe(1);
    expect(v.value.savings).toBeGreaterThan(0);
    expect(v.value.explanation.length).toBeGreaterThan(2);
    expect(v.sources.map((s) => s.topic)).toContain('cost per contact');
    const bad = await call('GET', '/api/v1/care/value?from=10&to=5');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('from');
  });
});

describe('care settings', () => {
  it('validates, applies and keeps the policies', async () => {
    const bad = await call('PUT', '/api/v1/settings/care', { timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('timeZone');
    const settings = {
      timeZone: 'America/New_York',
      sla: {
        calendars: {},
        rules: [{ id: 'all', name: 'Everything', match: {}, targetMinutes: 5, calendar: '24x7' }]
      }
    };
    const ok = await call('PUT', '/api/v1/settings/care', settings);
    expect(ok.status).toBe(200);
    const praiseToo = makeMention({ id: 'praise-2', text: 'Great service today' });
    await server.source.push([praiseToo]);
    const q = await queue();
    expect(q.items.map((i) => i.id)).toContain('praise-2');
    expect(q.items.find((i) => i.id === 'praise-2')!.slaDueAt).toBe(praiseToo.createdAt + 5 * MIN);
    const got = await call('GET', '/api/v1/settings/care');
    expect(got.body).toMatchObject({ timeZone: 'America/New_York' });
  });
});

describe('a restart', () => {
  it('rebuilds the queue, the day’s first responses and agents active from SQLite', async () => {
    const dir = tempDataDir();
    const t = Date.now();
    const first = await startTestServer(dir.dir);
    try {
      const waiting = makeMention({
        id: 'still-open',
        createdAt: t - 20 * MIN,
        text: 'Where is my refund?'
      });
      const answered = makeMention({
        id: 'answered',
        createdAt: t - 30 * MIN,
        text: 'How do I reset it?'
      });
      await first.source.push([waiting, answered]);
      await first.source.push([
        makeReply(answered, {
          id: 'r-answered',
          createdAt: t - 25 * MIN,
          text: 'Hold the button ^KT'
        })
      ]);
    } finally {
      await first.close();
    }
    const second = await startTestServer(dir.dir);
    try {
      const res = await fetch(`${second.url}/api/v1/care/queue`, {
        headers: { authorization: `Bearer ${second.adminToken}` }
      });
      const q = (await res.json()) as CareQueue;
      expect(q.items.map((i) => i.id)).toEqual(['still-open']);
      expect(q.items[0]!.text).toBe('Where is my refund?');
      const client = connectClient(second.url, false, { token: second.adminToken });
      try {
        const s = await new Promise<CareSummary>((resolve) => client.once('care:summary', resolve));
        expect(s).toMatchObject({ depth: 1, agentsActive: 1 });
        expect(s.firstResponse.count).toBe(1);
        expect(s.compliance.day).toMatchObject({ met: 1, missed: 0 });
      } finally {
        client.close();
      }
    } finally {
      await second.close();
      dir.cleanup();
    }
  });
});
