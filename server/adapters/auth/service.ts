import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  ROLES,
  TOKEN_SCOPES,
  type ApiTokenView,
  type AuditEntry,
  type AuthVia,
  type DisplayView,
  type Role,
  type TokenScope,
  type UserView
} from '../../../src/lib/shared/types';
import { roleAtLeast, type Principal } from '../../core/auth/access';
import { FailureLimiter } from '../../core/auth/rate-limit';
import type { Clock, Store } from '../../ports';

/** How long a session lasts without use, and at most. */
const SESSION_IDLE_MS = 7 * 86_400_000;
const SESSION_MAX_MS = 30 * 86_400_000;
/** How often a used session or token has its last-use time written back. */
const TOUCH_EVERY_MS = 60_000;
/** Sign-in failures allowed per username and address, and per address, in LOGIN_WINDOW_MS. */
const LOGIN_FAILURES_PER_USER = 5;
const LOGIN_FAILURES_PER_ADDRESS = 30;
const LOGIN_WINDOW_MS = 15 * 60_000;

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export const usernameSchema = z
  .string({ error: 'username is required' })
  .trim()
  .toLowerCase()
  .regex(
    USERNAME,
    'username must be 2–40 characters: lower-case letters, digits, dot, dash or underscore'
  );
export const passwordSchema = z
  .string({ error: 'password is required' })
  .min(10, 'password must be at least 10 characters')
  .max(200, 'password must be at most 200 characters');
export const roleSchema = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });

const userRecord = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  hash: z.string(),
  createdAt: z.number(),
  lastLoginAt: z.number().nullable(),
  disabled: z.boolean()
});
type UserRecord = z.infer<typeof userRecord>;

const sessionRecord = z.object({
  /** SHA-256 of the cookie value (the cookie itself is never stored). */
  id: z.string(),
  username: z.string(),
  csrf: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  lastSeenAt: z.number()
});
type SessionRecord = z.infer<typeof sessionRecord>;

const tokenRecord = z.object({
  id: z.string(),
  type: z.enum(['api', 'display']),
  name: z.string(),
  /** SHA-256 of the secret. */
  hash: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  scene: z.string().nullable(),
  privacy: z.boolean(),
  createdAt: z.number(),
  createdBy: z.string(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable()
});
type TokenRecord = z.infer<typeof tokenRecord>;

/** What a sign-in returns to be set as cookies. */
export interface SessionIssued {
  /** The `mc_session` cookie value. */
  cookie: string;
  csrf: string;
  user: { username: string; role: Role };
  /** When the cookie expires in the browser: the session's longest life (the server ends it
   * earlier when it goes unused for SESSION_IDLE_MS). */
  expiresAt: number;
}

export type LoginResult =
  | ({ ok: true } & SessionIssued)
  | { ok: false; status: 401; error: string }
  | { ok: false; status: 429; error: string; retryAfterMs: number };

/** A change refused, with the status and the field at fault. */
export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 409;
  error: string;
  field?: string;
}

/** Options of the auth service. */
export interface AuthOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** ADMIN_PASSWORD: creates user `admin` on a first start. */
  adminPassword: string | null;
  /** Where the one-time setup link points. */
  publicUrl: string;
  /** INGEST_TOKEN from the environment (an ingest-only token that is not stored). */
  ingestToken: string | null;
  /** argon2 cost (tests lower it); OWASP's minimum for argon2id by default. */
  hashCost?: { memoryCost: number; timeCost: number };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const secret = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parses stored documents, dropping (and logging) any that do not validate. */
function parseAll<T>(docs: unknown[], schema: z.ZodType<T>, logger: Logger, what: string): T[] {
  const out: T[] = [];
  for (const d of docs) {
    const r = schema.safeParse(d);
    if (r.success) out.push(r.data);
    else logger.warn({ issues: r.error.issues.slice(0, 3) }, `ignoring an invalid stored ${what}`);
  }
  return out;
}

const userView = (u: UserRecord): UserView => ({
  username: u.username,
  role: u.role,
  createdAt: u.createdAt,
  lastLoginAt: u.lastLoginAt,
  disabled: u.disabled
});

const tokenView = (t: TokenRecord): ApiTokenView => ({
  id: t.id,
  name: t.name,
  scopes: t.scopes,
  createdAt: t.createdAt,
  createdBy: t.createdBy,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt
});

