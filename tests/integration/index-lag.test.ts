import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inProcessStore } from '../../server/adapters/store/worker-store';
import { createApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Store } from '../../server/ports';
import type { Mention } from '../../src/lib/shared/types';
import { ManualScheduler } from '../helpers/fake-feed';
import { makeMention } from '../helpers/fixtures';
import { ManualSource, tempDataDir } from '../helpers/test-server';

/**
 * The text and author indexes are kept behind ingest and catch up between batches. Under ingest
 * that never pauses they may fall behind only so far: past `maxIndexLag` rows they take their
 * turn even with a batch in flight.
 */
describe('indexes kept behind ingest', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('wait while a batch is in flight, unless they are more than maxIndexLag behind', async () => {
    const d = tempDataDir();
    const real = inProcessStore(join(d.dir, 'mission-control.db'));
    // A store whose next ingest can be held uncommitted, as a slow commit would be.
    let holdNext = false;
    const gates: (() => void)[] = [];
    const store: Store = {
      ...real,
      get explore() {
        return real.explore;
      },
      get care() {
        return real.care;
      },
      ingestMentions: async (...args) => {
        if (holdNext) {
          holdNext = false;
          await new Promise<void>((r) => gates.push(r));
        }
        return real.ingestMentions(...args);
      }
    };
    const scheduler = new ManualScheduler();
    const source = new ManualSource();
    const app: App = createApp(
      loadConfig({ DATA_DIR: d.dir, PORT: '0', SIMULATOR: 'off', LOG_LEVEL: 'silent' }, []),
      { store, scheduler, sources: [source], logger: pino({ level: 'silent' }), maxIndexLag: 30 }
    );
    await app.start();
    stop = async () => {
      for (const open of gates) open(); // a failed expectation must not leave a batch held
      await app.stop();
      d.cleanup();
    };
    await app.refreshIndexes();
    const batch = (n: number): Mention[] => Array.from({ length: n }, () => makeMention());

    await source.push(batch(20));
    holdNext = true;
    const held = source.push(batch(1));
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    expect(app.inFlight).toBe(1);

    // 20 behind, under the bound: the timers' catch-up leaves ingest alone.
    scheduler.fire();
    await new Promise((r) => setTimeout(r, 100));
    expect(store.explore.indexLag()).toEqual({ text: 20, author: 20 });

    // 40 behind, over the bound: the catch-up runs although a batch is still in flight.
    await source.push(batch(20));
    expect(app.inFlight).toBe(1);
    scheduler.fire();
    await vi.waitFor(() => expect(store.explore.indexLag()).toEqual({ text: 0, author: 0 }), {
      timeout: 2000
    });
    gates[0]!();
    expect(await held).toBe(1);
  });
});
