// Builds the wall when there is no build yet or the UI sources are newer than it, so that
// `npm install && npm start` works on a fresh clone, then bundles the server from its current
// sources (well under a second; `vite build` empties build/, so this comes after it).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer } from './build-server.mjs';

const marker = 'build/handler.js';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts'].filter((p) => existsSync(p));
const sourcesAt = Math.max(
  ...inputs.map((p) => (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs))
);
if (!existsSync(marker) || statSync(marker).mtimeMs < sourcesAt) {
  console.log('Building the wall (first start or changed sources)…');
  execSync('npx vite build', { stdio: 'inherit' });
}
await buildServer(join('build', 'backend'));
