import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XSS_VECTORS } from '../fixtures/xss-vectors';
import { makeMention } from '../helpers/fixtures';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

/*
 * Every vector of the XSS corpus goes in through every door an outsider (mention text, author
 * handle and name, link) or an operator (topic names, alert notes, rule names, silence comments)
 * has, then the wall, the alerts console, the rule editor and the drill-down are visited. Nothing
 * may execute: `window.__xss` (what every vector calls) is never called, no dialog opens, no page
 * error is thrown, and no element carries an event-handler attribute or a script URL.
 */

const TOKEN = 'e2e-xss-ingest-token-0123456789';
const PASSWORD = 'xss-admin-password-42';
/** Limits of the schemas the vectors go through (see the report of each below). */
const TOPIC_NAME_MAX = 60;
const RULE_NAME_MAX = 120;
const SILENCE_COMMENT_MAX = 500;
const NOTE_MAX = 2000;
const HANDLE_MAX = 200;
const NAME_MAX = 300;
/** The mention `url` pattern (server/core/mention-schema.ts). */
const URL_PATTERN = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

/** Vectors usable as topic names (trimmed, 1–60 characters), with their index. */
const TOPIC_VECTORS = XSS_VECTORS.map((v, n) => ({ v, n })).filter(
  ({ v }) => v.trim().length > 0 && v.trim().length <= TOPIC_NAME_MAX
);

let server: ServerProcess | null = null;
let dir = '';

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What the page recorded: vectors that fired, dialogs, errors. */
interface Watch {
  errors: string[];
  dialogs: string[];
}

function watch(page: Page): Watch {
  const w: Watch = { errors: [], dialogs: [] };
  page.on('pageerror', (err) => w.errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') w.errors.push(`console: ${msg.text()}`);
  });
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return w;
}

/**
 * Looks for injected markup in the live DOM: event-handler attributes, script-ish URLs, corpus
 * calls in URL or style attributes or in scripts, and elements the app never renders.
 */
function scanDom(): string[] {
  const problems: string[] = [];
  const urlAttrs = new Set([
    'href',
    'xlink:href',
    'src',
    'srcdoc',
    'action',
    'formaction',
    'data',
    'background',
    'dynsrc',
    'lowsrc',
    'poster',
    'content'
  ]);
  // A same-origin link carrying a corpus string percent-encoded in its query (a filter of
  // /explore: an author, a topic, a term) is data, not markup.
  const inertQuery = (name: string, value: string): boolean => {
    if (name !== 'href') return false;
    try {
      const u = new URL(value, location.href);
      return (
        u.origin === location.origin &&
        !u.pathname.includes('__xss') &&
        !u.hash.includes('__xss') &&
        !/[<>"']/.test(u.search)
      );
    } catch {
      return false;
    }
  };
  const describe = (el: Element): string =>
    `<${el.tagName.toLowerCase()}${[...el.attributes].map((a) => ` ${a.name}="${a.value.slice(0, 80)}"`).join('')}>`;
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      // Browsers drop tabs, newlines and leading controls from URLs before reading the scheme.
      // eslint-disable-next-line no-control-regex
      const url = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) problems.push(`event-handler attribute ${name}: ${describe(el)}`);
      else if (urlAttrs.has(name) && /^(javascript|vbscript|data:text\/html)/.test(url)) {
        problems.push(`script URL in ${name}: ${describe(el)}`);
      } else if (
        (urlAttrs.has(name) || name === 'style') &&
        a.value.includes('__xss') &&
        !inertQuery(name, a.value)
      ) {
        problems.push(`corpus call in ${name}: ${describe(el)}`);
      }
    }
    if (el.tagName === 'SCRIPT' && (el.textContent ?? '').includes('__xss')) {
      problems.push(`script element with a corpus call: ${describe(el)}`);
    }
  }
  const foreign = document.querySelectorAll(
    'iframe, frame, frameset, object, embed, bgsound, marquee, isindex, keygen, xss, x, math, ' +
      'audio, video, details:not([data-ui]), base, link[href^="javascript" i], meta[http-equiv="refresh" i], ' +
      'img[src="x"], img[src="/"], img[src="#"], img[dynsrc], img[lowsrc], svg animate, svg set'
  );
  for (const el of foreign) problems.push(`foreign element: ${describe(el)}`);
  return problems;
}

/** The body's text (what the user sees as text). */
const bodyText = (page: Page): Promise<string> =>
  page.evaluate(() => document.body.textContent ?? '');

