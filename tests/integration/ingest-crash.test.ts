import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeMention } from '../helpers/fixtures';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tempDataDir } from '../helpers/test-server';

const TOKEN = 'crash-token-0123456789abcdef';

let data: ReturnType<typeof tempDataDir> | null = null;
let proc: ServerProcess | null = null;

afterEach(async () => {
  await proc?.stop('SIGKILL');
  data?.cleanup();
});

describe('a crash loses nothing that was acknowledged', () => {
  it('every mention answered with 202 is stored after SIGKILL and restart', async () => {
    data = tempDataDir();
    const env = { DATA_DIR: data.dir, SIMULATOR: 'off', INGEST_TOKEN: TOKEN };
    proc = await startServerProcess(env);
    const url = proc.url;
    const acked: string[] = [];
    let stop = false;
    let sent = 0;

    // Four writers stream NDJSON batches until the server dies (bounded by count and time).
    const writer = async (w: number): Promise<void> => {
      for (let batch = 0; !stop && batch < 400; batch++) {
        const ms = Array.from({ length: 50 }, (_, i) =>
          makeMention({ id: `w${w}-b${batch}-${i}` })
        );
        sent += ms.length;
        try {
          const res = await fetch(`${url}/api/v1/mentions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
            body: ms.map((m) => JSON.stringify(m)).join('\n'),
            signal: AbortSignal.timeout(5000)
          });
          if (res.status === 202) acked.push(...ms.map((m) => m.id));
          else await res.text();
        } catch {
          return; // the server is gone: whatever was not acknowledged may be lost
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 1500));
    await proc.stop('SIGKILL');
    stop = true;
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThan(500);
    expect(sent).toBeGreaterThan(acked.length - 1);

    // The file as the crash left it (WAL included), then through a restarted server.
    const db = new Database(join(data.dir, 'mission-control.db'), { readonly: true });
    const q = db.prepare('SELECT 1 FROM mentions WHERE source = ? AND id = ?');
    const missing = acked.filter((id) => q.get('test', id) === undefined);
    db.close();
    expect(missing).toEqual([]);

    proc = await startServerProcess(env);
    const health = (await (await fetch(`${proc.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const summary = (await (await fetch(`${proc.url}/api/v1/summary?window=1h`)).json()) as {
      volume: number;
    };
    expect(summary.volume).toBeGreaterThanOrEqual(acked.length);
  }, 60_000);
});
