import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NotificationDispatcher,
  type DeliveryResult,
  type RetryTimers
} from '../../server/adapters/notifiers/dispatcher';
import { createEmailNotifier } from '../../server/adapters/notifiers/email';
import { webhookFromEnv } from '../../server/adapters/notifiers/from-env';
import { createSlackNotifier } from '../../server/adapters/notifiers/slack';
import { createTeamsNotifier } from '../../server/adapters/notifiers/teams';
import type {
  NotificationMessage,
  Notifier,
  SendResult
} from '../../server/adapters/notifiers/types';
import { createWebhookNotifier } from '../../server/adapters/notifiers/webhook';
import type { RetryOptions } from '../../server/core/alerts/notify-policy';

const SECRET = 'integration-secret-0123456789';
const FAST_RETRY: RetryOptions = { maxAttempts: 5, backoff: { baseMs: 10, maxMs: 50 } };

function message(over: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    alertId: 'al-1',
    ruleId: 'volume',
    event: 'firing',
    title: 'Volume spike',
    severity: 'critical',
    state: 'firing',
    drill: false,
    at: Date.parse('2025-03-01T09:00:00Z'),
    observed: 412,
    expected: 120,
    lower: 90,
    upper: 150,
    unit: '/min',
    drivers: [{ kind: 'hashtag', name: '#outage', share: 0.62 }],
    samples: [{ author: '@ana', text: 'Is the app <b>down</b>?', url: 'https://example.com/p/1' }],
    link: 'https://mc.example.com/drill?alert=al-1',
    escalationLevel: 0,
    ...over
  };
}

