import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeMention } from '../helpers/fixtures';
import { ADMIN_PASSWORD, adminHeaders, signIn } from '../helpers/e2e-auth';
import { watchErrors } from '../helpers/page-errors';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const TOKEN = 'e2e-token-0123456789abcdef';
const servers: ServerProcess[] = [];
const dirs: string[] = [];

async function serve(): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-e2e-alerts-'));
  dirs.push(dir);
  const s = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    INGEST_TOKEN: TOKEN,
    ADMIN_PASSWORD,
    ALERT_EVAL_MS: '250'
  });
  servers.push(s);
  return s;
}

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Adds a keyword rule that fires at once on `minCount` mentions of `term`. */
async function addKeywordRule(
  url: string,
  name: string,
  term: string,
  severity: 'warning' | 'critical'
): Promise<void> {
  const res = await fetch(`${url}/api/v1/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await adminHeaders(url)) },
    body: JSON.stringify({
      name,
      kind: 'keyword',
      enabled: true,
      severity,
      scope: {},
      forMs: 0,
      holdMs: 600_000,
      escalateAfterMs: null,
      terms: [term],
      minCount: 2,
      windowMs: 600_000
    })
  });
  expect(res.status).toBe(201);
}

/** Injects a burst of mentions through the ingest API. */
async function inject(url: string, texts: string[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/mentions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(texts.map((text) => makeMention({ text, createdAt: Date.now() })))
  });
  expect(res.status).toBe(202);
}

test('a burst raises a banner on the wall; acknowledging it in the console clears it', async ({
  browser
}) => {
  const server = await serve();
  await addKeywordRule(server.url, 'Melting chargers', 'melted', 'warning');
  const wall = await browser.newPage();
  const desk = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors = [...watchErrors(wall), ...watchErrors(desk)];
  await wall.goto(server.url);
  // The wall stays an anonymous viewer; the console is a signed-in administrator.
  await signIn(desk.context(), server.url);
  await desk.goto(`${server.url}/alerts`);

  await inject(server.url, [
    'My charger melted overnight!!',
    'Charger melted and nearly set fire to my desk <img src=x onerror=alert(1)>',
    'Mine melted too'
  ]);

  const banner = wall.getByTestId('alert-banner');
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toContainText(/melted/i);
  await expect(banner).toHaveAttribute('data-state', 'firing');
  // Its border pulses in steps: a compositor frame every half second, not 60 a second (a smooth
  // fade kept a 4K wall's compositor busy for as long as the alert fired).
  const pulse = await banner.evaluate((el) => {
    const after = getComputedStyle(el, '::after');
    return { name: after.animationName, timing: after.animationTimingFunction };
  });
  expect(pulse.name).toMatch(/pulse/);
  expect(pulse.timing).toBe('steps(3, jump-none)');

  // The console (a phone-sized screen) lists it live; open it and acknowledge.
  const row = desk.getByTestId('alert-row').filter({ hasText: /melted/i });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await row.click();
  await expect(desk).toHaveURL(/\/alerts\?id=/);
  await desk.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(row).toHaveAttribute('data-state', 'acknowledged', { timeout: 10_000 });

  // The wall's banner clears by itself.
  await expect(banner).toBeHidden({ timeout: 10_000 });
  // From the alert into the mentions behind it, and back.
  await desk.getByRole('link', { name: 'Drill down' }).click();
  await expect(desk).toHaveURL(/\/explore\?from=\d+&to=\d+&q=melted&alert=/);
  await expect(desk.getByTestId('explore-total')).toHaveText('3 mentions');
  await expect(desk.getByTestId('explore-mention').first()).toContainText(/melted/i);
  await desk.getByRole('link', { name: 'Back to the alert' }).click();
  await expect(desk).toHaveURL(/\/alerts\?id=/);
  // Mute the rule's notifications for an hour from the alert.
  await desk.getByRole('button', { name: 'Silence rule 1 h' }).click();
  await expect(desk.getByRole('status').filter({ hasText: 'silenced for an hour' })).toBeVisible();
  const silences = (await (
    await fetch(`${server.url}/api/v1/silences`, { headers: await adminHeaders(server.url) })
  ).json()) as {
    silences: { ruleId: string; createdBy: string }[];
  };
  expect(silences.silences).toEqual([
    expect.objectContaining({ ruleId: 'melting-chargers', createdBy: 'admin' })
  ]);
  // Mention text from the internet stayed text.
  expect(await wall.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
  expect(errors).toEqual([]);
  await wall.close();
  await desk.close();
});

test('a critical alert takes the wall over until it is acknowledged', async ({ page }) => {
  const server = await serve();
  await addKeywordRule(server.url, 'Recall', 'recall', 'critical');
  const errors = watchErrors(page);
  await signIn(page.context(), server.url);
  await page.goto(server.url);
  await inject(server.url, ['Is there a recall on the X200?', 'Recall notice for my scooter']);

  const takeover = page.getByTestId('crisis-takeover');
  await expect(takeover).toBeVisible({ timeout: 15_000 });
  await expect(takeover).toContainText(/recall/i);
  // The crisis clock runs from the onset.
  await expect(takeover).toContainText(/\d\d:\d\d/);
  // Its full-screen border pulses in steps, like the banner's.
  expect(
    await takeover.evaluate((el) => getComputedStyle(el, '::after').animationTimingFunction)
  ).toBe('steps(3, jump-none)');
  await takeover.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(takeover).toBeHidden({ timeout: 10_000 });
  const res = await fetch(`${server.url}/api/v1/alerts?state=open`);
  const { alerts } = (await res.json()) as { alerts: { state: string; ruleName: string }[] };
  expect(alerts.find((a) => a.ruleName === 'Recall')?.state).toBe('acknowledged');
  expect(errors).toEqual([]);
});

test('a fire drill runs from the console, labelled DRILL, and reports its times', async ({
  page
}) => {
  const server = await serve();
  const errors = watchErrors(page);
  await signIn(page.context(), server.url);
  await page.goto(`${server.url}/alerts`);
  await page.getByRole('button', { name: 'Start fire drill' }).click();
  const control = page.getByTestId('drill-control');
  await expect(control).toContainText('DRILL running');
  // The drill's alerts appear live, each labelled as a drill.
  const row = page.getByTestId('alert-row').filter({ hasText: 'DRILL' }).first();
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('drill-report')).toContainText(/detected in \d+ s/, {
    timeout: 10_000
  });
  await control.getByRole('button', { name: 'End drill' }).click();
  await expect(page.getByTestId('drill-report')).toContainText(/Drill finished/);
  // The rule editor is one click away, with the default rules.
  await page.getByRole('link', { name: 'Rules' }).click();
  await expect(page.getByTestId('rule-row').first()).toBeVisible();
  await page
    .getByTestId('rule-row')
    .filter({ hasText: 'keyword' })
    .first()
    .getByRole('button')
    .click();
  await page.getByRole('button', { name: 'Back-test' }).click();
  await expect(page.getByTestId('backtest-result')).toContainText(/This rule would/);
  expect(errors).toEqual([]);
});
