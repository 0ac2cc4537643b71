import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { OPENAPI_PATH, openApiEndpoint } from '../../../lambdas/local/api-document';
import { createApiServer } from '../../../lambdas/local/api-server';
import { parseDeploymentSettings } from '../../../lambdas/settings';

const ROOT = path.join(__dirname, '../../..');

let server: Server | undefined;
afterEach(async () => {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

describe("the runner's GET /openapi.json", () => {
  it("is this runner's API: its URL as the server, its auth mode's scheme only, its upload settings", async () => {
    const settings = parseDeploymentSettings({ auth: 'apikey', allowedTypes: 'image/png', maxUploadBytes: '2048' });
    const reply = await openApiEndpoint(settings, 'http://localhost:4321', ROOT).handle('');
    const document = reply.body as {
      servers: unknown;
      security: unknown;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    };
    expect(reply.status).toBe(200);
    expect(document.servers).toEqual([{ url: 'http://localhost:4321', description: 'This local runner' }]);
    expect(document.security).toEqual([{ ApiKey: [] }]);
    expect(document.paths['/uploads']?.post?.requestBody?.content['application/json']?.schema).toMatchObject({
      properties: { contentType: { enum: ['image/png'] }, size: { maximum: 2048 } },
    });
  });

  it('is served without the credentials the API routes ask for', async () => {
    const settings = parseDeploymentSettings({ auth: 'apikey' });
    server = createApiServer({
      routes: [],
      auth: { mode: 'apikey', key: 'secret', keyId: 'local-key' },
      extras: [openApiEndpoint(settings, 'http://localhost', ROOT)],
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const { port } = listening.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${OPENAPI_PATH}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
