/**
 * `npm run screenshot`: regenerates docs/wall.png, one picture per wall scene
 * (docs/scenes/<scene>.png), docs/explore.png, docs/explore-thread.png and the care pictures from
 * a real server and real Chromium, so the README's pictures stay current. Needs a build
 * (`npm run build`).
 */
import { chromium } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENES } from '../src/lib/shared/types';
import { chromiumLaunchOptions } from '../tests/helpers/chromium';
import { ADMIN_PASSWORD, signIn } from '../tests/helpers/e2e-auth';
import { startServerProcess } from '../tests/helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'mc-shot-'));
// A busy, time-compressed stream with a crisis early on, so the picture shows replies and a spike.
const server = await startServerProcess({
  DATA_DIR: dir,
  SIMULATOR_RATE: '25',
  SIMULATOR_TIME_SCALE: '30',
  SIMULATOR_CRISIS_EVERY_S: '20',
  SIMULATOR_SEED: '11',
  WALL_PANELS_MS: '5000',
  ADMIN_PASSWORD
});
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  // An operator's wall: a simulated crisis takes it over until someone acknowledges, so the
  // picture acknowledges each takeover and shows the wall with its alert banner instead.
  await signIn(page.context(), server.url);
  await page.goto(server.url);
  await page.waitForTimeout(Number(process.env.SHOT_WAIT_MS ?? 90_000));
  const takeover = page.getByTestId('crisis-takeover');
  for (let i = 0; i < 10 && (await takeover.isVisible()); i++) {
    await takeover.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForTimeout(1000);
  }
  await page.waitForTimeout(2000);
  await page.screenshot({ path: 'docs/wall.png' });
  console.log('wrote docs/wall.png');
  // Every scene (a critical takeover acknowledged first, as above).
  mkdirSync('docs/scenes', { recursive: true });
  for (const scene of SCENES) {
    await page.goto(`${server.url}/?scene=${scene}`);
    await page.getByTestId(`scene-${scene}`).locator('.as-of').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(4000);
    for (let i = 0; i < 10 && (await takeover.isVisible()); i++) {
      await takeover.getByRole('button', { name: 'Acknowledge' }).click();
      await page.waitForTimeout(1000);
    }
    await page.screenshot({ path: `docs/scenes/${scene}.png` });
    console.log(`wrote docs/scenes/${scene}.png`);
  }
  // A manager's laptop: the last 15 minutes of negative mentions, then one mention's thread.
  const laptop = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await signIn(laptop.context(), server.url);
  await laptop.goto(`${server.url}/explore?range=1h&sentiment=negative`);
  await laptop.getByTestId('explore-mention').first().waitFor({ timeout: 30_000 });
  await laptop.waitForTimeout(3000);
  await laptop.screenshot({ path: 'docs/explore.png' });
  console.log('wrote docs/explore.png');
  await laptop.getByTestId('explore-mention').first().getByRole('link').click();
  await laptop.getByTestId('mention-detail').waitFor();
  await laptop.waitForTimeout(1500);
  await laptop.screenshot({ path: 'docs/explore-thread.png' });
  console.log('wrote docs/explore-thread.png');
  // The care team's queue, agents and value, and the wall's care scene.
  await laptop.goto(`${server.url}/care`);
  await laptop.getByTestId('care-row').first().waitFor({ timeout: 30_000 });
  await laptop.waitForTimeout(3000);
  await laptop.screenshot({ path: 'docs/care.png', fullPage: true });
  console.log('wrote docs/care.png');
  await page.goto(`${server.url}/?scene=care`);
  await page.getByTestId('care-scene').waitFor();
  await page.waitForTimeout(3000);
  await page.screenshot({ path: 'docs/care-scene.png' });
  console.log('wrote docs/care-scene.png');
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