const displayView = (t: TokenRecord): DisplayView => ({
  id: t.id,
  name: t.name,
  scene: t.scene,
  privacy: t.privacy,
  createdAt: t.createdAt,
  createdBy: t.createdBy,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt
});

/**
 * Users, sessions, API and display tokens, held in memory and written through to SQLite; and the
 * audit log. Secrets are only ever stored hashed (argon2id for passwords, SHA-256 for random
 * tokens, which have 256 bits of entropy and need no slow hash).
 */
export class AuthService {
  private readonly users = new Map<string, UserRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  /** Tokens by the hash of their secret. */
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly byUser = new FailureLimiter(LOGIN_FAILURES_PER_USER, LOGIN_WINDOW_MS);
  private readonly byAddress = new FailureLimiter(LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_MS);
  private setupToken: string | null = null;
  /** A hash verified against when the user does not exist, so both cost the same time. */
  private dummyHash: Promise<string>;
  private readonly listeners = new Set<(e: AuthRevocation) => void>();

  private constructor(private readonly o: AuthOptions) {
    this.dummyHash = this.hash(randomBytes(16).toString('hex'));
  }

  /** Loads the records and creates the first administrator (or the setup link). */
  static async open(o: AuthOptions): Promise<AuthService> {
    const s = new AuthService(o);
    for (const u of parseAll(o.store.loadAuthRecords('user'), userRecord, o.logger, 'user')) {
      s.users.set(u.username, u);
    }
    const now = o.clock.now();
    for (const x of parseAll(
      o.store.loadAuthRecords('session'),
      sessionRecord,
      o.logger,
      'session'
    )) {
      if (x.expiresAt > now && s.users.has(x.username)) s.sessions.set(x.id, x);
      else await o.store.putAuthRecord('session', x.id, null, now);
    }
    for (const t of parseAll(o.store.loadAuthRecords('token'), tokenRecord, o.logger, 'token')) {
      s.tokens.set(t.hash, t);
    }
    if (s.users.size === 0) {
      if (o.adminPassword) {
        const r = await s.createUser({
          username: 'admin',
          password: o.adminPassword,
          role: 'admin'
        });
        if (!r.ok) throw new Error(`ADMIN_PASSWORD: ${r.error}`);
        await s.audit({ actor: 'system', via: 'anonymous', ip: '' }, 'user.create', 'admin', {
          detail: 'first administrator from ADMIN_PASSWORD'
        });
        o.logger.info('created the administrator "admin" from ADMIN_PASSWORD');
      } else {
        s.setupToken = randomBytes(24).toString('base64url');
        o.logger.warn(
          { setupUrl: `${o.publicUrl}/setup?token=${s.setupToken}` },
          `No administrator yet. Create one (this link works once): ${o.publicUrl}/setup?token=${s.setupToken}`
        );
      }
    }
    return s;
  }

  /** True until the first administrator exists. */
  get setupRequired(): boolean {
    return this.users.size === 0;
  }

