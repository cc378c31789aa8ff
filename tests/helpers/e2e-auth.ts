import type { BrowserContext } from '@playwright/test';

/** The administrator password the journeys start their servers with (ADMIN_PASSWORD). */
export const ADMIN_PASSWORD = 'e2e-admin-password';

/** Signs `context` in as `admin`: its pages then carry the session and CSRF cookies. */
export async function signIn(context: BrowserContext, url: string): Promise<void> {
  const res = await context.request.post(`${url}/api/v1/auth/login`, {
    data: { username: 'admin', password: ADMIN_PASSWORD }
  });
  if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
}

/** Headers of an admin session for requests made outside the browser (Node's fetch). */
export async function adminHeaders(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD })
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const { csrf } = (await res.json()) as { csrf: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, 'x-csrf-token': csrf };
}
