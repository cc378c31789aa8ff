import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/** Loads the SvelteKit production handler built by adapter-node, if the build exists. */
async function loadUi(): Promise<Handler> {
  const file = join(process.cwd(), 'build', 'handler.js');
  if (!existsSync(file)) {
    return (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        'The wall has not been built yet: run `npm run build` (npm start does it for you).\n'
      );
    };
  }
  const mod = (await import(pathToFileURL(file).href)) as { handler: Handler };
  return mod.handler;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee the configuration table in README.md.\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = createApp(config, { onFatal: () => process.exit(1) });
  const ui = await loadUi();
  const server = createServer((req, res) => app.handle(req, res, () => ui(req, res)));
  app.attach(server);
  try {
    await app.start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee the configuration section in README.md.\n`);
      process.exit(2);
    }
    throw err;
  }
  server.listen(config.port, config.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    app.logger.info({ port, host: config.host }, `Mission Control on http://localhost:${port}`);
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    // A wall must never hang on exit: force it after 10 s.
    setTimeout(() => process.exit(1), 10_000).unref();
    app
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        app.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
