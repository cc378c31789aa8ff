import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthService } from '../../../server/adapters/auth/service';
import { inProcessStore } from '../../../server/adapters/store/worker-store';
import type { Store } from '../../../server/ports';

const DAY = 86_400_000;
const dirs: string[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A service over a temp SQLite file with a fake clock, and the log lines it printed. */
async function open(o: { adminPassword?: string | null; file?: string } = {}) {
  const file = o.file ?? join(mkdtempSync(join(tmpdir(), 'mc-auth-')), 'db.sqlite');
  if (!o.file) dirs.push(join(file, '..'));
  const store = inProcessStore(file);
  stores.push(store);
  const clock = { t: Date.UTC(2026, 10, 23, 12), now: () => clock.t };
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      }
    })
  );
  const auth = await AuthService.open({
    store,
    clock,
    logger,
    adminPassword: o.adminPassword === undefined ? 'first-admin-password' : o.adminPassword,
    publicUrl: 'http://localhost:3000',
    ingestToken: null,
    hashCost: { memoryCost: 1024, timeCost: 1 }
  });
  return { auth, clock, lines, store, file };
}

describe('AuthService', () => {
  it.each([
    ['right password', 'first-admin-password', true],
    ['wrong password', 'first-admin-passworD', false],
    ['empty password', '', false],
    ['unknown user', null, false]
  ] as const)('signs in: %s', async (_name, password, ok) => {
    const { auth } = await open();
    const r = await auth.login(password === null ? 'ghost' : 'admin', password ?? 'x', '10.0.0.1');
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r).toMatchObject({ status: 401, error: 'wrong username or password' });
  });

  it('stores only hashes: the password and the session cookie are nowhere in the records', async () => {
    const { auth, store } = await open();
    const r = await auth.login('admin', 'first-admin-password', '10.0.0.1');
    if (!r.ok) throw new Error('no session');
    const made = await auth.createToken('feed', ['ingest'], 'admin');
    const records = JSON.stringify([
      store.loadAuthRecords('user'),
      store.loadAuthRecords('session'),
      store.loadAuthRecords('token')
    ]);
    expect(records).not.toContain('first-admin-password');
    expect(records).not.toContain(r.cookie);
    expect(records).not.toContain(made.token);
    expect(records).toContain('$argon2id$');
  });

  it('limits failed sign-ins per user and address over a sliding 15 minutes', async () => {
    const { auth, clock } = await open();
    for (let i = 0; i < 5; i++) {
      expect((await auth.login('admin', 'nope', '10.0.0.1')).ok).toBe(false);
    }
    const blocked = await auth.login('admin', 'first-admin-password', '10.0.0.1');
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    // Another address is not blocked by this one's failures.
    expect((await auth.login('admin', 'first-admin-password', '10.0.0.2')).ok).toBe(true);
    clock.t += 15 * 60_000 + 1;
    expect((await auth.login('admin', 'first-admin-password', '10.0.0.1')).ok).toBe(true);
  });

  it('ends a session after 7 idle days and at 30 days whatever happens', async () => {
    const { auth, clock } = await open();
    const r = await auth.login('admin', 'first-admin-password', '10.0.0.1');
    if (!r.ok) throw new Error('no session');
    clock.t += 6 * DAY;
    expect(auth.session(r.cookie, clock.t)).not.toBeNull();
    // Used every 6 days, it lives to its 30th day and no longer.
    for (let day = 12; day < 30; day += 6) {
      clock.t += 6 * DAY;
      expect(auth.session(r.cookie, clock.t), `day ${day}`).not.toBeNull();
    }
    clock.t += 6 * DAY;
    expect(auth.session(r.cookie, clock.t)).toBeNull();
    const idle = await auth.login('admin', 'first-admin-password', '10.0.0.1');
    if (!idle.ok) throw new Error('no session');
    clock.t += 7 * DAY + 1;
    expect(auth.session(idle.cookie, clock.t)).toBeNull();
  });

  it('keeps a display token working for years until it is revoked, across restarts', async () => {
    const first = await open();
    const d = await first.auth.createDisplay('Lobby', 'overview', true, 'admin');
    first.clock.t += 3 * 365 * DAY;
    expect(first.auth.display(d.token, first.clock.t)).toMatchObject({
      kind: 'display',
      name: 'Lobby',
      scene: 'overview',
      privacy: true
    });
    await first.store.close();
    stores.splice(stores.indexOf(first.store), 1);
    const again = await open({ file: first.file });
    again.clock.t += 5 * 365 * DAY;
    expect(again.auth.display(d.token, again.clock.t)).not.toBeNull();
    expect(await again.auth.revoke('display', d.view.id)).toBe(true);
    expect(again.auth.display(d.token, again.clock.t)).toBeNull();
    // A display token is not an API token, and the other way round.
    const api = await again.auth.createToken('reader', ['read'], 'admin');
    expect(again.auth.display(api.token, again.clock.t)).toBeNull();
    expect(again.auth.bearer(api.token, again.clock.t)).toMatchObject({ scopes: ['read'] });
  });

  it('prints a one-time setup link when no administrator is configured', async () => {
    const { auth, lines } = await open({ adminPassword: null });
    expect(auth.setupRequired).toBe(true);
    const link = /setup\?token=([\w-]+)/.exec(lines.join('\n'));
    expect(link).not.toBeNull();
    expect(await auth.setup('wrong', 'owner', 'a-long-password')).toMatchObject({ status: 403 });
    const ok = await auth.setup(link![1]!, 'owner', 'a-long-password');
    expect(ok.ok).toBe(true);
    expect(auth.setupRequired).toBe(false);
    expect(await auth.setup(link![1]!, 'other', 'a-long-password')).toMatchObject({ status: 409 });
    expect(auth.listUsers()).toEqual([
      expect.objectContaining({ username: 'owner', role: 'admin' })
    ]);
  });

  it.each([
    ['a short password', { username: 'dana', password: 'short', role: 'agent' }, 'password'],
    [
      'a bad username',
      { username: 'Dana Smith', password: 'long-enough-pw', role: 'agent' },
      'username'
    ],
    [
      'a taken username',
      { username: 'admin', password: 'long-enough-pw', role: 'agent' },
      'username'
    ]
  ] as const)('refuses %s, naming the field', async (_n, input, field) => {
    const { auth } = await open();
    const r = await auth.createUser(input);
    expect(r).toMatchObject({ ok: false, field });
  });

  it('a new password ends the sessions of the user and tells the listeners', async () => {
    const { auth, clock } = await open();
    const r = await auth.login('admin', 'first-admin-password', '10.0.0.1');
    if (!r.ok) throw new Error('no session');
    const revoked: string[] = [];
    auth.onRevoke((e) => revoked.push(`${e.kind}:${e.ids.length}`));
    await auth.updateUser('admin', { password: 'a-brand-new-password' });
    expect(auth.session(r.cookie, clock.t)).toBeNull();
    expect(revoked).toEqual(['session:1']);
  });
});
