import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENES, type WallConfig } from '../../src/lib/shared/types';
import { DEFAULT_WALL_CONFIG } from '../../src/lib/shared/wall-defaults';
import { ADMIN_PASSWORD, adminHeaders, signIn } from '../helpers/e2e-auth';
import { watchErrors } from '../helpers/page-errors';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

let server: ServerProcess | null = null;
let dir = '';

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mc-e2e-scenes-'));
  server = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR_RATE: '20',
    SIMULATOR_TIME_SCALE: '30',
    SIMULATOR_SEED: '3',
    WALL_PANELS_MS: '2000',
    ADMIN_PASSWORD
  });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function putWall(config: WallConfig): Promise<Response> {
  const url = server!.url;
  return fetch(`${url}/api/v1/settings/wall`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(await adminHeaders(url)) },
    body: JSON.stringify(config)
  });
}

test('every scene shows its panels, each with an "as of" watermark once data arrives', async ({
  page
}) => {
  const errors = watchErrors(page);
  for (const id of SCENES) {
    await page.goto(`${server!.url}/?scene=${id}`);
    const scene = page.getByTestId(`scene-${id}`);
    await expect(scene).toBeVisible();
    const def = DEFAULT_WALL_CONFIG.scenes.find((s) => s.id === id)!;
    const cells = scene.locator('[data-panel]');
    await expect(cells).toHaveCount(def.panels.length);
    expect(await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-panel')))).toEqual(
      [...def.panels].sort((a, b) => a.row - b.row || a.col - b.col).map((p) => p.panel)
    );
    // Live data painted in every cell: each carries its watermark, none is stale.
    await expect(scene.locator('.as-of')).toHaveCount(def.panels.length, { timeout: 15_000 });
    await expect(scene.locator('[data-stale="true"]')).toHaveCount(0);
  }
  // The slower panels come from the server's wall:panels.
  await page.goto(`${server!.url}/?scene=topics`);
  await expect(page.getByTestId('panel-map').locator('circle').first()).toBeAttached({
    timeout: 15_000
  });
  await page.goto(`${server!.url}/?scene=voice`);
  await expect(page.getByTestId('panel-influencers').locator('tbody tr').first()).toBeVisible({
    timeout: 15_000
  });
  // The simulator's competitor chatter, tracked by default, fills share of voice.
  await expect(page.getByTestId('panel-voice')).toContainText('Contoso', { timeout: 20_000 });
  await expect(page.getByTestId('panel-voice')).toContainText('Fabrikam');
  expect(errors).toEqual([]);
});

test('a chart offers its data as a table, from the keyboard', async ({ page }) => {
  await page.goto(`${server!.url}/?scene=crisis`);
  const gauge = page.getByTestId('panel-gauge');
  const toggle = gauge.getByRole('button', { name: 'Table' });
  await toggle.focus();
  await expect(toggle).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(gauge.getByRole('table')).toBeVisible();
  await expect(gauge.getByRole('button', { name: 'Chart' })).toHaveAttribute(
    'aria-pressed',
    'true'
  );
  await expect(gauge.getByRole('img')).toHaveCount(0);
});

test('kiosk mode hides every control; viewing distance and contrast apply', async ({
  page,
  context
}) => {
  await signIn(context, server!.url);
  await page.goto(`${server!.url}/?scene=crisis&kiosk&distance=hall&contrast=high`);
  await expect(page.getByTestId('scene-crisis')).toBeVisible();
  await expect(page.getByTestId('panel-gauge')).toBeVisible();
  // Signed in, yet no account box, no table toggles, no pointer.
  await expect(page.getByTestId('account')).toHaveCount(0);
  expect(
    await page.locator('button').evaluateAll((bs) => bs.filter((b) => b.checkVisibility()).length)
  ).toBe(0);
  const root = await page.evaluate(() => ({
    distance: document.documentElement.dataset.distance,
    contrast: document.documentElement.dataset.contrast,
    title: getComputedStyle(document.documentElement).getPropertyValue('--type-scale').trim(),
    bg: getComputedStyle(document.body).backgroundColor,
    cursor: getComputedStyle(document.body).cursor
  }));
  expect(root).toEqual({
    distance: 'hall',
    contrast: 'high',
    title: '1.7',
    bg: 'rgb(0, 0, 0)',
    cursor: 'none'
  });
  // Without kiosk the controls are back.
  await page.goto(`${server!.url}/?scene=crisis`);
  await expect(page.getByTestId('account')).toBeVisible();
  await expect(
    page.getByTestId('panel-gauge').getByRole('button', { name: 'Table' })
  ).toBeVisible();
});

