/**
 * `explore.ui.*` benchmark lines: explore's mention list in Chromium with 100,000 results (run by
 * `npm run bench`; BENCH_ONLY=explore-ui for these alone).
 *
 * The real server process (`server/main.ts` with the built UI) gets 100,000 mentions of the last
 * hour over the ingest API; `/explore?range=1h` then lists them, loading pages of 200 as the list
 * nears its end. The list is scrolled for up to BENCH_EXPLORE_UI_S seconds (default 120): jumps to
 * the end (which keep loading pages until all 100,000 are in) and wheel steps, while
 * requestAnimationFrame records every frame's interval.
 *
 * - `explore.ui.frame.p95`: the 95th percentile frame interval, ms (60 fps = 16.7);
 * - `explore.ui.long_frames`: the share of frames over 50 ms;
 * - `explore.ui.loaded`: mentions loaded into the list by the end.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, type Mention } from '../src/lib/shared/types';
import { chromiumLaunchOptions } from '../tests/helpers/chromium';
import { startServerProcess } from '../tests/helpers/server-process';
import { emit, percentile, recordFrames } from './bench-util';

const RESULTS = Number(process.env.BENCH_EXPLORE_UI_RESULTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_EXPLORE_UI_S ?? 120);

export async function benchExploreUi(): Promise<void> {
  if (!existsSync(chromiumLaunchOptions.executablePath ?? '')) {
    emit('explore.ui.frame.p95', null, 'ms', {
      skipped: 'no Chromium at CHROMIUM_PATH or /usr/bin/chromium'
    });
    return;
  }
  execSync('node scripts/ensure-build.mjs', { stdio: ['ignore', 2, 2] });
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-explore-ui-'));
  const token = 'bench-explore-ui-token-0123';
  const password = 'bench-explore-ui-password';
  const server = await startServerProcess(
    { DATA_DIR: dir, SIMULATOR: 'off', INGEST_TOKEN: token, ADMIN_PASSWORD: password },
    60_000
  );
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const now = Date.now();
    const BATCH = 5000;
    for (let i = 0; i < RESULTS; i += BATCH) {
      const batch: Mention[] = [];
      for (let j = i; j < Math.min(RESULTS, i + BATCH); j++) {
        batch.push({
          id: `e${j}`,
          source: 'bench',
          channel: CHANNELS[j % 7]!,
          // Spread over the last 55 minutes.
          createdAt: now - 60_000 - Math.floor((j / RESULTS) * 54 * 60_000),
          text: `Mention ${j}: the charger got hot again, order ${j % 977} still not here`,
          author: {
            handle: `@user${j % 20_000}`,
            name: `User ${j}`,
            followers: j % 9000,
            verified: false
          },
          lang: 'en',
          url: null,
          inReplyToId: null,
          geo: null
        });
      }
      const res = await fetch(`${server.url}/api/v1/mentions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch)
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    }
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const login = await context.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: 'admin', password }
    });
    if (login.status() !== 200) throw new Error(`sign-in failed: ${login.status()}`);
    const page = await context.newPage();
    await page.goto(`${server.url}/explore?from=${now - 3_600_000}&to=${now + 60_000}`);
    await page.getByTestId('explore-mention').first().waitFor({ timeout: 30_000 });
    const frames = await recordFrames(page);
    const list = page.getByTestId('explore-list');
    const box = await list.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const until = Date.now() + SECONDS * 1000;
    const t0 = Date.now();
    let loaded = 0;
    let allAt: number | null = null;
    for (let step = 0; Date.now() < until; step++) {
      if (step % 2 === 0) {
        loaded = (await page.evaluate(`(() => {
          const el = document.querySelector('[data-testid="explore-list"]');
          el.scrollTop = el.scrollHeight;
          return Math.round(el.scrollHeight / 84);
        })()`)) as number;
        if (loaded >= RESULTS && allAt === null) allAt = Date.now() - t0;
      } else {
        await page.mouse.wheel(0, step % 4 === 1 ? -600 : 600);
      }
      await page.waitForTimeout(40);
    }
    const measured = await frames();
    emit('explore.ui.frame.p95', percentile(measured, 0.95), 'ms', {
      results: RESULTS,
      frames: measured.length,
      p50: Math.round(percentile(measured, 0.5) * 10) / 10,
      max: Math.round(Math.max(...measured)),
      rowsInDom: await page.getByTestId('explore-mention').count(),
      seconds: SECONDS,
      target: '<= 33'
    });
    emit(
      'explore.ui.long_frames',
      measured.filter((f) => f > 50).length / Math.max(1, measured.length),
      'share',
      { over: '50 ms', long: measured.filter((f) => f > 50).length, frames: measured.length },
      5
    );
    emit('explore.ui.loaded', loaded, 'mentions', {
      results: RESULTS,
      allLoadedAfterS: allAt === null ? null : Math.round(allAt / 100) / 10
    });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
