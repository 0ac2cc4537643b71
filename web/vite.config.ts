import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

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

export default defineConfig({
  root: webDir,
  base: '/app/',
  publicDir: false,
  // The dev server's pre-bundled deps go with the repository's others, not into web/.
  cacheDir: `${webDir}../node_modules/.vite/web`,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false, reactAliasesEnabled: false }), devConfig()],
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
});
