import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildServer } from '../../scripts/build-server.mjs';

/**
 * The server bundle built for this test run, if the runner built one for all its workers (Vitest:
 * tests/helpers/backend-setup.ts); in-process stores start their threads from it too.
 */
export function sharedBundleDir(): string | undefined {
  return process.env.MC_TEST_BACKEND || undefined;
}

/** Whether a process with this id still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A new, empty directory for a server bundle, under node_modules/.cache where the bundle's imports
 * find the packages, named after this process. A test runner may kill its workers without an exit
 * event, so first the directories of processes that no longer run are removed.
 */
export function newBundleDir(): string {
  const cache = join(process.cwd(), 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  for (const name of readdirSync(cache)) {
    const m = /^mc-backend-(\d+)-/.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(cache, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(cache, `mc-backend-${process.pid}-`));
}

let bundle: Promise<string> | null = null;

/**
 * The server bundled from the current sources, as `npm start` runs it: the run's shared one, or
 * else built once per test process (Playwright's workers, benchmarks) and removed at its exit.
 */
export function serverBundle(): Promise<string> {
  const shared = sharedBundleDir();
  if (shared) return Promise.resolve(join(shared, 'main.js'));
  if (!bundle) {
    const dir = newBundleDir();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    bundle = buildServer(dir);
  }
  return bundle;
}

/** A real server process (`server/main.ts`, bundled), as `npm start` runs it. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Log lines the server printed so far. */
  logs: string[];
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the server on an ephemeral port and resolves once it listens. */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000
): Promise<ServerProcess> {
  const main = await serverBundle();
  const child = spawn(
    process.execPath,
    [...(process.env.MC_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), main],
    {
      cwd: process.cwd(),
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  );
  createInterface({ input: child.stderr! }).on('line', (l) => logs.push(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${logs.join('\n')}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const m = /"port":(\d+)/.exec(line);
      if (m && line.includes('Mission Control on')) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({
          url: `http://127.0.0.1:${port}`,
          port,
          child,
          logs,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode !== null) return Promise.resolve(child.exitCode);
            child.kill(signal);
            return exited;
          }
        });
      }
    });
  });
}
