import { describe, expect, it } from 'vitest';
import { emailContent, classifyMailError } from '../../server/adapters/notifiers/email';
import {
  escapeHtml,
  escapeMarkdown,
  escapeSlack,
  formatMeasure,
  notificationTitle,
  oneLine,
  renderHtml,
  renderText,
  safeHttpUrl,
  summaryLine
} from '../../server/adapters/notifiers/format';
import { slackPayload } from '../../server/adapters/notifiers/slack';
import { inspectTeamsAnswer, teamsPayload } from '../../server/adapters/notifiers/teams';
import type { NotificationMessage } from '../../server/adapters/notifiers/types';
import {
  isRetryableStatus,
  parseRetryAfter,
  signBody,
  webhookBody
} from '../../server/adapters/notifiers/webhook';
import { parseNotifyEnv, webhookFromEnv } from '../../server/adapters/notifiers/from-env';
import { ConfigError } from '../../server/config';

const XSS = '<img src=x onerror=alert(1)>';

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
    drivers: [
      { kind: 'hashtag', name: '#outage', share: 0.62 },
      { kind: 'channel', name: 'x', share: 0.2 }
    ],
    samples: [
      { author: '@ana', text: 'Is the app down?', url: 'https://example.com/p/1' },
      { author: '@bo', text: 'Same here', url: null },
      { author: '@cy', text: 'Login fails', url: 'javascript:alert(1)' }
    ],
    link: 'https://mc.example.com/drill?from=1&to=2',
    escalationLevel: 0,
    ...over
  };
}

