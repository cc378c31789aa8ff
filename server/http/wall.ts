import type { WallConfig } from '../../src/lib/shared/types';
import { wallConfigSchema } from '../core/wall/config';
import type { RouteHandler } from './auth';
import { fieldOf, readJson } from './json-body';
import { sendError, sendJson } from './respond';

/** What the wall settings routes need. */
export interface WallRouteDeps {
  /** The complete configuration in force. */
  config(): WallConfig;
  /**
   * Stores a validated configuration, puts it in force and tells every client (`wall:config`);
   * resolves with the complete configuration.
   */
  save(config: WallConfig): Promise<WallConfig>;
}

/** `GET` and `PUT /api/v1/settings/wall`: the wall's scenes and playlists (admins). */
export function wallRoutes(deps: WallRouteDeps): Record<string, RouteHandler> {
  return {
    'GET /api/v1/settings/wall': (_req, res) => sendJson(res, 200, deps.config()),

    'PUT /api/v1/settings/wall': async (req, res) => {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const c = wallConfigSchema.safeParse(body);
      if (!c.success) {
        const { field, message } = fieldOf(c.error.issues);
        return sendError(res, 400, `${field}: ${message}`, field);
      }
      sendJson(res, 200, await deps.save(c.data));
    }
  };
}