test('a video wall: each screen shows its own part of one wide layout', async ({ page }) => {
  const width = 1280;
  await page.setViewportSize({ width, height: 720 });
  for (const [screen, x] of [
    ['1of3', 0],
    ['2of3', -width],
    ['3of3', -2 * width]
  ] as const) {
    await page.goto(`${server!.url}/?scene=overview&screen=${screen}`);
    const box = await page.locator('main.wall').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeCloseTo(3 * width, -1);
    // Within the pixel shift against burn-in (at most 2 px).
    expect(Math.abs(box!.x - x)).toBeLessThanOrEqual(2);
  }
});

test('32:9 folds a scene into two 16:9 halves; 21:9 stretches it; two screens take a half each', async ({
  page
}) => {
  const box = async (panel: string): Promise<{ x: number; y: number; w: number; h: number }> => {
    const b = (await page
      .getByTestId('scene-overview')
      .locator(`[data-panel="${panel}"]`)
      .boundingBox())!;
    return { x: b.x, y: b.y, w: b.width, h: b.height };
  };
  // One 32:9 screen: KPIs, volume and river on the left half, the rest on the right.
  await page.setViewportSize({ width: 3200, height: 900 });
  await page.goto(`${server!.url}/?scene=overview`);
  await expect(page.getByTestId('scene-overview')).toHaveAttribute('data-parts', '2');
  for (const p of ['kpis', 'volume', 'river'])
    expect((await box(p)).x + (await box(p)).w).toBeLessThan(1603);
  for (const p of ['sentiment', 'topics', 'channels']) {
    const b = await box(p);
    expect(b.x).toBeGreaterThan(1597);
    expect(b.x + b.w).toBeLessThanOrEqual(3202);
  }
  // Each half fills the height: the river and the sentiment chart run from top to bottom.
  expect((await box('river')).h).toBeCloseTo((await box('sentiment')).h, -1);

  // 21:9: the designed layout, stretched.
  await page.setViewportSize({ width: 2520, height: 1080 });
  await expect(page.getByTestId('scene-overview')).toHaveAttribute('data-parts', '1');
  expect((await box('sentiment')).y).toBeGreaterThan((await box('volume')).y);

  // Two 16:9 screens side by side: each shows one whole half, no panel across the bezel.
  await page.setViewportSize({ width: 1600, height: 900 });
  for (const [screen, inside, outside] of [
    ['1of2', 'river', 'sentiment'],
    ['2of2', 'sentiment', 'river']
  ] as const) {
    await page.goto(`${server!.url}/?scene=overview&screen=${screen}`);
    await expect(page.getByTestId('scene-overview')).toHaveAttribute('data-parts', '2');
    const a = await box(inside);
    expect(a.x).toBeGreaterThanOrEqual(-3);
    expect(a.x + a.w).toBeLessThanOrEqual(1603);
    const b = await box(outside);
    expect(b.x + b.w <= 3 || b.x >= 1597).toBe(true);
  }
});

