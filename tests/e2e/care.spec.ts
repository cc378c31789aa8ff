import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CareAgents, CareQueue, Mention } from '../../src/lib/shared/types';
import { makeMention, makeReply } from '../helpers/fixtures';
import { ADMIN_PASSWORD, adminHeaders, signIn } from '../helpers/e2e-auth';
import { watchErrors } from '../helpers/page-errors';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const TOKEN = 'e2e-token-care-0123456789';
const MIN = 60_000;
let server: ServerProcess | null = null;
let dir = '';

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mc-e2e-care-'));
  server = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    INGEST_TOKEN: TOKEN,
    ADMIN_PASSWORD
  });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function inject(url: string, mentions: Mention[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/mentions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(mentions)
  });
  expect(res.status).toBe(202);
}

test('a high-priority mention tops the queue, is claimed, answered, and leaves with its response time', async ({
  page,
  context
}) => {
  const url = server!.url;
  const errors = watchErrors(page);
  const now = Date.now();
  // Routine questions waiting already.
  const routine: Mention[] = [];
  for (let i = 0; i < 6; i++) {
    routine.push(
      makeMention({
        id: `routine-${i}`,
        createdAt: now - (20 + i) * MIN,
        text: `How do I update the address on order ${i}?`
      })
    );
  }
  await inject(url, routine);
  await signIn(context, url);
  await page.goto(`${url}/care`);
  const rows = page.getByTestId('care-row');
  await expect(rows).toHaveCount(6);
  await expect(page.getByTestId('care-depth')).toHaveText('6');

  // A celebrity's safety complaint arrives while the page is open: it goes to the top, live.
  const urgent = makeMention({
    id: 'urgent-fire',
    createdAt: now - 4 * MIN,
    text: 'My charger caught fire <img src=x onerror=alert(1)> — dangerous, answer me!',
    author: { handle: '@famous', name: 'Famous Person', followers: 3_000_000, verified: true }
  });
  await inject(url, [urgent]);
  await expect(rows.first()).toHaveAttribute('data-id', 'urgent-fire', { timeout: 10_000 });
  await expect(page.getByTestId('care-depth')).toHaveText('7');
  const top = rows.first();
  // Untrusted text shows as text.
  await expect(top).toContainText('<img src=x onerror=alert(1)>');
  await expect(top.getByTestId('sla')).toContainText(/left/);

  // Claimed: the row says so, and so does the API for everyone else.
  await top.getByTestId('claim').click();
  await expect(top.getByTestId('claim')).toHaveText(/Release/);
  const headers = await adminHeaders(url);
  const queue = (await (await fetch(`${url}/api/v1/care/queue`, { headers })).json()) as CareQueue;
  expect(queue.items[0]).toMatchObject({ id: 'urgent-fire', claimedBy: 'admin' });

  // The brand's reply arrives (signed by the agent): the mention leaves the queue.
  await inject(url, [
    makeReply(urgent, {
      id: 'reply-fire',
      createdAt: urgent.createdAt + 3 * MIN,
      text: 'We are so sorry. Please stop using it and DM us your order number ^AL'
    })
  ]);
  await expect(page.locator('[data-testid="care-row"][data-id="urgent-fire"]')).toHaveCount(0, {
    timeout: 10_000
  });
  await expect(page.getByTestId('care-depth')).toHaveText('6');

  // Its response time is recorded for the agent who answered.
  const agents = (await (
    await fetch(`${url}/api/v1/care/agents?from=${now - 60 * MIN}&to=${now + MIN}`, { headers })
  ).json()) as CareAgents;
  expect(agents.items).toEqual([
    expect.objectContaining({ agent: 'AL', firstResponses: 1, medianFirstResponseMs: 3 * MIN })
  ]);
  await page.reload();
  await expect(page.getByTestId('agent-row').filter({ hasText: 'AL' })).toBeVisible();

  // The wall's care scene shows the same queue.
  await page.goto(`${url}/?scene=care`);
  await expect(page.getByTestId('care-scene')).toBeVisible();
  await expect(page.getByTestId('care-scene-depth')).toContainText('6', { timeout: 10_000 });
  expect(errors).toEqual([]);
});
