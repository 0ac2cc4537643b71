import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { EVENT_CATALOGUE } from '../lambdas/manifest/events';

const webDir = fileURLToPath(new URL('.', import.meta.url));

/** The API the dev server forwards to (`npm start -- --port 3100`); override with WEB_DEV_API. */
const devApi = process.env.WEB_DEV_API ?? 'http://localhost:3100';

/**
 * Dev server only: answers `/app/config.json` from web/dev/config.json (the runner and the stack write the real one
 * next to the built app). Never part of the build.
 */
function devConfig(): Plugin {
  return {
    name: 'image-intel-dev-config',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use('/app/config.json', (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(readFileSync(`${webDir}dev/config.json`));
      });
    },
  };
}

/**
 * `virtual:event-catalogue`: each event type's words for the webhook form (web/src/pages/webhooks/event-types.ts), in
 * the catalogue's order, written in as data at build from the rooms' declarations (lambdas/manifest/events.ts), which
 * also hold the details' zod schemas: so the app bundles the words and nothing else of them.
 */
function eventCatalogue(): Plugin {
  const id = 'virtual:event-catalogue';
  const hints = Object.fromEntries(EVENT_CATALOGUE.map(({ detailType, hint }) => [detailType, hint]));
  return {
    name: 'image-intel-event-catalogue',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (loaded) => (loaded === `\0${id}` ? `export const EVENT_HINTS = ${JSON.stringify(hints)};\n` : undefined),
  };
}

const config: UserConfig = {
  root: webDir,
  base: '/app/',
  publicDir: false,
  // The dev server's pre-bundled deps go with the repository's others, not into web/.
  cacheDir: `${webDir}../node_modules/.vite/web`,
  plugins: [
    preact({ devToolsEnabled: false, prefreshEnabled: false, reactAliasesEnabled: false }),
    devConfig(),
    eventCatalogue(),
  ],
  build: {
    outDir: `${webDir}dist`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/uploads': devApi,
      '/images': devApi,
      '/openapi.json': devApi,
    },
  },
};

export default defineConfig(({ command, mode }) => {
  // A build is the production app whoever runs it. Vite takes NODE_ENV from the environment, and jest sets `test`:
  // a build run under jest was a development one (Preact's jsxDEV, every source's absolute path in it), its chunks
  // named differently, so a page loaded from the earlier build asked for chunks that were gone (a CI run's 404).
  if (command === 'build' && mode === 'production') process.env.NODE_ENV = 'production';
  return config;
});