  /** Called when sessions or displays are revoked, so their sockets can be closed. */
  onRevoke(listener: (e: AuthRevocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private revoked(e: AuthRevocation): void {
    for (const l of this.listeners) l(e);
  }

  private hash(password: string): Promise<string> {
    const cost = this.o.hashCost ?? { memoryCost: 19_456, timeCost: 2 };
    return argon2.hash(password, { type: argon2.argon2id, parallelism: 1, ...cost });
  }

  // --- Authentication ---------------------------------------------------------------------

  /** The session of a `mc_session` cookie value, or null when unknown, expired or disabled. */
  session(cookie: string, now: number): Extract<Principal, { kind: 'user' }> | null {
    const id = sha256(cookie);
    const s = this.sessions.get(id);
    if (!s) return null;
    const user = this.users.get(s.username);
    if (!user || user.disabled || now >= s.expiresAt) {
      this.sessions.delete(id);
      void this.o.store.putAuthRecord('session', id, null, now).catch(() => undefined);
      return null;
    }
    if (now - s.lastSeenAt >= TOUCH_EVERY_MS) {
      s.lastSeenAt = now;
      s.expiresAt = Math.min(s.createdAt + SESSION_MAX_MS, now + SESSION_IDLE_MS);
      void this.o.store.putAuthRecord('session', id, s, now).catch(() => undefined);
    }
    return { kind: 'user', username: user.username, role: user.role, sessionId: id, csrf: s.csrf };
  }

  /**
   * The principal of an `Authorization: Bearer` secret: an API token, or INGEST_TOKEN (ingest
   * only); null when it is neither (or revoked).
   */
  bearer(value: string, now: number): Extract<Principal, { kind: 'token' }> | null {
    if (this.o.ingestToken && safeEqual(value, this.o.ingestToken)) {
      return { kind: 'token', id: 'env', name: 'INGEST_TOKEN', scopes: ['ingest'] };
    }
    const t = this.tokens.get(sha256(value));
    if (!t || t.type !== 'api' || t.revokedAt !== null) return null;
    this.touch(t, now);
    return { kind: 'token', id: t.id, name: t.name, scopes: t.scopes };
  }

  /** The principal of a display token, or null when unknown or revoked. */
  display(value: string, now: number): Extract<Principal, { kind: 'display' }> | null {
    const t = this.tokens.get(sha256(value));
    if (!t || t.type !== 'display' || t.revokedAt !== null) return null;
    this.touch(t, now);
    return { kind: 'display', id: t.id, name: t.name, scene: t.scene, privacy: t.privacy };
  }

  /** True when some credential can reach the ingest endpoint (else it says how to enable it). */
  get ingestEnabled(): boolean {
    if (this.o.ingestToken) return true;
    for (const t of this.tokens.values()) {
      if (t.type === 'api' && t.revokedAt === null && t.scopes.some((s) => s !== 'read')) {
        return true;
      }
    }
    return false;
  }

  private touch(t: TokenRecord, now: number): void {
    if (t.lastUsedAt !== null && now - t.lastUsedAt < TOUCH_EVERY_MS) return;
    t.lastUsedAt = now;
    void this.o.store.putAuthRecord('token', t.id, t, now).catch(() => undefined);
  }

  /**
   * Signs in: at most 5 failures per username and address (and 30 per address) in 15 minutes.
   * Unknown users cost the same time as wrong passwords.
   */
  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const name = username.trim().toLowerCase();
    const userKey = `${name}|${address}`;
    const now = this.o.clock.now();
    const wait = Math.max(
      this.byUser.retryAfter(userKey, now),
      this.byAddress.retryAfter(address, now)
    );
    if (wait > 0) {
      return {
        ok: false,
        status: 429,
        error: `too many failed sign-ins: try again in ${Math.ceil(wait / 60_000)} minute(s)`,
        retryAfterMs: wait
      };
    }
    const user = this.users.get(name);
    const hash = user?.hash ?? (await this.dummyHash);
    let valid = false;
    try {
      valid = await argon2.verify(hash, password);
    } catch {
      valid = false;
    }
    if (!user || !valid || user.disabled) {
      const t = this.o.clock.now();
      this.byUser.fail(userKey, t);
      this.byAddress.fail(address, t);
      return { ok: false, status: 401, error: 'wrong username or password' };
    }
    this.byUser.clear(userKey);
    user.lastLoginAt = this.o.clock.now();
    await this.o.store.putAuthRecord('user', user.username, user, user.lastLoginAt);
    return { ok: true, ...(await this.issue(user)) };
  }

  private async issue(user: UserRecord): Promise<SessionIssued> {
    const now = this.o.clock.now();
    const cookie = randomBytes(32).toString('base64url');
    const s: SessionRecord = {
      id: sha256(cookie),
      username: user.username,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: now,
      expiresAt: now + SESSION_IDLE_MS,
      lastSeenAt: now
    };
    this.sessions.set(s.id, s);
    await this.o.store.putAuthRecord('session', s.id, s, now);
    return {
      cookie,
      csrf: s.csrf,
      user: { username: user.username, role: user.role },
      expiresAt: now + SESSION_MAX_MS
    };
  }

  /** Ends a session (by its stored id). */
  async logout(sessionId: string): Promise<void> {
    if (!this.sessions.delete(sessionId)) return;
    await this.o.store.putAuthRecord('session', sessionId, null, this.o.clock.now());
    this.revoked({ kind: 'session', ids: [sessionId] });
  }

  /** Creates the first administrator with the one-time setup token. */
  async setup(
    token: string,
    username: string,
    password: string
  ): Promise<({ ok: true } & SessionIssued) | Refusal> {
    if (this.users.size > 0) {
      return { ok: false, status: 409, error: 'setup is done: sign in instead' };
    }
    if (!this.setupToken || !safeEqual(token, this.setupToken)) {
      return {
        ok: false,
        status: 403,
        error: 'the setup link is not valid: use the one printed in the server log',
        field: 'token'
      };
    }
    const r = await this.createUser({ username, password, role: 'admin' });
    if (!r.ok) return r;
    this.setupToken = null;
    const user = this.users.get(r.user.username)!;
    return { ok: true, ...(await this.issue(user)) };
  }

  // --- Users ------------------------------------------------------------------------------

  listUsers(): UserView[] {
    return [...this.users.values()].map(userView);
  }

  private admins(except?: string): number {
    let n = 0;
    for (const u of this.users.values()) {
      if (u.role === 'admin' && !u.disabled && u.username !== except) n++;
    }
    return n;
  }

  async createUser(input: {
    username: string;
    password: string;
    role: Role;
  }): Promise<{ ok: true; user: UserView } | Refusal> {
    const name = usernameSchema.safeParse(input.username);
    if (!name.success) return bad(name.error, 'username');
    const pw = passwordSchema.safeParse(input.password);
    if (!pw.success) return bad(pw.error, 'password');
    if (this.users.has(name.data)) {
      return { ok: false, status: 409, error: `user ${name.data} exists`, field: 'username' };
    }
    const now = this.o.clock.now();
    const u: UserRecord = {
      username: name.data,
      role: input.role,
      hash: await this.hash(pw.data),
      createdAt: now,
      lastLoginAt: null,
      disabled: false
    };
    this.users.set(u.username, u);
    await this.o.store.putAuthRecord('user', u.username, u, now);
    return { ok: true, user: userView(u) };
  }

  async updateUser(
    username: string,
    change: { role?: Role; password?: string; disabled?: boolean }
  ): Promise<{ ok: true; user: UserView; detail: string } | Refusal> {
    const u = this.users.get(username);
    if (!u) return { ok: false, status: 404, error: `no user ${username}`, field: 'username' };
    const demoted = change.role !== undefined && !roleAtLeast(change.role, 'admin');
    if (u.role === 'admin' && (demoted || change.disabled) && this.admins(u.username) === 0) {
      return {
        ok: false,
        status: 409,
        error: 'this is the last administrator: make another user admin first',
        field: change.role !== undefined ? 'role' : 'disabled'
      };
    }
    const notes: string[] = [];
    if (change.password !== undefined) {
      const pw = passwordSchema.safeParse(change.password);
      if (!pw.success) return bad(pw.error, 'password');
      u.hash = await this.hash(pw.data);
      notes.push('password changed');
    }
    if (change.role !== undefined && change.role !== u.role) {
      notes.push(`role ${u.role} → ${change.role}`);
      u.role = change.role;
    }
    if (change.disabled !== undefined && change.disabled !== u.disabled) {
      notes.push(change.disabled ? 'disabled' : 'enabled');
      u.disabled = change.disabled;
    }
    const now = this.o.clock.now();
    await this.o.store.putAuthRecord('user', u.username, u, now);
    // A new password, a lost role or a disabled account ends the user's sessions.
    if (change.password !== undefined || change.disabled || change.role !== undefined) {
      await this.endSessionsOf(u.username);
    }
    return { ok: true, user: userView(u), detail: notes.join(', ') || 'no change' };
  }

  async deleteUser(username: string): Promise<{ ok: true } | Refusal> {
    const u = this.users.get(username);
    if (!u) return { ok: false, status: 404, error: `no user ${username}`, field: 'username' };
    if (u.role === 'admin' && this.admins(u.username) === 0) {
      return {
        ok: false,
        status: 409,
        error: 'this is the last administrator: make another user admin first'
      };
    }
    this.users.delete(username);
    await this.o.store.putAuthRecord('user', username, null, this.o.clock.now());
    await this.endSessionsOf(username);
    return { ok: true };
  }

  private async endSessionsOf(username: string): Promise<void> {
    const ids = [...this.sessions.values()].filter((s) => s.username === username).map((s) => s.id);
    const now = this.o.clock.now();
    for (const id of ids) {
      this.sessions.delete(id);
      await this.o.store.putAuthRecord('session', id, null, now);
    }
    if (ids.length) this.revoked({ kind: 'session', ids });
  }

  // --- Tokens -----------------------------------------------------------------------------

  listTokens(): ApiTokenView[] {
    return [...this.tokens.values()].filter((t) => t.type === 'api').map(tokenView);
  }

  listDisplays(): DisplayView[] {
    return [...this.tokens.values()].filter((t) => t.type === 'display').map(displayView);
  }

  /** Creates an API token; the secret is returned once and stored only hashed. */
  async createToken(
    name: string,
    scopes: TokenScope[],
    by: string
  ): Promise<{ token: string; view: ApiTokenView }> {
    const token = secret('mct');
    const t = this.newToken('api', name, by, token, { scopes: [...new Set(scopes)] });
    await this.o.store.putAuthRecord('token', t.id, t, t.createdAt);
    return { token, view: tokenView(t) };
  }

  /** Creates a display token (read only, never expires until revoked). */
  async createDisplay(
    name: string,
    scene: string | null,
    privacy: boolean,
    by: string
  ): Promise<{ token: string; view: DisplayView }> {
    const token = secret('mcd');
    const t = this.newToken('display', name, by, token, { scene, privacy });
    await this.o.store.putAuthRecord('token', t.id, t, t.createdAt);
    return { token, view: displayView(t) };
  }

  private newToken(
    type: TokenRecord['type'],
    name: string,
    by: string,
    token: string,
    o: { scopes?: TokenScope[]; scene?: string | null; privacy?: boolean }
  ): TokenRecord {
    const t: TokenRecord = {
      id: randomBytes(8).toString('hex'),
      type,
      name,
      hash: sha256(token),
      scopes: o.scopes ?? [],
      scene: o.scene ?? null,
      privacy: o.privacy ?? false,
      createdAt: this.o.clock.now(),
      createdBy: by,
      lastUsedAt: null,
      revokedAt: null
    };
    this.tokens.set(t.hash, t);
    return t;
  }

  private find(type: TokenRecord['type'], id: string): TokenRecord | null {
    for (const t of this.tokens.values()) if (t.id === id && t.type === type) return t;
    return null;
  }

  /** Changes a display's name, scene or privacy; null when there is no such display. */
  async updateDisplay(
    id: string,
    change: { name?: string; scene?: string | null; privacy?: boolean }
  ): Promise<DisplayView | null> {
    const t = this.find('display', id);
    if (!t) return null;
    if (change.name !== undefined) t.name = change.name;
    if (change.scene !== undefined) t.scene = change.scene;
    if (change.privacy !== undefined) t.privacy = change.privacy;
    await this.o.store.putAuthRecord('token', t.id, t, this.o.clock.now());
    // Connected walls pick the change up on reconnect.
    this.revoked({ kind: 'display', ids: [t.id] });
    return displayView(t);
  }

  /** Revokes an API or display token; false when there is no such active token. */
  async revoke(type: 'api' | 'display', id: string): Promise<boolean> {
    const t = this.find(type, id);
    if (!t || t.revokedAt !== null) return false;
    t.revokedAt = this.o.clock.now();
    await this.o.store.putAuthRecord('token', t.id, t, t.revokedAt);
    this.revoked({ kind: type === 'display' ? 'display' : 'token', ids: [t.id] });
    return true;
  }

  // --- Audit ------------------------------------------------------------------------------

  /** Appends to the audit log; resolves once committed. */
  async audit(
    who: { actor: string; via: AuthVia; ip: string },
    action: string,
    target: string,
    o: { detail?: string } = {}
  ): Promise<void> {
    await this.o.store.appendAudit({
      at: this.o.clock.now(),
      actor: who.actor,
      via: who.via,
      action,
      target: target.slice(0, 500),
      detail: (o.detail ?? '').slice(0, 2000),
      ip: who.ip
    });
  }

  /** Audit entries newest first. */
  auditLog(limit: number, before?: number): AuditEntry[] {
    return this.o.store.loadAudit(limit, before);
  }
}

/** Sessions or tokens that stopped being valid: their sockets are disconnected. */
export type AuthRevocation =
  | { kind: 'session'; ids: string[] }
  | { kind: 'display'; ids: string[] }
  | { kind: 'token'; ids: string[] };

function bad(error: z.ZodError, field: string): Refusal {
  return { ok: false, status: 400, error: error.issues[0]?.message ?? `invalid ${field}`, field };
}
