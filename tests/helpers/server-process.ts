import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildServer } from '../../scripts/build-server.mjs';

let bundle: Promise<string> | null = null;

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
 * The server bundled from the current sources, as `npm start` runs it: built once per test
 * process, in a directory of its own (test files run in parallel) under node_modules/.cache, where
 * its imports find the packages. A test runner may kill its workers without an exit event, so each
 * build first removes those left by processes that no longer run.
 */
export function serverBundle(): Promise<string> {
  // Vitest builds one for the whole run (tests/helpers/backend-setup.ts).
  const shared = process.env.MC_TEST_BACKEND;
  if (shared) return Promise.resolve(join(shared, 'main.js'));
  if (!bundle) {
    const cache = join(process.cwd(), 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    for (const name of readdirSync(cache)) {
      const m = /^mc-backend-(\d+)-/.exec(name);
      if (m && !alive(Number(m[1]))) rmSync(join(cache, name), { recursive: true, force: true });
    }
    const dir = mkdtempSync(join(cache, `mc-backend-${process.pid}-`));
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
