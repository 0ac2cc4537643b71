import path from 'node:path';
import { openApiEndpoint } from '../../../lambdas/local/api-document';
import { parseDeploymentSettings } from '../../../lambdas/settings';

const ROOT = path.join(__dirname, '../../..');

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
});
