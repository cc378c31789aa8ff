import { rmSync } from 'node:fs';
import { buildServer } from '../../scripts/build-server.mjs';
import { newBundleDir } from './server-process';

/**
 * Vitest's global setup: bundles the server from the current sources once for the whole run (as
 * `npm start` does) and hands its directory to every test file through `MC_TEST_BACKEND`, so that
 * server processes and the store's threads start from plain JavaScript instead of compiling
 * TypeScript on every start. Removed when the run ends.
 */
export default async function setup(): Promise<() => void> {
  const dir = newBundleDir();
  await buildServer(dir);
  process.env.MC_TEST_BACKEND = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
