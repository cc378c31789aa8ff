import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mention } from '../../src/lib/shared/types';
import { makeMention, makeReply } from '../helpers/fixtures';
import { ADMIN_PASSWORD, signIn } from '../helpers/e2e-auth';
import { watchErrors } from '../helpers/page-errors';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const TOKEN = 'e2e-token-0123456789abcdef';
const CSV_HEADER =
  'created_at,source,id,channel,author_handle,author_name,followers,text,sentiment,score,intent,language,topics,influence_tier,priority,answered,url';
const servers: ServerProcess[] = [];
const dirs: string[] = [];

async function serve(): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-e2e-explore-'));
  dirs.push(dir);
  const s = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    INGEST_TOKEN: TOKEN,
    ADMIN_PASSWORD
  });
  servers.push(s);
  return s;
}

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function inject(url: string, mentions: Mention[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/mentions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(mentions)
  });
  expect(res.status).toBe(202);
}

/** The from/to of an explore URL. */
function rangeOf(url: string): { from: number; to: number } {
  const p = new URL(url).searchParams;
  return { from: Number(p.get('from')), to: Number(p.get('to')) };
}

test('from the wall into explore: chart, list, a thread, zoom and back, CSV', async ({ page }) => {
  const server = await serve();
  const errors = watchErrors(page);
  const now = Date.now();

  // A burst: a loud customer (whose posts get brand replies), others, some located.
  const loud = {
    handle: '@melted_maria',
    name: 'Maria Melted',
    followers: 2_400,
    verified: false
  };
  const burst: Mention[] = [];
  for (let i = 0; i < 24; i++) {
    burst.push(
      makeMention({
        // Two minutes back, so the replies (90 s later) are in the past too.
        createdAt: now - 120_000 - (24 - i) * 20_000,
        text:
          i % 3 === 0
            ? `My charger melted again (${i}) <img src=x onerror=alert(1)>`
            : `Charger melted on the desk, ${i} burns`,
        geo: i % 2 === 0 ? { lat: 52.52, lon: 13.4, country: 'DE' } : null,
        // The loud customer posts the newest of the burst, so the river (newest first) shows them.
        ...(i % 4 === 3 ? { author: loud } : {})
      })
    );
  }
  const asked = burst.filter((m) => m.author.handle === loud.handle);
  const replies = asked.map((m) => makeReply(m, { createdAt: m.createdAt + 90_000 }));
  await inject(server.url, burst);
  await inject(server.url, replies);

  // Explore is for managers and up: sign the browser in, then open the wall.
  await signIn(page.context(), server.url);
  await page.goto(server.url);
  const river = page.getByTestId('river');
  await expect(river.getByTestId('river-item').first()).toBeVisible({ timeout: 15_000 });
  // Topics and emerging terms link into explore too.
  const emergingLink = page.getByTestId('emerging-row').getByRole('link').first();
  if ((await emergingLink.count()) > 0) {
    await expect(emergingLink).toHaveAttribute('href', /\/explore\?from=\d+&to=\d+&q=/);
  }

  // Follow the loud customer's name from the river.
  const author = river.getByTestId('river-author').filter({ hasText: loud.name }).first();
  await expect(author).toBeVisible({ timeout: 10_000 });
  await author.click();
  await expect(page).toHaveURL(/\/explore\?from=\d+&to=\d+&author=%40melted_maria/);
  await expect(page.getByTestId('explore-total')).toHaveText(`${asked.length} mentions`, {
    timeout: 10_000
  });
  await expect(page.getByTestId('explore-chart').locator('canvas').first()).toBeVisible();
  const rows = page.getByTestId('explore-mention');
  await expect(rows).toHaveCount(asked.length);
  await expect(rows.first()).toContainText('melted');

  // Open a mention: its thread has the brand reply with its response time.
  await rows.first().getByRole('link').click();
  await expect(page).toHaveURL(/[?&]mention=test%3At-/);
  const detail = page.getByTestId('mention-detail');
  await expect(detail.getByTestId('detail-text')).toContainText('melted');
  const thread = detail.getByTestId('mention-thread');
  await expect(thread.getByTestId('thread-item')).toHaveCount(2);
  await expect(thread).toContainText('@NorthwindHelp');
  await expect(thread.getByTestId('thread-response')).toHaveText('Replied after 1m 30s');
  await expect(detail.getByTestId('author-card')).toContainText('2,400 followers');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();

  // Widen to everything in the last 24 hours, then zoom by dragging across the chart.
  await page.getByRole('button', { name: 'Remove filter Author: @melted_maria' }).click();
  await expect(page.getByTestId('explore-total')).toHaveText(
    `${burst.length + replies.length} mentions`
  );
  const before = page.url();
  const wide = rangeOf(before);
  const over = page.getByTestId('explore-chart').locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page).not.toHaveURL(before);
  const narrow = rangeOf(page.url());
  expect(narrow.from).toBeGreaterThan(wide.from);
  expect(narrow.to).toBeLessThan(wide.to);
  expect(narrow.to - narrow.from).toBeLessThan((wide.to - wide.from) / 2);
  const narrowText = await page.getByTestId('explore-range').textContent();

  // Back returns to the previous range.
  await page.goBack();
  await expect(page).toHaveURL(before);
  await expect(page.getByTestId('explore-range')).not.toHaveText(narrowText ?? '');
  await expect(page.getByTestId('explore-total')).toHaveText(
    `${burst.length + replies.length} mentions`
  );
  // The located mentions are on the map.
  await expect(page.getByTestId('geo-dot').first()).toBeVisible();

  // The CSV export downloads the same mentions, header first.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('explore-csv').click()
  ]);
  const file = await download.path();
  const lines = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.length).toBeGreaterThan(burst.length);

  // Mention text from the internet stayed text.
  expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
  expect(errors).toEqual([]);
});
