import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer } from '../../scripts/build-server.mjs';

/**
 * Vitest's global setup: bundles the server from the current sources once for the whole run (as
 * `npm start` does) and hands its directory to every test file through `MC_TEST_BACKEND`, so that
 * server processes and the store's threads start from plain JavaScript instead of compiling
 * TypeScript on every start. Removed when the run ends.
 */
export default async function setup(): Promise<() => void> {
  const cache = join(process.cwd(), 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, `mc-backend-${process.pid}-`));
  await buildServer(dir);
  process.env.MC_TEST_BACKEND = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
