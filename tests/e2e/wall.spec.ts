import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../server/adapters/store/sqlite-store';
import { Pipeline } from '../../server/core/pipeline';
import { FakeFeedServer } from '../helpers/fake-feed';
import { makeMention, makeReply } from '../helpers/fixtures';
import { ADMIN_PASSWORD, signIn } from '../helpers/e2e-auth';
import { watchErrors } from '../helpers/page-errors';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>window.__pwned = 1</script>',
  '"><svg onload="window.__pwned=2">'
];

const servers: ServerProcess[] = [];
const dirs: string[] = [];

/** A real server process on its own temp data directory, stopped after the file's tests. */
async function serve(
  env: Record<string, string>,
  seed?: (dir: string) => void
): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-e2e-'));
  dirs.push(dir);
  seed?.(dir);
  const s = await startServerProcess({ DATA_DIR: dir, SIMULATOR_CRISIS_EVERY_S: '0', ...env });
  servers.push(s);
  return s;
}

/** Seeds the database before start so the wall restores these mentions into its river. */
function seedHostileMentions(dir: string): void {
  const store = openSqliteStore(join(dir, 'mission-control.db'));
  const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  const now = Date.now();
  store.insertMentions(
    pipeline.enrichBatch(
      HOSTILE.map((text, i) =>
        makeMention({
          text,
          createdAt: now - 1000 - i,
          author: {
            handle: '@mallory',
            name: '<b onmouseover=alert(2)>Mallory</b>',
            followers: 5,
            verified: false
          }
        })
      )
    )
  );
  store.close();
}

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function kpiValue(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(id).getByTestId('kpi-value').textContent())?.trim() ?? '';
}

test('the wall loads, shows live KPIs, charts and a filling river, with no console errors', async ({
  page
}) => {
  const server = await serve({ SIMULATOR_RATE: '20' });
  const errors = watchErrors(page);
  await page.goto(server.url);
  for (const id of ['kpi-volume', 'kpi-net-sentiment', 'kpi-first-response', 'kpi-unanswered']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  await expect(page.locator('.uplot').first()).toBeVisible();
  await expect(page.getByText(/live/i).first()).toBeVisible();

  const river = page.getByTestId('river-item');
  await expect.poll(() => river.count(), { timeout: 15_000 }).toBeGreaterThan(3);
  // The river fills its panel, and holds only what can fit: items past the bottom edge are not
  // laid out for nothing (the river keeps 60). What can fit is bounded by the smallest item.
  await expect
    .poll(() =>
      page.getByTestId('river').evaluate((panel) => {
        const list = panel.querySelector('ol')!;
        const items = [...list.querySelectorAll('li')].map((li) => li.getBoundingClientRect());
        const box = list.getBoundingClientRect();
        const smallest = Math.min(...items.map((r) => r.height));
        return {
          filled: items[items.length - 1]!.bottom >= box.bottom,
          bounded: items.length <= Math.ceil(box.height / smallest) + 1
        };
      })
    )
    .toEqual({ filled: true, bounded: true });
  expect(await river.count()).toBeLessThan(30);

  const first = await kpiValue(page, 'kpi-volume');
  await expect.poll(() => kpiValue(page, 'kpi-volume'), { timeout: 15_000 }).not.toBe(first);

  // Nothing scrolls on a 1080p wall.
  const overflow = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth > window.innerWidth,
    y: document.documentElement.scrollHeight > window.innerHeight
  }));
  expect(overflow).toEqual({ x: false, y: false });
  expect(errors).toEqual([]);
});

/** Seeds the last 20 minutes: customers every minute, each minute's first answered 2–5 min later. */
function seedLastMinutes(dir: string): void {
  const store = openSqliteStore(join(dir, 'mission-control.db'));
  const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const batch = [];
  for (let k = 20; k >= 1; k--) {
    const at = minute - k * 60_000 + 5_000;
    const texts = ['my order never arrived, terrible', 'love the new app', 'where is my parcel'];
    const customers = texts.map((text, i) => makeMention({ text, createdAt: at + i * 1000 }));
    batch.push(...customers);
    const delay = (2 + (k % 4)) * 60_000;
    if (at + delay < Date.now()) batch.push(makeReply(customers[0]!, { createdAt: at + delay }));
  }
  store.insertMentions(pipeline.enrichBatch(batch));
  store.close();
}

