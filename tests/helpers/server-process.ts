import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A real `server/main.ts` process, as `npm start` runs it. */
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
export function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.MC_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'server/main.ts'
    ],
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