/** How the receiver answers one request. */
type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A loopback HTTP receiver: answers each path from a script (then 200), records requests. */
class Receiver {
  readonly received: Received[] = [];
  private scripts = new Map<string, Answer[]>();
  private constructor(
    private readonly server: Server,
    readonly base: string
  ) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const r = new Receiver(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => r.handle(req, res));
    return r;
  }

  script(path: string, answers: Answer[]): void {
    this.scripts.set(path, [...answers]);
  }

  reset(): void {
    this.received.length = 0;
    this.scripts.clear();
  }

  requests(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      const answer = this.scripts.get(path)?.shift() ?? { status: 200, body: 'ok' };
      if (answer === 'hang') return; // never answers; the client's timeout must fire
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Verifies `X-Signature: sha256=<hex>` over the raw body, in constant time. */
function signatureValid(r: Received, secret: string): boolean {
  const header = r.headers['x-signature'];
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const got = Buffer.from(header.slice('sha256='.length), 'hex');
  const want = createHmac('sha256', secret).update(r.body).digest();
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A dispatcher over `channels` that collects every result. */
function dispatcher(
  channels: Notifier[],
  extra: Partial<ConstructorParameters<typeof NotificationDispatcher>[0]> = {}
): { d: NotificationDispatcher; results: DeliveryResult[] } {
  const results: DeliveryResult[] = [];
  const d = new NotificationDispatcher({
    channels,
    retry: FAST_RETRY,
    onResult: (r) => results.push(r),
    ...extra
  });
  return { d, results };
}

let http: Receiver;
beforeAll(async () => {
  http = await Receiver.start();
});
afterAll(async () => {
  await http.close();
});
beforeEach(() => http.reset());

describe('HTTP channels through the dispatcher', () => {
  it('retries a 503 twice with backoff; the third attempt succeeds; HMAC verifies', async () => {
    http.script('/hook', [{ status: 503 }, { status: 503, headers: { 'retry-after': '0' } }]);
    const hook = webhookFromEnv({
      NOTIFY_WEBHOOK_URL: `${http.base}/hook`,
      NOTIFY_WEBHOOK_SECRET: SECRET
    })!;
    const { d, results } = dispatcher([hook]);
    d.dispatch(message());
    await d.idle();
    expect(results.map((r) => [r.attempt, r.reason, r.status])).toEqual([
      [1, 'retrying', 503],
      [2, 'retrying', 503],
      [3, 'sent', 200]
    ]);
    expect(results[0]).toMatchObject({ alertId: 'al-1', channelId: 'webhook', ok: false });
    expect(results[0]!.error).toMatch(/^HTTP 503 Service Unavailable/);
    expect(results[0]!.retryInMs).toBeGreaterThanOrEqual(5);
    const seen = http.requests('/hook');
    expect(seen).toHaveLength(3);
    for (const r of seen) {
      expect(signatureValid(r, SECRET)).toBe(true);
      expect(signatureValid(r, `${SECRET}x`)).toBe(false);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(JSON.parse(seen[2]!.body.toString('utf8'))).toEqual(message());
    expect(d.pendingCount()).toBe(0);
    d.stop();
  });

  it('does not retry a 400, and a later repeat of the alert may be sent again', async () => {
    http.script('/bad', [{ status: 400, body: 'bad payload' }]);
    const hook = createWebhookNotifier({ url: `${http.base}/bad` });
    const { d, results } = dispatcher([hook]);
    d.dispatch(message());
    await d.idle();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      attempt: 1,
      ok: false,
      status: 400,
      reason: 'not-retryable',
      error: 'HTTP 400 Bad Request: bad payload'
    });
    expect(http.requests('/bad')).toHaveLength(1);
    expect(http.requests('/bad')[0]!.headers['x-signature']).toBeUndefined();
    // The failed delivery's dedup entry was undone: the same event is tried again.
    d.dispatch(message());
    await d.idle();
    expect(results.map((r) => r.reason)).toEqual(['not-retryable', 'sent']);
    d.stop();
  });

  it('a timeout is retryable', async () => {
    http.script('/slow', ['hang']);
    const hook = createWebhookNotifier({ url: `${http.base}/slow`, timeoutMs: 150 });
    const { d, results } = dispatcher([hook]);
    d.dispatch(message());
    await d.idle();
    expect(results.map((r) => [r.attempt, r.reason])).toEqual([
      [1, 'retrying'],
      [2, 'sent']
    ]);
    expect(results[0]!.error).toBe('timed out after 150 ms');
    d.stop();
  });

  it('gives up after maxAttempts, and a refused connection is retryable', async () => {
    const closed = await Receiver.start();
    const url = `${closed.base}/gone`;
    await closed.close();
    const { d, results } = dispatcher([createWebhookNotifier({ url })], {
      retry: { maxAttempts: 3, backoff: { baseMs: 5, maxMs: 10 } }
    });
    d.dispatch(message());
    await d.idle();
    expect(results.map((r) => r.reason)).toEqual(['retrying', 'retrying', 'gave-up']);
    expect(results[0]!.error).toMatch(/^network error: .*ECONNREFUSED/);
  });

  it('posts Slack and Teams payloads; a DRILL is labelled in both', async () => {
    const slack = createSlackNotifier({ url: `${http.base}/slack` });
    const teams = createTeamsNotifier({ url: `${http.base}/teams` });
    const { d, results } = dispatcher([slack, teams]);
    d.dispatch(message({ drill: true }));
    await d.idle();
    expect(results.map((r) => [r.channelId, r.reason])).toEqual(
      expect.arrayContaining([
        ['slack', 'sent'],
        ['teams', 'sent']
      ])
    );
    const s = JSON.parse(http.requests('/slack')[0]!.body.toString('utf8')) as {
      text: string;
      blocks: { type: string }[];
    };
    expect(s.text.startsWith('[DRILL] Volume spike: 412/min')).toBe(true);
    expect(s.blocks[0]!.type).toBe('header');
    const t = JSON.parse(http.requests('/teams')[0]!.body.toString('utf8')) as {
      summary: string;
      attachments: { content: { type: string } }[];
    };
    expect(t.summary.startsWith('[DRILL] ')).toBe(true);
    expect(t.attachments[0]!.content.type).toBe('AdaptiveCard');
    d.stop();
  });

  it('treats a Teams connector 200 carrying "HTTP error 429" as a retryable failure', async () => {
    http.script('/teams-busy', [
      { status: 200, body: 'Microsoft Teams endpoint returned HTTP error 429 with ContextId x' }
    ]);
    const { d, results } = dispatcher([createTeamsNotifier({ url: `${http.base}/teams-busy` })]);
    d.dispatch(message());
    await d.idle();
    expect(results.map((r) => [r.reason, r.status])).toEqual([
      ['retrying', 429],
      ['sent', 200]
    ]);
    d.stop();
  });
});

/** Timers the test advances by hand. */
class ManualTimers implements RetryTimers {
  private next = 1;
  readonly jobs = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly clock: { t: number }) {}
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.jobs.set(id, { at: this.clock.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.jobs.delete(handle as number);
  }
  /** Advances the clock and runs every job that has come due. */
  advance(ms: number): void {
    this.clock.t += ms;
    for (const [id, job] of [...this.jobs]) {
      if (job.at <= this.clock.t) {
        this.jobs.delete(id);
        job.fn();
      }
    }
  }
}

/** A channel that answers from a script (then ok), counting sends. */
function scripted(id: string, answers: SendResult[]): Notifier & { sends: number } {
  const n = {
    id,
    kind: 'webhook' as const,
    sends: 0,
    send(): Promise<SendResult> {
      n.sends++;
      return Promise.resolve(answers.shift() ?? { ok: true, status: 200 });
    }
  };
  return n;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('dispatcher with an injected clock and timers', () => {
  const T0 = Date.parse('2025-03-01T09:00:00Z');

  it('waits the backoff on the injected timers; stop() cancels the pending retry', async () => {
    const clock = { t: T0 };
    const timers = new ManualTimers(clock);
    const ch = scripted('a', [{ ok: false, retryable: true, error: 'HTTP 502', status: 502 }]);
    const { d, results } = dispatcher([ch], {
      timers,
      now: () => clock.t,
      random: () => 0,
      retry: { maxAttempts: 3, backoff: { baseMs: 1000, maxMs: 8000 } }
    });
    d.dispatch(message());
    await flush();
    expect(results.map((r) => [r.reason, r.retryInMs, r.at])).toEqual([['retrying', 500, T0]]);
    timers.advance(499);
    await flush();
    expect(ch.sends).toBe(1);
    timers.advance(1);
    await flush();
    expect(ch.sends).toBe(2);
    expect(results.at(-1)).toMatchObject({ reason: 'sent', attempt: 2, at: T0 + 500 });

    // A second failure leaves a retry pending; stop() cancels it and idle() resolves.
    const ch2 = scripted('b', [{ ok: false, retryable: true, error: 'timeout' }]);
    const second = dispatcher([ch2], { timers, now: () => clock.t, random: () => 0 });
    second.d.dispatch(message());
    await flush();
    expect(timers.jobs.size).toBe(1);
    second.d.stop();
    expect(timers.jobs.size).toBe(0);
    await second.d.idle();
    second.d.dispatch(message({ alertId: 'after-stop' }));
    await flush();
    expect(ch2.sends).toBe(1);
    d.stop();
  });

  it('applies silence, dedup and the rate limit per channel, reporting each', async () => {
    const clock = { t: T0 };
    const a = scripted('a', []);
    const b = scripted('b', []);
    const { d, results } = dispatcher([a, b], {
      now: () => clock.t,
      timers: new ManualTimers(clock),
      policy: { maxPerRulePerHour: 2, repeatIntervalMs: 600_000 }
    });
    d.setSilences([{ id: 's', ruleId: 'quiet', alertId: null, startsAt: T0, endsAt: T0 + 60_000 }]);
    d.dispatch(message({ alertId: 'x1' }));
    d.dispatch(message({ alertId: 'x1' })); // duplicate on both channels
    d.dispatch(message({ alertId: 'x2' }), ['b']); // only channel b
    d.dispatch(message({ alertId: 'x3' })); // a: 2nd send; b: rate-limited (3rd)
    d.dispatch(message({ alertId: 'q', ruleId: 'quiet' }));
    await d.idle();
    const by = (ch: string): string[] =>
      results.filter((r) => r.channelId === ch).map((r) => `${r.alertId}:${r.reason}`);
    expect(by('a').sort()).toEqual(['q:silenced', 'x1:duplicate', 'x1:sent', 'x3:sent'].sort());
    expect(by('b').sort()).toEqual(
      ['q:silenced', 'x1:duplicate', 'x1:sent', 'x2:sent', 'x3:rate-limited'].sort()
    );
    expect(results.filter((r) => r.attempt === 0).every((r) => !r.ok)).toBe(true);
    d.stop();
  });

  it('is bounded and never throws: queue-full, a throwing channel and callback', async () => {
    const clock = { t: T0 };
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Notifier = {
      id: 'slow',
      kind: 'webhook',
      send: async () => {
        await gate;
        return { ok: true };
      }
    };
    const results: DeliveryResult[] = [];
    const d = new NotificationDispatcher({
      channels: [slow],
      now: () => clock.t,
      maxPending: 2,
      maxConcurrent: 1,
      onResult: (r) => {
        results.push(r);
        throw new Error('timeline down');
      }
    });
    for (let i = 0; i < 4; i++) d.dispatch(message({ alertId: `m${i}` }));
    expect(d.pendingCount()).toBe(2);
    expect(results.map((r) => `${r.alertId}:${r.reason}`)).toEqual([
      'm2:queue-full',
      'm3:queue-full'
    ]);
    release();
    await d.idle();
    expect(results.filter((r) => r.reason === 'sent')).toHaveLength(2);

    const broken: Notifier = {
      id: 'broken',
      kind: 'webhook',
      send: () => Promise.reject(new Error('boom'))
    };
    const second = dispatcher([broken]);
    second.d.dispatch(message());
    await second.d.idle();
    expect(second.results).toEqual([
      expect.objectContaining({ reason: 'not-retryable', error: 'channel threw: boom' })
    ]);
    expect(() => new NotificationDispatcher({ channels: [slow, slow] })).toThrow(/used twice/);
    d.stop();
  });
});

/** Decodes a quoted-printable or base64 MIME body to text. */
function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString();
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`)
      .replace(/%(?![0-9A-F]{2})/gi, '%25');
    return decodeURIComponent(bytes);
  }
  return body;
}

/** The text/plain and text/html parts of a raw MIME message, decoded. */
function mimeParts(raw: string): { headers: string; parts: Record<string, string> } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  const parts: Record<string, string> = {};
  const chunks = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const chunk of chunks) {
    const at = chunk.indexOf('\r\n\r\n');
    const h = chunk.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
    const type = /content-type:\s*([^;\r\n]+)/i.exec(h)?.[1]?.trim() ?? 'text/plain';
    const enc = /content-transfer-encoding:\s*(\S+)/i.exec(h)?.[1]?.toLowerCase() ?? '7bit';
    parts[type] = decodeBody(chunk.slice(at + 4).replace(/\r\n$/, ''), enc);
  }
  return { headers, parts };
}

describe('email through a local SMTP server', () => {
  interface Mail {
    from: string;
    to: string[];
    raw: string;
  }
  const inbox: Mail[] = [];
  let smtp: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8')
          });
          callback();
        });
      }
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    port = (smtp.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('delivers subject, text and escaped HTML; a drill is labelled', async () => {
    const email = createEmailNotifier({
      host: '127.0.0.1',
      port,
      ignoreTLS: true,
      from: 'alerts@mc.test',
      to: ['oncall@mc.test', 'lead@mc.test'],
      timeoutMs: 5000
    });
    const { d, results } = dispatcher([email]);
    d.dispatch(message({ drill: true, title: 'Volume spike <img src=x onerror=alert(1)>' }));
    await d.idle();
    expect(results.map((r) => [r.channelId, r.reason, r.ok])).toEqual([['email', 'sent', true]]);
    expect(inbox).toHaveLength(1);
    const mail = inbox[0]!;
    expect(mail.from).toBe('alerts@mc.test');
    expect(mail.to).toEqual(['oncall@mc.test', 'lead@mc.test']);
    const { headers, parts } = mimeParts(mail.raw);
    expect(headers).toContain(
      'Subject: [DRILL] [CRITICAL] FIRING: Volume spike <img src=x onerror=alert(1)>'
    );
    expect(headers).toContain('X-Mission-Control-Alert: al-1');
    const text = parts['text/plain']!;
    expect(text).toContain('412/min vs 120 expected (band 90–150)');
    expect(text).toContain('Drivers: #outage 62%');
    expect(text).toContain('- @ana: Is the app <b>down</b>? (https://example.com/p/1)');
    expect(text).toContain('Drill-down: https://mc.example.com/drill?alert=al-1');
    const html = parts['text/html']!;
    expect(html).toContain('<strong>DRILL</strong>');
    expect(html).toContain('Volume spike &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Is the app &lt;b&gt;down&lt;/b&gt;?');
    expect(html).not.toContain('<img');
    expect(html).toContain('href="https://mc.example.com/drill?alert=al-1"');
    email.close?.();
    d.stop();
  });

  it('an unreachable SMTP server is a retryable failure', async () => {
    const email = createEmailNotifier({
      host: '127.0.0.1',
      port: 1,
      from: 'alerts@mc.test',
      to: 'oncall@mc.test',
      timeoutMs: 1000
    });
    const r = await email.send(message());
    expect(r).toMatchObject({ ok: false, retryable: true });
    email.close?.();
  });
});
