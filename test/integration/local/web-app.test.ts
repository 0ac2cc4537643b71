import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localWebConfig, serveWebApp } from '../../../lambdas/local/web-app';
import type { WebConfig } from '../../../lambdas/settings/web-config';

const CONFIG: WebConfig = {
  apiUrl: '',
  auth: { mode: 'none' },
  maxUploadBytes: 1024,
  maxRawUploadBytes: 4096,
  allowedTypes: ['image/jpeg'],
  renditions: { maxSide: 4096, maxDpr: 3, formats: ['webp'], filters: ['blur'] },
  faceGrouping: false,
  webhooks: false,
  trashDays: 30,
};

const made: string[] = [];
/** A build as `npm run build:web` lays it out: index.html and hashed assets, in a folder of its own (its parent too). */
function builtApp(): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'web-dist-'));
  made.push(parent);
  const dist = path.join(parent, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
  return dist;
}

let server: Server | undefined;
/** The runner's arrangement: the web app first, anything it does not take goes to the API (here a 418). */
async function start(distDir: string): Promise<string> {
  server = createServer((request, response) => {
    if (serveWebApp(request, response, { distDir, config: CONFIG })) return;
    response.writeHead(418, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ api: request.url }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

/** A raw GET (fetch would follow redirects and normalise `..`). */
function get(base: string, rawPath: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, path: rawPath, method }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web app served by the local runner', () => {
  it('redirects the root to the app', async () => {
    const base = await start(builtApp());
    for (const root of ['/', '/app']) {
      const answer = await get(base, root);
      expect(answer.status).toBe(302);
      expect(answer.headers.location).toBe('/app/');
    }
  });

  it("answers the runner's config, never cached", async () => {
    const base = await start(builtApp());
    const answer = await get(base, '/app/config.json');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual(CONFIG);
  });

  it('serves built files with their type; hashed assets are immutable, the rest revalidated', async () => {
    const base = await start(builtApp());
    const asset = await get(base, '/app/assets/index-abc123.js');
    expect(asset).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await get(base, '/app/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it("gives the app's own routes index.html (deep links) and a missing asset a 404", async () => {
    const base = await start(builtApp());
    for (const route of ['/app/', '/app/upload', '/app/images/01JABCDEFGHJKMNPQRSTVWXYZ9']) {
      const answer = await get(base, route);
      expect(answer).toMatchObject({ status: 200, body: '<!doctype html><title>app</title>' });
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    }
    expect((await get(base, '/app/assets/gone-123.js')).status).toBe(404);
    expect((await get(base, '/app/upload', 'HEAD')).body).toBe('');
  });

  it("sends a share link's page (and every other) with no referrer and noindex, never framed or sniffed, as the stack's headers policy does", async () => {
    const base = await start(builtApp());
    for (const route of [
      '/app/shared/q2Vw3tQmY2sH1m9K0l8R3xS6a7B5c4D2e1F0g9H8i7J',
      '/app/',
      '/app/assets/index-abc123.js',
    ]) {
      const answer = await get(base, route);
      expect({ route, status: answer.status, referrer: answer.headers['referrer-policy'] }).toEqual({
        route,
        status: 200,
        referrer: 'no-referrer',
      });
      expect(answer.headers['x-robots-tag']).toBe('noindex, nofollow');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('leaves paths with dot segments to the API, whatever they resolve to', async () => {
    const base = await start(builtApp());
    for (const dotted of ['/images/x/../..', '/app/assets/../index.html', '/app/%2e%2e/app/']) {
      expect((await get(base, dotted)).status).toBe(418);
    }
  });

  it('never serves a file outside the build', async () => {
    const dist = builtApp();
    writeFileSync(path.join(dist, '..', 'secret.txt'), 'no');
    const base = await start(dist);
    for (const outside of ['/app/../secret.txt', '/app/%2e%2e/secret.txt', '/app/..%2fsecret.txt', '/app/%E0%A4%A']) {
      const answer = await get(base, outside);
      expect(answer.body).not.toBe('no');
    }
  });

  it('leaves the API its paths, and its methods on app paths', async () => {
    const base = await start(builtApp());
    expect((await get(base, '/images')).status).toBe(418);
    expect((await get(base, '/uploads', 'POST')).status).toBe(418);
    expect((await get(base, '/application')).status).toBe(418);
    expect((await get(base, '/app/upload', 'POST')).status).toBe(418);
  });

  it('says how to build the app when it is not built', async () => {
    const base = await start(path.join(tmpdir(), 'no-such-web-dist'));
    const answer = await get(base, '/app/');
    expect(answer.status).toBe(503);
    expect(answer.body).toContain('npm run build:web');
  });
});

describe('localWebConfig', () => {
  const settings = {
    maxUploadBytes: 25 * 1024 * 1024,
    maxRawUploadBytes: 150 * 1024 * 1024,
    allowedTypes: ['image/jpeg', 'image/png'] as const,
    renditionMaxSide: 2048,
    renditionMaxDpr: 2,
    renditionFormats: ['webp', 'jpeg'] as const,
    renditionFilters: ['blur', 'grayscale'] as const,
    faceGrouping: true,
    webhooks: true,
    trashDays: 7,
  };
  it.each([
    ['none', { mode: 'none' }],
    ['apikey', { mode: 'apikey' }],
    ['jwt', { mode: 'token' }],
  ] as const)('auth %s: the app signs in with %j; the API is on its origin', (mode, auth) => {
    const given = {
      ...settings,
      allowedTypes: [...settings.allowedTypes],
      renditionFormats: [...settings.renditionFormats],
      renditionFilters: [...settings.renditionFilters],
    };
    expect(localWebConfig(given, mode)).toEqual({
      apiUrl: '',
      auth,
      maxUploadBytes: 25 * 1024 * 1024,
      maxRawUploadBytes: 150 * 1024 * 1024,
      allowedTypes: ['image/jpeg', 'image/png'],
      renditions: { maxSide: 2048, maxDpr: 2, formats: ['webp', 'jpeg'], filters: ['blur', 'grayscale'] },
      faceGrouping: true,
      webhooks: true,
      trashDays: 7,
    });
  });
});
