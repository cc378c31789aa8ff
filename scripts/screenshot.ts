/**
 * `npm run screenshot`: regenerates docs/wall.png from a real server and real Chromium, so the
 * README's picture stays current. Needs a build (`npm run build`).
 */
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../tests/helpers/chromium';
import { startServerProcess } from '../tests/helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'mc-shot-'));
// A busy, time-compressed stream with a crisis early on, so the picture shows replies and a spike.
const server = await startServerProcess({
  DATA_DIR: dir,
  SIMULATOR_RATE: '25',
  SIMULATOR_TIME_SCALE: '30',
  SIMULATOR_CRISIS_EVERY_S: '20',
  SIMULATOR_SEED: '11'
});
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(server.url);
  await page.waitForTimeout(Number(process.env.SHOT_WAIT_MS ?? 90_000));
  await page.screenshot({ path: 'docs/wall.png' });
  console.log('wrote docs/wall.png');
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
