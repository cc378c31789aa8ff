import { sveltekit } from '@sveltejs/kit/vite';
import type { Server as HttpServer } from 'node:http';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** In `npm run dev`, attaches the same Socket.IO server and HTTP API to Vite's dev server. */
function missionControlDev(): Plugin {
  return {
    name: 'mission-control-dev',
    apply: 'serve',
    async configureServer(server) {
      if (!server.httpServer || process.env.VITEST) return;
      // Loaded through Vite's SSR loader so the config file does not bundle the server.
      const { loadConfig } = (await server.ssrLoadModule(
        '/server/config.ts'
      )) as typeof import('./server/config');
      const { createApp } = (await server.ssrLoadModule(
        '/server/app.ts'
      )) as typeof import('./server/app');
      const app = createApp(loadConfig(process.env));
      // Vite serves plain HTTP/1.1 in development (no https option is set).
      app.attach(server.httpServer as HttpServer);
      server.middlewares.use((req, res, next) => app.handle(req, res, next));
      await app.start();
      server.httpServer.once('close', () => void app.stop());
    }
  };
}

export default defineConfig({
  plugins: [sveltekit(), missionControlDev()],
  server: { port: 3000 },
  build: {
    // Small shared chunks are merged into larger ones: the wall loaded about 35 files, and on a
    // busy 2-core machine the browser took most of a second to fetch and start them all; about 15
    // larger ones start sooner (bench:wall's first data).
    rollupOptions: { output: { experimentalMinChunkSize: 20_000 } }
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/helpers/backend-setup.ts'],
    // Test files share their worker's module cache instead of each starting a fresh one: the run
    // took about 250 s with a fresh worker per file and about 150 s without, on 2 cores. Tests keep
    // no state in modules; one that mocks a module loads its subject afresh (wall-socket).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
});
