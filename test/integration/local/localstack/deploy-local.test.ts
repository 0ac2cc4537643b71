import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiKeyValue } from '../../../../lambdas/local/localstack/api-key';

/** GetApiKey against a loopback server; the rest of deploy:local's planning is in test/unit/local/localstack. */
describe('apiKeyValue', () => {
  let requests: IncomingMessage[];
  let answer: { status: number; body: string };
  const server = createServer((request, response) => {
    requests.push(request);
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body);
  });
  let endpoint: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    requests = [];
  });

  it('calls GetApiKey with includeValue, signed for apigateway in the region, and returns the value', async () => {
    answer = { status: 200, body: JSON.stringify({ id: 'k3y1d', value: 'secret-value', enabled: true }) };
    await expect(apiKeyValue({ endpoint, region: 'eu-west-1', apiKeyId: 'k3y1d' })).resolves.toBe('secret-value');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.url).toBe('/apikeys/k3y1d?includeValue=true');
    expect(requests[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-1\/apigateway\/aws4_request, SignedHeaders=accept;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('fails with the status when the key is unknown', async () => {
    answer = { status: 404, body: JSON.stringify({ message: 'Invalid API Key identifier specified' }) };
    await expect(apiKeyValue({ endpoint, region: 'us-east-1', apiKeyId: 'nope' })).rejects.toThrow(
      'GetApiKey nope: HTTP 404',
    );
  });
});