test('on 32:9 the crisis scene folds in two halves and the river flows in columns', async ({
  page
}) => {
  const box = async (scene: string, panel: string) =>
    (await page.getByTestId(`scene-${scene}`).locator(`[data-panel="${panel}"]`).boundingBox())!;
  await page.setViewportSize({ width: 3200, height: 900 });
  await page.goto(`${server!.url}/?scene=crisis`);
  await expect(page.getByTestId('scene-crisis')).toHaveAttribute('data-parts', '2');
  // Alerts and volume on the left half, the gauge, sentiment and river on the right.
  for (const p of ['alerts', 'volume']) {
    const b = await box('crisis', p);
    expect(b.x + b.width).toBeLessThan(1603);
  }
  for (const p of ['gauge', 'sentiment', 'river'])
    expect((await box('crisis', p)).x).toBeGreaterThan(1597);

  // The river scene cannot fold (the river spans every row): it stretches, and its mentions
  // flow in columns of a readable width instead of lines across half the wall.
  await page.goto(`${server!.url}/?scene=river`);
  await expect(page.getByTestId('scene-river')).toHaveAttribute('data-parts', '1');
  const items = page.getByTestId('scene-river').getByTestId('river-item');
  await expect(items.first()).toBeVisible({ timeout: 15_000 });
  const river = await box('river', 'river');
  await expect
    .poll(
      async () => {
        const lefts = new Set<number>();
        for (const b of await items.evaluateAll((els) =>
          els.map((e) => Math.round(e.getBoundingClientRect().left))
        ))
          lefts.add(b);
        return lefts.size;
      },
      { timeout: 15_000 }
    )
    .toBeGreaterThan(1);
  const widths = await items.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
  // Every column is narrower than half the panel, and none is cut at the panel's right edge.
  for (const w of widths) expect(w).toBeLessThan(river.width / 2);
  // Every column is full: its oldest item reaches the bottom (and fades out there).
  await expect
    .poll(() =>
      page
        .getByTestId('scene-river')
        .getByTestId('river')
        .evaluate((panel) => {
          const full = [...panel.querySelectorAll('ol')].map((ol) => {
            const last = ol.lastElementChild?.getBoundingClientRect().bottom ?? 0;
            const r = ol.getBoundingClientRect();
            return last >= r.bottom && r.right <= panel.getBoundingClientRect().right + 1;
          });
          return { several: full.length > 1, full: full.every(Boolean) };
        })
    )
    .toEqual({ several: true, full: true });
});

test('a playlist rotates its scenes by dwell time, edited and imported in settings', async ({
  page,
  context
}) => {
  const errors = watchErrors(page);
  const config: WallConfig = {
    ...DEFAULT_WALL_CONFIG,
    playlists: [
      {
        id: 'e2e',
        title: 'E2E',
        items: [
          { scene: 'river', dwellSeconds: 5 },
          { scene: 'topics', dwellSeconds: 5 }
        ]
      }
    ]
  };
  expect((await putWall(config)).status).toBe(200);
  await page.goto(`${server!.url}/?playlist=e2e&kiosk`);
  const seen = new Set<string>();
  for (let i = 0; i < 24 && seen.size < 2; i++) {
    // The scene drawn (none until the configuration with the playlist is in).
    const shown = page.locator('[data-testid^="scene-"]');
    if ((await shown.count()) === 1) seen.add((await shown.getAttribute('data-testid'))!.slice(6));
    await page.waitForTimeout(500);
  }
  expect([...seen].sort()).toEqual(['river', 'topics']);

  // Settings: a bad import is refused by field and changes nothing; a good one is applied live.
  await signIn(context, server!.url);
  const settings = await context.newPage();
  await settings.goto(`${server!.url}/settings#wall`);
  const section = settings.getByTestId('wall-settings');
  await expect(section.getByTestId('wall-json')).toHaveValue(/"e2e"/);
  const bad = join(dir, 'bad-wall.json');
  const broken = structuredClone(config);
  broken.playlists[0]!.items[1]!.dwellSeconds = 1;
  writeFileSync(bad, JSON.stringify(broken));
  await section.getByTestId('wall-import').setInputFiles(bad);
  await expect(section.getByTestId('wall-error')).toContainText('playlists.0.items.1.dwellSeconds');
  const good = join(dir, 'good-wall.json');
  const onlyCare = structuredClone(config);
  onlyCare.playlists[0]!.items = [{ scene: 'care', dwellSeconds: 60 }];
  writeFileSync(good, JSON.stringify(onlyCare));
  await section.getByTestId('wall-import').setInputFiles(good);
  await expect(section.getByRole('status')).toContainText('Imported good-wall.json');
  // The wall on that playlist follows without a reload.
  await expect(page.getByTestId('scene-care')).toBeVisible({ timeout: 10_000 });
  // Export gives back the same document.
  const [download] = await Promise.all([
    settings.waitForEvent('download'),
    section.getByTestId('wall-export').click()
  ]);
  const exported = JSON.parse(
    await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      void download.createReadStream().then((s) => {
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        s.on('error', reject);
      });
    })
  ) as WallConfig;
  expect(exported.playlists).toEqual(onlyCare.playlists);
  expect(errors).toEqual([]);
});

