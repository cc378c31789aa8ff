// Bundles the server's TypeScript into plain JavaScript modules: `server/main.ts` and the store's
// three thread modules, with the code they share in common chunks, and the SQL migrations beside
// them. `npm start` and the test and benchmark harnesses run this bundle, so a start does not
// compile TypeScript through the loader on each of its four threads (97 modules for the main
// thread alone; about 4.6 s before the server listened, see ARCHITECTURE.md, "Running the
// server"). Packages stay in node_modules and are imported as usual.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const store = join(root, 'server', 'adapters', 'store');

/**
 * Builds the server into `outdir` (emptied first).
 * @param {string} outdir
 * @returns {Promise<string>} the path of the bundle's entry, `main.js`
 */
export async function buildServer(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: join(root, 'server', 'main.ts'),
      'writer-worker': join(store, 'writer-worker.ts'),
      'ingest-worker': join(store, 'ingest-worker.ts'),
      'checkpoint-worker': join(store, 'checkpoint-worker.ts')
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Thread modules and chunks sit in one directory: worker-store.ts finds them beside itself.
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning'
  });
  // sqlite-store.ts reads its migrations from beside itself, which in the bundle is `outdir`.
  cpSync(join(store, 'migrations'), join(outdir, 'migrations'), { recursive: true });
  return join(outdir, 'main.js');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServer(join(root, 'build', 'backend'));
}
