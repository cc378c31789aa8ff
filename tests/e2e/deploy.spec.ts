import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

/**
 * A deploy is a restart on a new version. The wall nobody touches must pick the new version up
 * by itself: when its socket reconnects it asks for the deployed version, and reloads only if
 * that changed. The new version is simulated by answering SvelteKit's version file with another
 * build's name; the restarts are real (same port, same data).
 */
test('the wall reloads itself after a restart on a new version, and only then', async ({
  page
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-e2e-deploy-'));
  const env = { DATA_DIR: dir, SIMULATOR_RATE: '10' };
  let server: ServerProcess = await startServerProcess(env);
  const restart = async (): Promise<void> => {
    const port = String(server.port);
    await server.stop('SIGTERM');
    server = await startServerProcess({ ...env, PORT: port });
  };
  try {
    const versionChecks: string[] = [];
    page.on('requestfinished', (r) => {
      if (r.url().endsWith('/_app/version.json')) versionChecks.push(r.url());
    });
    await page.goto(`${server.url}/?scene=overview`);
    await expect(page.locator('.as-of').first()).toBeVisible({ timeout: 15_000 });
    // A mark that lives as long as this document: a reload clears it.
    await page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    const marked = (): Promise<boolean> =>
      page.evaluate(() => (window as unknown as { mark?: number }).mark === 1);

    // A restart on the same version: the wall reconnects, checks, and stays.
    const atLoad = versionChecks.length;
    await restart();
    await expect.poll(() => versionChecks.length, { timeout: 20_000 }).toBeGreaterThan(atLoad);
    await page.waitForTimeout(1000); // time enough for a reload, were one (wrongly) coming
    expect(await marked()).toBe(true);

    // A restart on a new version: the check on reconnect sees it and the page reloads.
    await page.route('**/_app/version.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: '{"version":"a-newer-build"}' })
    );
    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    const checksBefore = versionChecks.length;
    await restart();
    await reloaded;
    expect(versionChecks.length).toBeGreaterThan(checksBefore);
    await page.unroute('**/_app/version.json');
    expect(await marked()).toBe(false);
    await expect(page.locator('.as-of').first()).toBeVisible({ timeout: 15_000 });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