test('a dropped link: an offline banner, then stale panels greyed with their time', async ({
  page
}) => {
  const own = mkdtempSync(join(tmpdir(), 'mc-e2e-stale-'));
  const s = await startServerProcess({ DATA_DIR: own, SIMULATOR_RATE: '10' });
  try {
    await page.goto(`${s.url}/?scene=overview`);
    await expect(page.locator('.as-of').first()).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    await s.stop('SIGTERM');
    await expect(page.getByTestId('offline-banner')).toContainText(/offline/i, {
      timeout: 10_000
    });
    await expect(page.locator('[data-stale="true"]').first()).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('[data-stale="true"] .as-of').first()).toContainText(/Stale · as of/);
  } finally {
    await s.stop();
    rmSync(own, { recursive: true, force: true });
  }
});

test('on a laptop the river holds still under the pointer and says what arrived meanwhile', async ({
  page
}) => {
  await page.goto(`${server!.url}/?scene=river`);
  const river = page.getByTestId('river');
  const first = river.locator('li').first();
  await expect(first).toBeVisible({ timeout: 15_000 });
  await river.locator('ol').first().hover();
  await expect(page.getByTestId('river-paused')).toBeVisible();
  const held = await first.textContent();
  // The simulator keeps posting: the count of waiting mentions rises, the list does not move.
  await expect(page.getByTestId('river-paused')).toContainText(/\d+ new/, { timeout: 10_000 });
  expect(await river.locator('li').first().textContent()).toBe(held);
  // Leaving catches up.
  await page.mouse.move(1, 1);
  await expect(page.getByTestId('river-paused')).toHaveCount(0);
  await expect(river.locator('li').first()).not.toHaveText(held ?? '', { timeout: 10_000 });
});

test('a wall that gets no data still builds its scene, empty, and says it is connecting', async ({
  page
}) => {
  // The scene is built with the first snapshot; here none ever comes: the WebSocket opens but
  // the server never answers, and the long-polling fallback is refused.
  await page.routeWebSocket(/\/socket\.io\//, () => {});
  await page.route(/\/socket\.io\//, (route) => route.abort());
  const started = Date.now();
  await page.goto(server!.url);
  const panels = page.locator('[data-panel]');
  await expect(panels.first()).toBeVisible({ timeout: 10_000 });
  // Not before the wait for the first data is over (1.5 s), so not an empty flash first.
  expect(Date.now() - started).toBeGreaterThan(1_400);
  expect(await panels.count()).toBeGreaterThan(3);
  await expect(page.getByTestId('kpi-volume').getByTestId('kpi-value')).not.toHaveText(/\d/);
  await expect(page.getByTestId('connection')).toContainText(/Connecting|reconnecting/);
});