test("the socket opens before the wall's code has loaded: what it held is shown, and the link stays up", async ({
  page
}) => {
  const server = await serve({ SIMULATOR_RATE: '20' });
  const errors = watchErrors(page);
  // The wall's own code (its route node) is held back until the socket, opened as the app starts,
  // has had its snapshot and a few ticks with nobody yet listening.
  const opened = new Promise<void>((resolve) => page.on('websocket', () => resolve()));
  await page.route(/\/_app\/immutable\/nodes\/(?![01]\.)\d+\.[\w-]+\.js$/, async (route) => {
    await opened;
    await new Promise((r) => setTimeout(r, 2500));
    await route.continue();
  });
  await page.goto(server.url);
  await expect(page.getByTestId('kpi-volume').getByTestId('kpi-value')).toHaveText(/\d/, {
    timeout: 15_000
  });
  // Live, not a picture of the held snapshot: the watermark moves on with the ticks, and the
  // link is still up seconds later.
  const asOf = page.locator('[data-panel="kpis"] .as-of');
  const first = await asOf.textContent();
  await expect.poll(() => asOf.textContent(), { timeout: 10_000 }).not.toBe(first);
  await page.waitForTimeout(3000);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  await expect.poll(() => asOf.textContent(), { timeout: 10_000 }).not.toBe(first);
  expect(errors).toEqual([]);
});

test("the Latin faces load before the wall's code, once each, and no other subset", async ({
  page
}) => {
  const server = await serve({ SIMULATOR_RATE: '20' });
  const errors = watchErrors(page);
  const fonts: string[] = [];
  let nodeReleased = false;
  const beforeNode: string[] = [];
  page.on('request', (req) => {
    if (req.resourceType() !== 'font') return;
    const name = req.url().split('/').pop()!;
    fonts.push(name);
    if (!nodeReleased) beforeNode.push(name);
  });
  // The wall's route node is held back for a second: the faces must not wait for it.
  await page.route(/\/_app\/immutable\/nodes\/(?![01]\.)\d+\.[\w-]+\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1000));
    nodeReleased = true;
    await route.continue();
  });
  await page.goto(server.url);
  await expect(page.getByTestId('kpi-volume').getByTestId('kpi-value')).toHaveText(/\d/, {
    timeout: 15_000
  });
  await page.evaluate(() => document.fonts.ready);
  const faces = fonts.map((f) => f.replace(/\.[\w-]+\.woff2$/, ''));
  const latin = ['400', '500', '600', '700'].map((w) => `inter-latin-${w}-normal`);
  // Each preloaded face is used as fetched (a crossorigin mismatch would fetch it twice).
  expect(faces.slice().sort()).toEqual(latin);
  expect(beforeNode.map((f) => f.replace(/\.[\w-]+\.woff2$/, '')).sort()).toEqual(latin);
  expect(errors).toEqual([]);
});

test("every KPI tile draws the last hour's minutes as a sparkline", async ({ page }) => {
  const server = await serve({ SIMULATOR: 'off' }, seedLastMinutes);
  const errors = watchErrors(page);
  await page.goto(server.url);
  for (const [id, words] of [
    ['kpi-volume', /Mentions per minute/],
    ['kpi-net-sentiment', /Net sentiment per minute/],
    ['kpi-first-response', /Median first response of each minute/],
    ['kpi-unanswered', /still unanswered, by minute of arrival/]
  ] as const) {
    const spark = page.getByTestId(id).locator('svg.spark');
    await expect(spark).toBeVisible({ timeout: 30_000 });
    await expect(spark.locator('title')).toHaveText(words);
    // A line that moves: the seeded minutes differ from each other and from the empty ones.
    const heights = async (): Promise<number> => {
      const points = (await spark.locator('polyline').getAttribute('points')) ?? '';
      return new Set(points.split(' ').map((p) => p.split(',')[1])).size;
    };
    await expect.poll(heights, { message: id }).toBeGreaterThan(1);
  }
  expect(errors).toEqual([]);
});

test('the top-topics panel fills with topics or emerging terms, on a wall and on a laptop', async ({
  page
}) => {
  const server = await serve({ SIMULATOR_RATE: '20' });
  const errors = watchErrors(page);
  await page.goto(server.url);
  const panel = page.getByTestId('top-topics');
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Top topics', exact: true })).toBeVisible();

  // The simulator's customer-care texts hit the default topics (delivery, billing, outage, ...).
  const rows = panel.getByTestId('topic-row').or(panel.getByTestId('emerging-row'));
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });
  await expect(rows.first()).toContainText(/\S+.*\d/);

  // A 1366×768 laptop: nothing scrolls and the panel stays on screen, beside a readable river.
  await page.setViewportSize({ width: 1366, height: 768 });
  const layout = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth > window.innerWidth,
    y: document.documentElement.scrollHeight > window.innerHeight
  }));
  expect(layout).toEqual({ x: false, y: false });
  for (const id of ['top-topics', 'river']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1366);
    expect(box!.y + box!.height).toBeLessThanOrEqual(768);
    expect(box!.height).toBeGreaterThan(150);
  }
  await expect(rows.first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('hostile mention text and author names are shown as literal text and run nothing', async ({
  page
}) => {
  // No simulator: the river holds exactly the seeded mentions.
  const server = await serve({ SIMULATOR: 'off' }, seedHostileMentions);
  const errors = watchErrors(page);
  await page.goto(server.url);
  const river = page.getByTestId('river');
  for (const text of HOSTILE) {
    await expect(river.getByText(text, { exact: true }).first()).toBeAttached({ timeout: 10_000 });
  }
  await expect(river.getByText('<b onmouseover=alert(2)>Mallory</b>').first()).toBeAttached();
  expect(await river.locator('img, script, svg[onload], b[onmouseover]').count()).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)
  ).toBeUndefined();
  expect(errors).toEqual([]);
});

