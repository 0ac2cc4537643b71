import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, ImageApiClient } from '../../../lambdas/cli/api-client';

/** A server that answers each request with the next status of `statuses` (the last one from then on). */
async function serving(statuses: number[]): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const status = statuses[Math.min(seen.length, statuses.length) - 1] as number;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(status === 200 ? { items: [] } : { message: `answer ${status}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, seen };
}

describe('ImageApiClient retries', () => {
  let open: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve())));

  it.each([429, 502, 503, 504])(
    'a GET answered %i is asked again, and the later answer is the one returned',
    async (status) => {
      const { url, server, seen } = await serving([status, 200]);
      open = server;
      await expect(new ImageApiClient(url).call('GET', '/images')).resolves.toEqual({ items: [] });
      expect(seen).toEqual(['GET /images', 'GET /images']);
    },
  );

  it('gives up after three attempts with the last answer', async () => {
    const { url, server, seen } = await serving([502]);
    open = server;
    await expect(new ImageApiClient(url).call('GET', '/images')).rejects.toThrow('GET /images: 502 answer 502');
    expect(seen).toHaveLength(3);
  });

  it('never asks again for a 500, a 4xx, or anything but a GET', async () => {
    for (const [method, status] of [
      ['GET', 500],
      ['GET', 404],
      ['POST', 502],
      ['DELETE', 503],
    ] as const) {
      const { url, server, seen } = await serving([status, 200]);
      open = server;
      const failed = await new ImageApiClient(url).call(method, '/images').catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(ApiError);
      expect((failed as ApiError).status).toBe(status);
      expect(seen).toHaveLength(1);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      open = undefined;
    }
  });
});
