import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import {
  WEB_APP_HEADERS,
  WEB_BASE,
  type WebAuthConfig,
  type WebConfig,
  type WebConfigSettings,
  webConfigOf,
} from '../settings/web-config';
import type { LocalAuthMode } from './local-auth';

/** Types of what `npm run build:web` writes (Vite's output: html, scripts, styles, the favicon, fonts). */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface WebAppOptions {
  /** The built app (`web/dist`). */
  distDir: string;
  config: WebConfig;
}

/** The web app's config for the runner: the API on the app's own origin, auth as the runner checks it. */
export function localWebConfig(settings: WebConfigSettings, authMode: LocalAuthMode): WebConfig {
  const auth: WebAuthConfig =
    authMode === 'apikey' ? { mode: 'apikey' } : authMode === 'jwt' ? { mode: 'token' } : { mode: 'none' };
  return webConfigOf(settings, '', auth);
}

/**
 * Serve the web app as the stack's CloudFront does: `/` redirects to `/app/`; `/app/config.json` is this runner's
 * config; a file under `/app/` is served from the build; any other `/app/` path without an extension is the app's
 * own route and gets `index.html` (the SPA fallback). Answers whether it took the request (everything else is the
 * API's).
 */
export function serveWebApp(request: IncomingMessage, response: ServerResponse, options: WebAppOptions): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  // A path with dot segments (`/images/x/../..`, `%2e%2e`) is not the app's, whatever it resolves to: the API's 404.
  if (pathname !== (request.url ?? '/').split('?')[0]) return false;
  if (pathname === '/' || pathname === WEB_BASE.slice(0, -1)) {
    response.writeHead(302, { location: WEB_BASE });
    response.end();
    return true;
  }
  if (!pathname.startsWith(WEB_BASE)) return false;
  if (pathname === `${WEB_BASE}config.json`) {
    response.writeHead(200, {
      'content-type': CONTENT_TYPES['.json'],
      'cache-control': 'no-store',
      ...WEB_APP_HEADERS,
    });
    response.end(request.method === 'HEAD' ? undefined : JSON.stringify(options.config));
    return true;
  }
  const index = path.join(options.distDir, 'index.html');
  if (!existsSync(index)) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`The web app is not built: run \`npm run build:web\` (it writes ${options.distDir}).\n`);
    return true;
  }
  const file = builtFile(options.distDir, pathname.slice(WEB_BASE.length));
  if (file !== undefined) {
    sendFile(request, response, file);
  } else if (path.extname(pathname) === '') {
    sendFile(request, response, index);
  } else {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`no such file in the web app: ${pathname}\n`);
  }
  return true;
}

function sendFile(request: IncomingMessage, response: ServerResponse, file: string): void {
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  // Vite names what it builds under assets/ by content hash: those never change. The rest is read afresh.
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  response.writeHead(200, {
    'content-type': type,
    'content-length': statSync(file).size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...WEB_APP_HEADERS,
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
}

/** The built file a URL path names, if it exists and lies inside the build (no `..` or encoded escapes out). */
function builtFile(distDir: string, urlPath: string): string | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = path.resolve(distDir, relative);
  if (!file.startsWith(path.resolve(distDir) + path.sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}