test('the connection indicator says how old the data is when the link drops', async ({ page }) => {
  const server = await serve({ SIMULATOR_RATE: '5' });
  await page.goto(server.url);
  await expect(page.getByTestId('connection')).toContainText(/live/i);
  await server.stop('SIGTERM');
  await expect(page.getByTestId('connection')).toContainText(/offline|reconnecting/i, {
    timeout: 10_000
  });
  await expect(page.getByTestId('connection')).toContainText(/\d+\s*s/, { timeout: 10_000 });
});

test('the source strip shows a failing feed across the room, and its recovery', async ({
  page
}) => {
  const feed = await FakeFeedServer.start();
  try {
    feed.mode.rss = { kind: 'status', status: 500 };
    feed.rssItems = [
      {
        id: 'press-1',
        title: 'Northwind opens a new hub',
        html: '<p>Big <b>news</b></p>',
        link: 'https://press.example/hub',
        published: new Date()
      }
    ];
    const configDir = mkdtempSync(join(tmpdir(), 'mc-e2e-config-'));
    dirs.push(configDir);
    const config = join(configDir, 'mc.json');
    writeFileSync(
      config,
      JSON.stringify({
        sources: {
          rss: { schedule: '*/1 * * * * *', feeds: [{ url: feed.rssUrl, name: 'press' }] }
        }
      })
    );
    // A slow simulator: the feed's one item stays in view for seconds, not pushed off at once.
    const server = await serve({ SIMULATOR_RATE: '1', CONFIG: config });
    const errors = watchErrors(page);
    await page.goto(server.url);
    const strip = page.getByTestId('source-strip');
    await expect(strip.getByTestId('source').filter({ hasText: 'simulator' })).toHaveAttribute(
      'data-state',
      'connected'
    );
    const press = strip.getByTestId('source').filter({ hasText: 'rss:press' });
    await expect(press).toHaveAttribute('data-state', 'backoff', { timeout: 10_000 });
    await expect(press).toContainText('retrying');
    await expect(press).toHaveAttribute('title', /answered 500/);

    feed.mode.rss = { kind: 'ok' };
    // Watched together: the item reaches the river as the feed recovers, and the river only
    // shows what fits, so it must be caught while it is near the top.
    await Promise.all([
      expect(press).toHaveAttribute('data-state', 'connected', { timeout: 15_000 }),
      expect(
        page.getByTestId('river-item').filter({ hasText: 'Northwind opens a new hub' })
      ).toBeVisible({ timeout: 15_000 })
    ]);
    expect(errors).toEqual([]);
  } finally {
    await feed.close();
  }
});

/**
 * Seeds six hours of ordinary traffic (one mention in five negative) with two bursts of negative
 * mentions on reddit: one 200 minutes ago (after the detectors' two-hour warm-up, and long enough
 * ago to have cleared) and one in the last closed minute. Each is a volume spike and a
 * negative-share anomaly.
 */
function seedSpike(dir: string): void {
  const store = openSqliteStore(join(dir, 'mission-control.db'));
  const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  const MINUTE = 60_000;
  const spike = Math.floor((Date.now() - 10_000) / MINUTE) * MINUTE - MINUTE;
  const batch = [];
  for (let m = spike - 360 * MINUTE; m <= spike; m += MINUTE) {
    const n = 20 + ((m / MINUTE) % 7) * 3;
    for (let i = 0; i < n; i++) {
      const text =
        i % 5 === 0 ? undefined : 'Thanks, the delivery was quick and the driver was lovely';
      batch.push(makeMention({ channel: 'news', createdAt: m + i * 1000, ...(text && { text }) }));
    }
    if (m === spike || m === spike - 200 * MINUTE) {
      for (let i = 0; i < 500; i++) {
        batch.push(makeMention({ channel: 'reddit', createdAt: m + (i % 59) * 1000 }));
      }
    }
    if (m === spike) {
      // One conversation inside the spike: a complaint and the brand's reply 3 minutes later.
      const root = makeMention({
        id: 'spike-root',
        channel: 'reddit',
        createdAt: m + 5_000,
        text: 'Overheating again, is anyone from support reading this?'
      });
      batch.push(root, makeReply(root, { id: 'spike-reply', createdAt: m + 185_000 }));
    }
  }
  store.insertMentions(pipeline.enrichBatch(batch));
  store.close();
}

