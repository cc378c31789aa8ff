import { apiFetch, forgetDisplayToken } from './api';

/** Roles, weakest first: each includes everything the ones before it may do. */
export const ROLES = ['viewer', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a principal may do: read the wall, act on alerts, manage rules, administer. */
export type Permission = 'view' | 'act' | 'manage' | 'admin';

const NEEDS: Record<Permission, Role> = {
  view: 'viewer',
  act: 'agent',
  manage: 'manager',
  admin: 'admin'
};

/** How the current request was authenticated. */
export type Via = 'session' | 'display' | 'token' | 'anonymous';

/** A signed-in user. */
export interface SessionUser {
  username: string;
  role: Role;
}

/** The display token the wall was opened with. */
export interface DisplayInfo {
  id: string;
  name: string;
  scene: string | null;
  privacy: boolean;
}

/** `GET /api/v1/auth/me`. */
export interface Me {
  user: SessionUser | null;
  role: Role | null;
  via: Via | null;
  display: DisplayInfo | null;
  csrf: string | null;
  setupRequired: boolean;
}

/** True when `role` may do `permission` (null: nobody). */
export function roleCan(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  const have = ROLES.indexOf(role);
  return have >= 0 && have >= ROLES.indexOf(NEEDS[permission]);
}

/**
 * Who is looking at the page: loaded once from `/api/v1/auth/me` (call `load()`; later calls
 * reuse the first answer unless `refresh()`).
 */
export class Session {
  user = $state.raw<SessionUser | null>(null);
  role = $state.raw<Role | null>(null);
  via = $state.raw<Via | null>(null);
  display = $state.raw<DisplayInfo | null>(null);
  setupRequired = $state.raw(false);
  /** True once the first answer (or failure) arrived. */
  loaded = $state.raw(false);
  /** Why loading failed, or null. */
  error = $state.raw<string | null>(null);

  #loading: Promise<void> | null = null;
  readonly #fetch: typeof apiFetch;

  constructor(fetcher: typeof apiFetch = apiFetch) {
    this.#fetch = fetcher;
  }

  /** Loads `/api/v1/auth/me` once. */
  load(): Promise<void> {
    this.#loading ??= this.refresh();
    return this.#loading;
  }

  /** Loads `/api/v1/auth/me` again (after signing in or out). */
  async refresh(): Promise<void> {
    const run = (async () => {
      try {
        const res = await this.#fetch('/api/v1/auth/me');
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        this.apply((await res.json()) as Me);
        this.error = null;
      } catch (e) {
        this.error = e instanceof Error ? e.message : String(e);
      } finally {
        this.loaded = true;
      }
    })();
    this.#loading = run;
    return run;
  }

  /** Takes an answer of `/api/v1/auth/me`. */
  apply(me: Me): void {
    this.user = me.user ?? null;
    this.role = me.role ?? me.user?.role ?? null;
    this.via = me.via ?? null;
    this.display = me.display ?? null;
    this.setupRequired = me.setupRequired === true;
  }

  /** True when the current principal may do `permission`. */
  can(permission: Permission): boolean {
    return roleCan(this.role, permission);
  }

  /** Signs out (the server clears the cookies) and reloads who is looking. */
  async logout(): Promise<boolean> {
    const res = await this.#fetch('/api/v1/auth/logout', { method: 'POST' });
    forgetDisplayToken();
    await this.refresh();
    return res.ok;
  }
}

/** The page's session, shared by every component. */
export const session = new Session();
