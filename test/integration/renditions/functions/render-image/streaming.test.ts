import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer } from '../../../../../lambdas/local/api-server';
import type { StreamingHandler } from '../../../../../lambdas/local/function-url';
import { installResponseStreaming } from '../../../../../lambdas/local/response-streaming';
import { renditionHandler } from '../../../../../lambdas/renditions/functions/render-image/rendition-handler';
import { createPowertools } from '../../../../../lambdas/shared/powertools';
import {
  CONFIG,
  ITEM,
  type MemoryObjects,
  setup,
  url,
} from '../../../../unit/renditions/functions/render-image/memory-deps';

/**
 * The render function's handler as its function URL runs it (the local runner's, which streams as Lambda does): a
 * rendition is answered before it is stored, and the invocation ends only once the store is done, whether the client
 * read the whole answer or went away mid-way; a store that fails leaves the answer as it was.
 */

installResponseStreaming();

/** A large answer, so the client can leave while it is still being sent: a 1280 px PNG of a photo, about 2 MB. */
const LARGE = { w: 1280, format: 'png' };

const tools = createPowertools({ POWERTOOLS_SERVICE_NAME: 'render-test', POWERTOOLS_METRICS_NAMESPACE: 'Test' });
const warnings: string[] = [];
jest.spyOn(tools.logger, 'warn').mockImplementation((...args: unknown[]) => {
  warnings.push(String(args[0]));
});

let server: Server | undefined;
afterEach(async () => {
  const closing = server;
  server = undefined;
  closing?.closeAllConnections();
  await new Promise((resolve) => closing?.close(resolve));
  warnings.length = 0;
});

/** Serve the handler at a function URL, noting when each invocation has ended (its promise settled). */
async function serve(objects: MemoryObjects, deps: ReturnType<typeof setup>['deps']) {
  const ended: Array<{ storedByThen: boolean }> = [];
  const handler = renditionHandler(CONFIG, deps, tools) as unknown as StreamingHandler;
  const counted: StreamingHandler = async (event, stream, context) => {
    try {
      return await handler(event, stream, context);
    } finally {
      ended.push({ storedByThen: storedRendition(objects) !== undefined });
    }
  };
  server = createApiServer({
    routes: [],
    functionUrls: [
      { path: /^\/[0-9A-HJKMNP-TV-Z]{26}$/, functionName: 'render-image', timeoutMs: 30_000, handler: counted },
    ],
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, ended };
}

const storedRendition = (objects: MemoryObjects) =>
  [...objects.objects.keys()].find((key) => key.startsWith(`renditions/${ITEM.imageId}/`));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('the render function, streamed', () => {
  it('stores a rendition whose client went away mid-answer, and ends only once it is stored', async () => {
    const { objects, deps } = setup();
    let land: () => void = () => undefined;
    objects.writeGate = () => new Promise<void>((resolve) => (land = resolve));
    const { base, ended } = await serve(objects, deps);
    const { path, rawQuery } = url(LARGE);

    const received = await new Promise<{ status?: number; length: number; bytes: number }>((resolve, reject) => {
      const request = httpRequest(`${base}${path}?${rawQuery}`, (response) => {
        response.once('data', (chunk: Buffer) => {
          // The first bytes are in: leave, as a browser does when the user navigates away.
          request.destroy();
          resolve({
            status: response.statusCode,
            length: Number(response.headers['content-length']),
            bytes: chunk.length,
          });
        });
      });
      request.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
      request.end();
    });
    expect(received.status).toBe(200);
    expect(received.bytes).toBeLessThan(received.length);

    // The client is gone and the store has not landed: the invocation is still waiting for it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toEqual([]);
    land();
    await until(() => ended.length === 1, 'the invocation to end');
    expect(ended).toEqual([{ storedByThen: true }]);
    expect(objects.objects.get(storedRendition(objects) ?? '')?.contentType).toBe('image/png');
    expect(warnings).toEqual([]);
  });

  it('answers a good rendition in full when its store fails, and says so in the log', async () => {
    const { objects, deps } = setup();
    objects.writeGate = async () => {
      throw new Error('InternalError: We encountered an internal error. Please try again.');
    };
    const { base, ended } = await serve(objects, deps);
    const { path, rawQuery } = url({ w: 200, format: 'webp' });
    const response = await fetch(`${base}${path}?${rawQuery}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rendition-source')).toBe('rendered');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBe(Number(response.headers.get('content-length')));
    expect(body.subarray(8, 12).toString('latin1')).toBe('WEBP');
    await until(() => ended.length === 1, 'the invocation to end');
    expect(storedRendition(objects)).toBeUndefined();
    expect(warnings).toEqual(['rendition not stored']);
  });
});
