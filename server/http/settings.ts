import type { RouteHandler } from './auth';
import { contextOf } from './gate';
import { readJson } from './json-body';
import { sendJson } from './respond';

/** A settings document saved, or refused with every problem by path. */
export type SettingsResult =
  | { ok: true; value: unknown; detail: string }
  | { ok: false; errors: { path: string; message: string }[] };

/** The settings sections the API edits. */
export const SETTINGS_SECTIONS = ['tracking', 'sources', 'notifications', 'retention'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/** What the settings routes need (server/adapters/settings/service.ts). */
export interface SettingsApiDeps {
  /** Every section, secrets masked. */
  get(): Record<SettingsSection, unknown>;
  put(section: SettingsSection, input: unknown): Promise<SettingsResult>;
}

/** `GET /api/v1/settings` and `PUT /api/v1/settings/{tracking,sources,notifications,retention}`. */
export function settingsRoutes(deps: () => SettingsApiDeps | null): Record<string, RouteHandler> {
  const service = (): SettingsApiDeps => {
    const s = deps();
    if (!s) throw new Error('settings are not loaded yet');
    return s;
  };
  const routes: Record<string, RouteHandler> = {
    'GET /api/v1/settings': (_req, res) => sendJson(res, 200, service().get())
  };
  for (const section of SETTINGS_SECTIONS) {
    routes[`PUT /api/v1/settings/${section}`] = async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const r = await service().put(section, body);
      if (!r.ok) {
        const first = r.errors[0];
        sendJson(res, 400, {
          error: first ? `${first.path}: ${first.message}` : `invalid ${section} settings`,
          field: first?.path ?? 'body',
          errors: r.errors
        });
        return;
      }
      contextOf(req).auditDetail = r.detail;
      sendJson(res, 200, r.value);
    };
  }
  return routes;
}