test('a spike is marked on the 24-hour chart with its expected band and explained', async ({
  page
}) => {
  const server = await serve({ SIMULATOR: 'off', ADMIN_PASSWORD }, seedSpike);
  const errors = watchErrors(page);
  // An operator's screen: acknowledging a takeover needs an agent or better.
  await signIn(page.context(), server.url);
  await page.goto(server.url);
  const explanation = page.getByTestId('spike-explanation').filter({ hasText: /^Spike/ });
  await expect(explanation).toBeVisible({ timeout: 15_000 });
  await expect(explanation).toContainText(/Spike \d\d:\d\d/);
  await expect(explanation).toContainText(
    /5\d\d\/min vs \d+ expected \(band \d+–\d+\) · severity \d+\/10/
  );
  await expect(explanation).toContainText('reddit');
  const newest = await explanation.getAttribute('data-detection');
  // A spike this size (severity 9/10) is critical: it takes the wall over until acknowledged.
  const takeover = page.getByTestId('crisis-takeover');
  await expect(takeover).toBeVisible({ timeout: 10_000 });
  await expect(takeover).toContainText(/5\d\d\/min vs \d+ expected/);
  // The burst is critical on volume and on the negative share: each takes the wall in turn.
  for (let i = 0; i < 4 && (await takeover.isVisible()); i++) {
    const id = await takeover.getAttribute('data-alert-id');
    await takeover.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(takeover.and(page.locator(`[data-alert-id="${id}"]`))).toHaveCount(0, {
      timeout: 10_000
    });
  }
  await expect(takeover).toBeHidden();
  await page.getByRole('button', { name: '24 h' }).click();
  // The 24-hour chart carries the band and the markers, and says so to assistive technology.
  await expect(
    page.getByRole('img', { name: /last 24 h.*with the expected band and 2 spike marker/ })
  ).toBeVisible({ timeout: 10_000 });
  // Each marker is a button named by its explanation; the newest spike is the one explained.
  const markers = page.getByRole('button', { name: /^Spike at \d\d:\d\d: 5\d\d\/min vs/ });
  await expect(markers).toHaveCount(2);
  await expect(markers.nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(markers.nth(0)).toHaveAttribute('aria-pressed', 'false');
  // Pressing the older marker explains the older spike; pressing it again goes back.
  await markers.nth(0).click();
  await expect(markers.nth(0)).toHaveAttribute('aria-pressed', 'true');
  await expect(markers.nth(1)).toHaveAttribute('aria-pressed', 'false');
  await expect(explanation).not.toHaveAttribute('data-detection', newest ?? '');
  await expect(explanation).toContainText(/5\d\d\/min vs \d+ expected/);
  await markers.nth(0).click();
  await expect(explanation).toHaveAttribute('data-detection', newest ?? '');

  // The sentiment chart: the band of expected negative mentions and the anomaly marked.
  await expect(
    page.getByRole('img', {
      name: /Sentiment .*with the expected band of negative mentions and [12] anomaly marker/
    })
  ).toBeVisible();
  const negative = page.getByTestId('spike-explanation').filter({ hasText: 'Negative anomaly' });
  await expect(negative).toContainText(/\d+% negative vs \d+% expected/);
  await expect(
    page.getByRole('button', { name: /^Negative sentiment anomaly at \d\d:\d\d/ }).last()
  ).toBeVisible();

  // From the spike into the mentions behind it, then into one conversation.
  await explanation.getByTestId('spike-explore').click();
  await expect(page).toHaveURL(/\/explore\?/);
  await expect(page.getByTestId('explore-total')).toHaveText(/^[1-9][\d,]* mentions$/);
  await expect(page.getByTestId('explore-mention').first()).toBeVisible();
  await page.getByLabel('Text', { exact: true }).fill('overheating');
  await page.getByLabel('Text', { exact: true }).press('Enter');
  await expect(page.getByTestId('explore-total')).toHaveText('1 mention');
  await page.getByTestId('explore-mention').first().getByRole('link').click();
  const thread = page.getByTestId('mention-detail').getByTestId('mention-thread');
  await expect(thread.getByTestId('thread-item')).toHaveCount(2);
  await expect(thread.getByTestId('thread-response')).toHaveText('Replied after 3m 00s');
  expect(errors).toEqual([]);
});
