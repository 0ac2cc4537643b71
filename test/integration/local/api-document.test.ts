import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { OPENAPI_PATH, openApiEndpoint } from '../../../lambdas/local/api-document';
import { createApiServer } from '../../../lambdas/local/api-server';
import { parseDeploymentSettings } from '../../../lambdas/settings';

/** The document over HTTP; what it holds is in test/unit/local/api-document.test.ts. */
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
