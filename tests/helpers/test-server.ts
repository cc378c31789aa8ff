import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/protocol';
import type { Mention, SourceHealth } from '../../src/lib/shared/types';
import { createApp, type App, type AppDeps } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import type { MentionSink, MentionSource } from '../../server/ports';
import { sharedBundleDir } from './server-process';

/** A source the test pushes mentions into by hand. */
export class ManualSource implements MentionSource {
  readonly name = 'manual';
  readonly kind = 'manual';
  private sink: MentionSink | null = null;
  health(): SourceHealth {
    return {
      name: this.name,
      kind: this.kind,
      state: this.sink ? 'connected' : 'stopped',
      eventsPerSec: 0,
      lastEventAt: null,
      lagMs: null,
      lastError: null,
      received: 0,
      dropped: 0,
      buffered: 0,
      reconnects: 0
    };
  }
  start(sink: MentionSink): void {
    this.sink = sink;
  }
  async stop(): Promise<void> {
    this.sink = null;
  }
  /** Resolves once the batch is committed and counted. */
  push(mentions: Mention[]): Promise<number> {
    return this.sink ? this.sink(mentions) : Promise.resolve(0);
  }
}

/** A real Mission Control server on an ephemeral port with a temp SQLite file. */
export interface TestServer {
  app: App;
  url: string;
  dataDir: string;
  source: ManualSource;
  http: Server;
  /** An API token with the admin scope (Authorization: Bearer), for tests of other features. */
  adminToken: string;
  close(): Promise<void>;
}

/** Makes a temp data directory; removed by `cleanup`. */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mc-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the real app on port 0 (simulator off unless asked), with a manual source. */
export async function startTestServer(
  dataDir: string,
  env: Record<string, string> = {},
  deps: Pick<AppDeps, 'store' | 'sourceContext' | 'notifiers'> & {
    /** `npm start` arguments, e.g. ['--replay', file]. */
    argv?: string[];
    /** Build the configured sources (simulator, replay, connectors) instead of a manual one. */
    realSources?: boolean;
    /** Create no admin API token (it would enable ingest, for one). */
    noAdminToken?: boolean;
  } = {}
): Promise<TestServer> {
  const { argv = [], realSources = false, noAdminToken = false, ...appDeps } = deps;
  const config: Config = loadConfig(
    {
      DATA_DIR: dataDir,
      PORT: '0',
      SIMULATOR: 'off',
      LOG_LEVEL: 'silent',
      TICK_MS: '200',
      RIVER_FLUSH_MS: '100',
      ...env
    },
    argv
  );
  const source = new ManualSource();
  const app = createApp(config, {
    sources: config.simulator.enabled || realSources ? undefined : [source],
    logger: pino({ level: 'silent' }),
    // Threads from the run's server bundle, when there is one (else from the sources).
    storeBundleDir: sharedBundleDir(),
    ...appDeps
  });
  const http = createServer((req, res) =>
    app.handle(req, res, () => {
      res.writeHead(404);
      res.end();
    })
  );
  app.attach(http);
  await app.start();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const adminToken = noAdminToken
    ? ''
    : (await app.auth!.createToken('tests', ['admin'], 'tests')).token;
  return {
    app,
    adminToken,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    source,
    http,
    close: async () => {
      await app.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  };
}

/** A typed Socket.IO client. */
export type WallClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Connects a real Socket.IO client (websocket transport, no automatic reconnection), anonymous
 * or with `auth` (an API `token` or a `display` token).
 */
export function connectClient(
  url: string,
  reconnection = false,
  auth: { token?: string; display?: string } = {}
): WallClient {
  return connect(url, { transports: ['websocket'], reconnection, forceNew: true, auth });
}

/** Resolves with the next event of that name. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: WallClient,
  event: E,
  timeoutMs = 5000
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs
    );
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]): void => {
      clearTimeout(timer);
      resolve(payload);
    };
    // socket.io-client's typed `once` needs the listener cast to the event's own signature.
    socket.once(event, handler as never);
  });
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 5000,
  stepMs = 50
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