/** Asserts nothing fired, no dialog, no error, no injected markup on this page. */
async function assertClean(page: Page, w: Watch, where: string): Promise<void> {
  const fired = await page.evaluate(
    () => (window as unknown as { __xssFired?: unknown[] }).__xssFired ?? []
  );
  const vectors = fired.map((f) => `${String(f)}: ${XSS_VECTORS[Number(f)] ?? '(not a vector)'}`);
  expect(vectors, `vectors that executed on ${where}`).toEqual([]);
  expect(w.dialogs, `dialogs on ${where}`).toEqual([]);
  expect(w.errors, `errors on ${where}`).toEqual([]);
  expect(await page.evaluate(scanDom), `injected markup on ${where}`).toEqual([]);
}

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  return (await res.json()) as T;
}

test('every XSS vector stays text on the wall, the alerts console, the rules and the drill-down', async ({
  browser
}) => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'mc-e2e-xss-'));
  // Topic names from the corpus (each with its own keyword, so its mentions count for it).
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      topics: TOPIC_VECTORS.slice(0, 200).map(({ v, n }) => ({
        name: v,
        keywords: [`xsstopic${n}`]
      }))
    })
  );
  server = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    INGEST_TOKEN: TOKEN,
    ADMIN_PASSWORD: PASSWORD,
    ALERT_EVAL_MS: '250',
    CONFIG: configFile
  });
  const base = server.url;

  const context = await browser.newContext();
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { __xssFired?: unknown[] };
    const record = (n: unknown): void => {
      w.__xssFired = [...(w.__xssFired ?? []), n];
    };
    w.__xss = record;
    w.alert = (m?: unknown) => record(`alert:${String(m)}`);
    w.confirm = (m?: unknown) => {
      record(`confirm:${String(m)}`);
      return false;
    };
    w.prompt = (m?: unknown) => {
      record(`prompt:${String(m)}`);
      return null;
    };
  });
  const page = await context.newPage();
  const w = watch(page);
  const api = page.request;

  // Sign in as the administrator: the session cookie is the context's, for the pages too.
  const login = await api.post(`${base}/api/v1/auth/login`, {
    data: { username: 'admin', password: PASSWORD }
  });
  expect(login.status()).toBe(200);
  const { csrf } = await json<{ csrf: string }>(login);
  const mutate = { 'x-csrf-token': csrf };

  // 1. Mentions: text, handle, name (and the link where the vector is a valid http(s) URL).
  const startedAt = Date.now();
  const mentions = XSS_VECTORS.map((v, n) =>
    makeMention({
      id: `xss-${n}`,
      createdAt: startedAt - 1000 + n,
      text: `${v} recall xsstopic${n}`,
      author: {
        handle: v.length <= HANDLE_MAX ? v : `@xss${n}`,
        name: v.length <= NAME_MAX ? v : `xss ${n}`,
        followers: 1000 + n,
        verified: false
      },
      url: URL_PATTERN.test(v) ? v : null
    })
  );
  const ingest = await api.post(`${base}/api/v1/mentions`, {
    headers: { authorization: `Bearer ${TOKEN}` },
    data: mentions
  });
  expect(ingest.status()).toBe(202);
  const accepted = await json<{ accepted: number; rejected: unknown[] }>(ingest);
  expect(accepted.rejected).toEqual([]);

  // 2. The crisis keyword rule ("recall", 5 in 15 min) raises an alert.
  let alertId = '';
  await expect
    .poll(
      async () => {
        const res = await api.get(`${base}/api/v1/alerts?state=all`);
        const { alerts } = await json<{ alerts: { id: string; ruleId: string }[] }>(res);
        alertId = alerts.find((a) => a.ruleId === 'default-keyword-watchlist')?.id ?? '';
        return alertId;
      },
      { timeout: 15_000 }
    )
    .not.toBe('');

  // 3. Notes on that alert, rule names, silence comments: every vector the schemas accept.
  // One request at a time: the point is what is stored and shown, not concurrency.
  const rules: string[] = [];
  for (const [n, v] of XSS_VECTORS.entries()) {
    if (v.length <= NOTE_MAX) {
      const res = await api.post(`${base}/api/v1/alerts/${encodeURIComponent(alertId)}/note`, {
        headers: mutate,
        data: { text: v }
      });
      expect(res.status(), `note ${n}: ${await res.text()}`).toBe(200);
    }
    const name = v.trim();
    if (name.length > 0 && name.length <= RULE_NAME_MAX) {
      const res = await api.post(`${base}/api/v1/rules`, {
        headers: mutate,
        data: {
          id: `xss-rule-${n}`,
          name: v,
          kind: 'keyword',
          enabled: false,
          severity: 'info',
          scope: {},
          forMs: 0,
          holdMs: 0,
          escalateAfterMs: null,
          terms: [`xssrule${n}`],
          minCount: 1,
          windowMs: 60_000
        }
      });
      expect(res.status(), `rule ${n}: ${await res.text()}`).toBe(201);
      rules.push(`xss-rule-${n}`);
    }
  }
  await Promise.all(
    XSS_VECTORS.map(async (v, n) => {
      if (v.length > SILENCE_COMMENT_MAX) return;
      const res = await api.post(`${base}/api/v1/silences`, {
        headers: mutate,
        data: { ruleId: rules[n % rules.length], minutes: 60, comment: v }
      });
      expect(res.status(), `silence ${n}: ${await res.text()}`).toBe(201);
    })
  );
  // The API gives every string back unchanged (no lossy "sanitising" on the way in).
  const silences = await json<{ silences: { comment: string }[] }>(
    await api.get(`${base}/api/v1/silences`)
  );
  expect(new Set(silences.silences.map((s) => s.comment))).toEqual(
    new Set(XSS_VECTORS.filter((v) => v.length <= SILENCE_COMMENT_MAX))
  );

  // 4. The wall: the river, the author names, the topics panel, the crisis takeover.
  await page.goto(base);
  await expect(page.getByTestId('river-item').first()).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => bodyText(page), { timeout: 10_000 }).toContain('__xss(');
  await expect
    .poll(async () => (await page.getByTestId('topic-row').allTextContents()).join('\n'), {
      timeout: 10_000
    })
    .toMatch(/<[a-z]+[^\n]*__xss\(\d+\)/i);
  expect(await bodyText(page)).toMatch(/<(script|img|svg)\b/i);
  await assertClean(page, w, '/');

  // 5. The alerts console and the alert's detail (title, samples, the notes in the timeline,
  // which keeps the most recent entries).
  await page.goto(`${base}/alerts`);
  const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
  await expect(row).toBeVisible({ timeout: 10_000 });
  await row.click();
  await expect(page.getByTestId('alert-detail')).toBeVisible();
  await expect
    .poll(() => page.getByTestId('alert-timeline').textContent(), { timeout: 10_000 })
    .toContain(XSS_VECTORS.at(-1));
  const timeline = (await page.getByTestId('alert-timeline').textContent()) ?? '';
  const notesShown = XSS_VECTORS.filter((v) => timeline.includes(v.trim())).length;
  expect(notesShown).toBeGreaterThan(XSS_VECTORS.length / 2);
  await assertClean(page, w, '/alerts?id=…');

  // 6. The rule editor lists every rule by its name.
  await page.goto(`${base}/alerts/rules`);
  await expect(page.locator('[data-rule-id="xss-rule-0"]')).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('[data-rule-id="xss-rule-0"]')).toContainText(XSS_VECTORS[0]!);
  await assertClean(page, w, '/alerts/rules');

  // 7. The drill-down over the injected mentions, and searches for a few vectors.
  const from = startedAt - 60_000;
  const to = Date.now() + 60_000;
  await page.goto(`${base}/explore?from=${from}&to=${to}`);
  await expect(page.getByTestId('explore-mention').first()).toBeVisible({ timeout: 10_000 });
  await expect
    .poll(async () => (await page.getByTestId('explore-mention').allTextContents()).join('\n'))
    .toContain('__xss(');
  await assertClean(page, w, '/explore');
  const searched = [
    0,
    XSS_VECTORS.findIndex((v) => v.startsWith('"><script>')),
    XSS_VECTORS.findIndex((v) => v.startsWith('{{constructor')),
    XSS_VECTORS.findIndex((v) => v.startsWith('<a href="javascript:')),
    XSS_VECTORS.findIndex((v) => v.startsWith('<svg onload'))
  ];
  for (const n of searched) {
    const v = XSS_VECTORS[n]!;
    await page.goto(`${base}/explore?from=${from}&to=${to}&q=${encodeURIComponent(v)}`);
    await expect(page.getByTestId('explore-total')).toBeVisible({ timeout: 10_000 });
    await expect(page.getByLabel('Text', { exact: true })).toHaveValue(v);
    await assertClean(page, w, `/explore?q=<vector ${n}>`);
  }
  await context.close();
});
