import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeMention } from '../helpers/fixtures';
import { watchErrors } from '../helpers/page-errors';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const ADMIN_PASSWORD = 'e2e-admin-password-0123';
const servers: ServerProcess[] = [];
const dirs: string[] = [];

async function serve(): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-e2e-settings-'));
  dirs.push(dir);
  const s = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    ADMIN_PASSWORD,
    // Browsers on this machine are loopback: without this they would all be anonymous viewers.
    ANONYMOUS_ACCESS: 'off'
  });
  servers.push(s);
  return s;
}

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('an admin signs in, adds a user, hands a screen a display link and revokes it', async ({
  browser
}) => {
  const server = await serve();
  const admin = await browser.newPage();
  // The wrong password below is answered 401, which Chromium logs as a failed resource.
  const errors = watchErrors(admin, /status of 401/);

  // Settings need an administrator: the sign-in page brings them back.
  await admin.goto(`${server.url}/settings`);
  await expect(admin.getByTestId('settings-forbidden')).toContainText(
    'Only administrators can change settings'
  );
  await admin.getByTestId('settings-forbidden').getByRole('link', { name: 'Sign in' }).click();
  await expect(admin).toHaveURL(/\/login\?next=%2Fsettings$/);

  // A wrong password is the server's words, then the right one.
  await admin.getByLabel('Username').fill('admin');
  await admin.getByLabel('Password').fill('not-the-password');
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await expect(admin.getByTestId('login-error')).toHaveText(/wrong username or password/i);
  await admin.getByLabel('Password').fill(ADMIN_PASSWORD);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await expect(admin).toHaveURL(`${server.url}/settings`);
  await expect(admin.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
  await expect(admin.getByTestId('account-user')).toContainText('admin');

  // A new agent.
  const addUser = admin.getByRole('form', { name: 'Add a user' });
  await addUser.getByLabel('Username').fill('casey');
  await addUser.getByLabel('Password').fill('casey-password-123');
  await addUser.getByLabel('Role').selectOption('agent');
  await addUser.getByRole('button', { name: 'Add user' }).click();
  const casey = admin.locator('[data-testid="user-row"][data-username="casey"]');
  await expect(casey).toBeVisible();
  await expect(casey.getByRole('combobox', { name: 'Role of casey' })).toHaveValue('agent');

  // An ingest token, its secret shown once.
  const addToken = admin.getByRole('form', { name: 'Create an API token' });
  await addToken.getByLabel('Token name').fill('e2e ingest');
  await addToken.getByRole('button', { name: 'Create token' }).click();
  const secret = (await admin.getByTestId('token-secret').locator('code').textContent())?.trim();
  expect(secret).toBeTruthy();
  await expect(admin.getByTestId('token-row').filter({ hasText: 'e2e ingest' })).toContainText(
    'ingest'
  );

  // A display link for the lobby screen, with privacy on.
  const addDisplay = admin.getByRole('form', { name: 'Create a display link' });
  await addDisplay.getByLabel('Display name').fill('Lobby screen');
  await addDisplay.getByRole('checkbox').check();
  await addDisplay.getByRole('button', { name: 'Create display link' }).click();
  const wallUrl = (await admin.getByTestId('display-url').textContent())?.trim() ?? '';
  expect(wallUrl).toMatch(new RegExp(`^${server.url.replace(/\./g, '\\.')}/\\?display=.+`));
  const lobby = admin.locator('[data-testid="display-row"][data-name="Lobby screen"]');
  await expect(lobby).toHaveAttribute('data-revoked', 'false');
  await expect(lobby.getByRole('checkbox')).toBeChecked();

  // The screen: a fresh browser without cookies opens the link and the wall is live.
  const screen = await browser.newContext();
  const wall = await screen.newPage();
  await wall.goto(wallUrl);
  await expect(wall.getByTestId('connection')).toContainText('Live', { timeout: 15_000 });
  await expect(wall.getByTestId('account-display')).toContainText('Lobby screen');
  await expect(wall.getByTestId('sign-in-required')).toHaveCount(0);
  const res = await fetch(`${server.url}/api/v1/mentions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify([
      makeMention({
        text: 'The lobby wall shows this mention',
        author: { handle: '@casey_private', name: 'Casey', followers: 5, verified: false }
      })
    ])
  });
  expect(res.status).toBe(202);
  const item = wall.getByTestId('river-item').filter({ hasText: 'The lobby wall shows this' });
  await expect(item).toBeVisible({ timeout: 15_000 });
  // Privacy: the handle is masked on this screen.
  await expect(item).not.toContainText('@casey_private');

  // Revoked in settings, the link no longer opens the wall.
  await lobby.getByRole('button', { name: 'Revoke' }).click();
  await lobby.getByRole('button', { name: 'Really revoke' }).click();
  await expect(lobby).toHaveAttribute('data-revoked', 'true');
  await wall.reload();
  const refused = wall.getByTestId('sign-in-required');
  await expect(refused).toBeVisible({ timeout: 15_000 });
  await expect(refused).toContainText('Sign in or open a display link');
  await expect(refused.getByRole('link', { name: 'Sign in' })).toHaveAttribute(
    'href',
    '/login?next=%2F'
  );
  await screen.close();

  // The audit log has both changes, newest first.
  const audit = admin.getByTestId('audit-row');
  await expect(
    audit.filter({ hasText: /displays/i }).filter({ hasText: /DELETE|revoke/i })
  ).not.toHaveCount(0);
  await expect(
    audit.filter({ hasText: /users/i }).filter({ hasText: /POST|create/i })
  ).not.toHaveCount(0);
  expect(errors).toEqual([]);
  await admin.close();
});

test('an admin changes the care policies: a bad time zone is refused by name, a good one kept', async ({
  browser
}) => {
  const server = await serve();
  const page = await browser.newPage();
  // The refused time zone is answered 400, which Chromium logs as a failed resource.
  const errors = watchErrors(page, /status of 400/);
  const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
    data: { username: 'admin', password: ADMIN_PASSWORD }
  });
  expect(login.status()).toBe(200);
  await page.goto(`${server.url}/settings#care`);
  const care = page.getByTestId('care-settings');
  await expect(care.getByTestId('care-sla-rules')).toContainText('VIP authors');
  const zone = care.locator('input[name="care-time-zone"]');
  await zone.fill('Mars/Olympus');
  await care.getByTestId('care-save').click();
  await expect(care.getByTestId('care-error')).toContainText('timeZone');
  await expect(zone).toHaveValue('Mars/Olympus');

  // The policies as JSON: one rule for everything, 20 minutes round the clock.
  await zone.fill('America/New_York');
  await care.getByTestId('care-sla-json').fill(
    JSON.stringify({
      calendars: {},
      rules: [
        { id: 'all', name: 'Everything in 20', match: {}, targetMinutes: 20, calendar: '24x7' }
      ]
    })
  );
  await care.getByTestId('care-save').click();
  await expect(care.getByTestId('care-error')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('care-sla-rules')).toContainText('Everything in 20');
  await expect(page.locator('input[name="care-time-zone"]')).toHaveValue('America/New_York');
  expect(errors).toEqual([]);
});