/** Every string inside a JSON-like value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe('shared text rendering', () => {
  it('renders the one-line summary', () => {
    expect(summaryLine(message())).toBe(
      'Volume spike: 412/min vs 120 expected (band 90–150) · drivers: #outage 62%, x 20% · ' +
        '3 sample mentions · https://mc.example.com/drill?from=1&to=2'
    );
    expect(summaryLine(message({ observed: null, drivers: [], samples: [], link: 'nope' }))).toBe(
      'Volume spike'
    );
  });

  it.each([
    [412.4, '/min', '412/min'],
    [12.345, '%', '12.3%'],
    [3.456, 's', '3.46 s'],
    [12345, '', '12,345'],
    [0, '/min', '0/min']
  ])('formats %f %s as %s', (v, unit, expected) => {
    expect(formatMeasure(v, unit)).toBe(expected);
  });

  it.each([
    [{}, '[CRITICAL] FIRING: Volume spike'],
    [{ drill: true }, '[DRILL] [CRITICAL] FIRING: Volume spike'],
    [{ event: 'escalated', escalationLevel: 2 }, '[CRITICAL] ESCALATED (level 2): Volume spike'],
    [{ event: 'resolved', severity: 'info', drill: true }, '[DRILL] [INFO] RESOLVED: Volume spike'],
    [{ title: 'a\r\nBcc: evil@example.com' }, '[CRITICAL] FIRING: a Bcc: evil@example.com']
  ] as [Partial<NotificationMessage>, string][])('title of %o', (over, expected) => {
    expect(notificationTitle(message(over))).toBe(expected);
  });

  it('cleans untrusted text: controls, bidi overrides, length', () => {
    expect(oneLine('a\u0000b\u202Ec\n\td')).toBe('a b c d');
    expect(oneLine('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl('https://a.example/x')).toBe('https://a.example/x');
  });

  it('lists samples and the link in the text body, only http(s) urls', () => {
    const text = renderText(message({ drill: true }));
    expect(text.startsWith('[DRILL] [CRITICAL] FIRING: Volume spike\n')).toBe(true);
    expect(text).toContain('- @ana: Is the app down? (https://example.com/p/1)');
    expect(text).toContain('- @cy: Login fails\n');
    expect(text).toContain('Drill-down: https://mc.example.com/drill?from=1&to=2');
    expect(text).not.toContain('javascript:');
  });
});

describe('HTML escaping of untrusted strings', () => {
  const hostile = message({
    title: `Spike ${XSS}`,
    state: XSS,
    drivers: [{ kind: 'hashtag', name: XSS, share: 0.5 }],
    samples: [
      {
        author: `"><script>alert(1)</script>`,
        text: XSS,
        url: `https://e.example/"onmouseover="x`
      },
      { author: 'x', text: 'y', url: 'javascript:alert(1)' }
    ]
  });

  it('escapes every title, state, driver, author and mention text in the email HTML', () => {
    const { html, subject } = emailContent(hostile);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('javascript:');
    expect(html).not.toMatch(/"\s*onmouseover=/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    // The subject is a plain header: no escaping, but no line breaks either.
    expect(subject).toBe(`[CRITICAL] FIRING: Spike ${XSS}`);
    expect(renderHtml(message())).toContain(
      '<a href="https://mc.example.com/drill?from=1&amp;to=2">Open the drill-down</a>'
    );
  });

  it.each([
    ['html', escapeHtml, `&lt;img src=x onerror=alert(1)&gt;`],
    ['slack', escapeSlack, `&lt;img src=x onerror=alert(1)&gt;`],
    ['markdown', escapeMarkdown, `\\<img src=x onerror=alert\\(1\\)\\>`]
  ])('%s escaping of the XSS string', (_name, escape, expected) => {
    expect(escape(XSS)).toBe(expected);
  });

  it('defuses Slack pings and Markdown links smuggled in a mention', () => {
    expect(escapeSlack('<!channel> & <https://evil|click>')).toBe(
      '&lt;!channel&gt; &amp; &lt;https://evil|click&gt;'
    );
    expect(escapeMarkdown('[click](https://evil) **bold**')).toBe(
      '\\[click\\]\\(https://evil\\) \\*\\*bold\\*\\*'
    );
    expect(escapeMarkdown('- item')).toBe('\\- item');
  });

  it('leaves no raw markup in the Slack and Teams payloads', () => {
    const slack = slackPayload(hostile);
    // The header is plain_text, which Slack never parses; everything else is mrkdwn.
    for (const s of [slack.text, ...strings(slack.blocks.slice(1))]) {
      expect(s).not.toMatch(/<img|<script/);
    }
    const teams = teamsPayload(hostile);
    // Card text is Markdown: a backslash-escaped bracket is literal.
    for (const s of strings(teams.attachments[0]!.content.body)) {
      // Our own "[open](url)" link after a sample is the only markup allowed.
      expect(s.replace(/ \[open\]\(https:[^\s()]*\)$/, '')).not.toMatch(/(?<!\\)[<[(]/);
    }
    for (const p of [slack, teams]) expect(JSON.stringify(p)).not.toContain('javascript:');
  });
});

describe('channel payloads', () => {
  it('webhook: the body is the message as JSON, signed over the exact bytes', () => {
    const m = message();
    const body = webhookBody(m);
    expect(JSON.parse(body)).toEqual(m);
    const sig = signBody(body, 'a-secret-of-16-chars');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signBody(Buffer.from(body), 'a-secret-of-16-chars')).toBe(sig);
    expect(signBody(`${body} `, 'a-secret-of-16-chars')).not.toBe(sig);
  });

  it('slack: text fallback plus header, section, context and a drill-down button', () => {
    const p = slackPayload(message());
    expect(p.text).toBe(escapeSlack(summaryLine(message())));
    expect(p.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context', 'actions']);
    expect(p.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[CRITICAL] FIRING: Volume spike' }
    });
    const section = p.blocks[1] as unknown as { text: { type: string; text: string } };
    expect(section.text.type).toBe('mrkdwn');
    expect(section.text.text).toContain('*Observed:* 412/min vs 120 expected (band 90–150)');
    expect(section.text.text).toContain('*Drivers:* #outage 62%, x 20%');
    const context = p.blocks[2] as unknown as { elements: { text: string }[] };
    expect(context.elements).toHaveLength(3);
    expect(context.elements[0]!.text).toBe(
      '*@ana*: Is the app down? <https://example.com/p/1|open>'
    );
    const actions = p.blocks[3] as unknown as { elements: { url: string; style: string }[] };
    expect(actions.elements[0]).toMatchObject({
      url: 'https://mc.example.com/drill?from=1&to=2',
      style: 'danger'
    });
  });

  it('teams: one Adaptive Card with facts, samples and an OpenUrl action', () => {
    const p = teamsPayload(message());
    expect(p.type).toBe('message');
    expect(p.attachments).toHaveLength(1);
    const card = p.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.content.body[0]).toMatchObject({
      type: 'TextBlock',
      text: '\\[CRITICAL\\] FIRING: Volume spike',
      color: 'Attention'
    });
    const facts = card.content.body.find((b) => b.type === 'FactSet') as unknown as {
      facts: { title: string; value: string }[];
    };
    expect(facts.facts.map((f) => f.title)).toEqual(['Observed', 'Drivers', 'State', 'When']);
    expect(card.content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open drill-down',
        url: 'https://mc.example.com/drill?from=1&to=2'
      }
    ]);
  });

  it.each([
    ['webhook', (m: NotificationMessage) => JSON.parse(webhookBody(m)).drill === true],
    ['slack text', (m: NotificationMessage) => slackPayload(m).text.startsWith('[DRILL] ')],
    [
      'slack header',
      (m: NotificationMessage) =>
        (slackPayload(m).blocks[0] as unknown as { text: { text: string } }).text.text.startsWith(
          '[DRILL] '
        )
    ],
    ['teams summary', (m: NotificationMessage) => teamsPayload(m).summary.startsWith('[DRILL] ')],
    [
      'teams title',
      (m: NotificationMessage) =>
        String(teamsPayload(m).attachments[0]!.content.body[0]!.text).startsWith('\\[DRILL\\] ')
    ],
    ['email subject', (m: NotificationMessage) => emailContent(m).subject.startsWith('[DRILL] ')],
    ['email text', (m: NotificationMessage) => emailContent(m).text.startsWith('[DRILL] ')],
    ['email html', (m: NotificationMessage) => emailContent(m).html.includes('[DRILL] [CRITICAL]')]
  ])('a drill is labelled DRILL in the %s, a real alert is not', (_name, isDrill) => {
    expect(isDrill(message({ drill: true }))).toBe(true);
    expect(isDrill(message({ drill: false }))).toBe(false);
  });

  it('a drill never gets the red "danger" Slack button', () => {
    const p = slackPayload(message({ drill: true }));
    expect(
      (p.blocks.at(-1) as unknown as { elements: { style: string }[] }).elements[0]!.style
    ).toBe('primary');
  });
});

describe('failure classification', () => {
  it.each([
    [400, false],
    [401, false],
    [404, false],
    [408, true],
    [410, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true]
  ])('HTTP %i retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it('reads Retry-After as seconds or a date', () => {
    const now = Date.parse('2025-03-01T09:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 09:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('sees the error inside a Teams connector 200', () => {
    expect(inspectTeamsAnswer(200, '1')).toBeNull();
    expect(
      inspectTeamsAnswer(200, 'Microsoft Teams endpoint returned HTTP error 429 with ContextId x')
    ).toMatchObject({ ok: false, retryable: true, status: 429 });
  });

  it.each([
    [{ code: 'ECONNECTION', message: 'closed' }, true],
    [{ code: 'ETIMEDOUT', message: 'timeout' }, true],
    [{ code: 'EAUTH', message: 'bad login', responseCode: 535, permanent: true }, false],
    [{ code: 'EENVELOPE', message: 'no recipients' }, false],
    [{ code: 'EENVELOPE', message: 'mailbox busy', responseCode: 450 }, true],
    [{ code: 'EMESSAGE', message: 'rejected', responseCode: 554 }, false],
    [{ code: 'EPROTOCOL', message: 'bad sequence', responseCode: 503 }, true]
  ])('SMTP error %o retryable: %s', (err, retryable) => {
    expect(classifyMailError(Object.assign(new Error(err.message), err))).toMatchObject({
      ok: false,
      retryable
    });
  });
});

describe('NOTIFY_WEBHOOK_URL / NOTIFY_WEBHOOK_SECRET', () => {
  it('builds the default webhook channel, or none when unset', () => {
    expect(parseNotifyEnv({})).toBeNull();
    expect(parseNotifyEnv({ NOTIFY_WEBHOOK_URL: '' })).toBeNull();
    expect(parseNotifyEnv({ NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/x' })).toEqual({
      url: 'https://hooks.example.com/x',
      secret: null
    });
    const n = webhookFromEnv({
      NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      NOTIFY_WEBHOOK_SECRET: 'sixteen-chars-ok'
    });
    expect(n).toMatchObject({ id: 'webhook', kind: 'webhook' });
  });

  it.each([
    [{ NOTIFY_WEBHOOK_URL: 'not a url' }, /NOTIFY_WEBHOOK_URL: must be an absolute http/],
    [{ NOTIFY_WEBHOOK_URL: 'ftp://files.example.com/t0ken' }, /NOTIFY_WEBHOOK_URL: .*got ftp:/],
    [
      { NOTIFY_WEBHOOK_URL: 'https://h.example', NOTIFY_WEBHOOK_SECRET: 'short' },
      /NOTIFY_WEBHOOK_SECRET: must be at least 16 characters/
    ],
    [{ NOTIFY_WEBHOOK_SECRET: 'sixteen-chars-ok' }, /NOTIFY_WEBHOOK_SECRET: is set but/]
  ])('rejects %o with a ConfigError naming the variable', (env, message) => {
    expect(() => parseNotifyEnv(env)).toThrow(ConfigError);
    expect(() => parseNotifyEnv(env)).toThrow(message);
  });

  it('never echoes the URL (it may carry a token)', () => {
    expect(() => parseNotifyEnv({ NOTIFY_WEBHOOK_URL: 'ftp://files.example.com/t0ken' })).toThrow(
      /^(?!.*t0ken)/s
    );
  });
});
