import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tempDataDir, waitFor } from '../helpers/test-server';

let data: ReturnType<typeof tempDataDir> | null = null;
let proc: ServerProcess | null = null;

afterEach(async () => {
  await proc?.stop('SIGKILL');
  data?.cleanup();
});

async function summary(url: string): Promise<{ volume: number }> {
  const res = await fetch(`${url}/api/v1/summary?window=1h`);
  return (await res.json()) as { volume: number };
}

describe('server/main.ts as a process', () => {
  it('stops cleanly on SIGTERM, flushing everything, and starts again with the same history', async () => {
    data = tempDataDir();
    const env = { DATA_DIR: data.dir, SIMULATOR_RATE: '200', SIMULATOR_CRISIS_EVERY_S: '0' };
    proc = await startServerProcess(env);
    const health = (await (await fetch(`${proc.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    await waitFor(async () => (await summary(proc!.url)).volume > 200, 10_000);

    expect(await proc.stop('SIGTERM')).toBe(0);

    const db = new Database(join(data.dir, 'mission-control.db'), { readonly: true });
    const stored = (db.prepare('SELECT COUNT(*) AS n FROM mentions').get() as { n: number }).n;
    const rolled = (
      db.prepare("SELECT SUM(json_extract(counts, '$[0]')) AS n FROM rollup_minute").get() as {
        n: number;
      }
    ).n;
    db.close();
    expect(stored).toBeGreaterThan(200);
    // Every stored mention is in a flushed minute rollup: nothing was lost at shutdown.
    expect(rolled).toBe(stored);

    proc = await startServerProcess({ ...env, SIMULATOR: 'off' });
    expect((await summary(proc.url)).volume).toBe(stored);
  });

  it('refuses a bad configuration with a message naming the variable', async () => {
    data = tempDataDir();
    await expect(
      startServerProcess({ DATA_DIR: data.dir, SIMULATOR_RATE: 'lots' }, 15_000)
    ).rejects.toThrow(/SIMULATOR_RATE/);
  });
});
