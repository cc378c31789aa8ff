import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { threadCode, type ThreadModule } from '../../server/adapters/store/worker-store';
import { serverBundle } from '../helpers/server-process';

const THREADS: ThreadModule[] = ['writer-worker', 'ingest-worker', 'checkpoint-worker'];

describe('where the store finds its threads', () => {
  it.each(THREADS)(
    '%s from the TypeScript sources: the loader boot, then the .ts module',
    (name) => {
      const from = 'file:///repo/server/adapters/store/worker-store.ts';
      expect(threadCode(name, undefined, from)).toEqual({
        url: new URL('file:///repo/server/adapters/store/writer-boot.mjs'),
        entry: `file:///repo/server/adapters/store/${name}.ts`
      });
    }
  );

  it.each(THREADS)('%s in the bundle: its own .js module beside the chunk, no loader', (name) => {
    const from = 'file:///repo/build/backend/chunk-ABC123.js';
    expect(threadCode(name, undefined, from)).toEqual({
      url: new URL(`file:///repo/build/backend/${name}.js`)
    });
  });

  it('this module, run from its sources, uses the boot file that exists', () => {
    const { url, entry } = threadCode('writer-worker');
    expect(existsSync(url)).toBe(true);
    expect(existsSync(new URL(entry!))).toBe(true);
  });
});

describe('the server bundle (scripts/build-server.mjs)', () => {
  it('holds the entry, every thread module and the migrations side by side', async () => {
    const main = await serverBundle();
    const dir = dirname(main);
    expect(main.endsWith('main.js')).toBe(true);
    for (const name of ['main', ...THREADS]) expect(existsSync(join(dir, `${name}.js`))).toBe(true);
    const sql = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql'));
    const sources = readdirSync('server/adapters/store/migrations').filter((f) =>
      f.endsWith('.sql')
    );
    expect(sql.sort()).toEqual(sources.sort());
    // The bundle's code finds its threads beside itself, not through the loader.
    expect(
      threadCode('writer-worker', undefined, pathToFileURL(join(dir, 'chunk-x.js')).href).url.href
    ).toBe(pathToFileURL(join(dir, 'writer-worker.js')).href);
  });
});
