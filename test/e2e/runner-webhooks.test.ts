import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * What a non-admin caller of the runner can reach with a webhook. The shared jwt runner allows loopback on every
 * unprivileged port (its tests receive on free ones), so what refuses these is the rule that a webhook never goes to a
 * port of the runner's own: the emulator (`/moto-api/reset` wiped every owner's data), its API, its Step Functions API.
 * And where the emulator is (`GET /_local/outputs`) is told only to a caller the API lets in.
 */
let runner: SharedRunner;
let token: string;

beforeAll(async () => {
  runner = await profileRunner('jwt');
  token = await runner.token({ user: fileUser('mallory') });
}, 240_000);

async function createWebhook(url: string) {
  const response = await fetch(`${runner.ready.apiUrl}/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, description: 'runner-webhooks' }),
  });
  return { status: response.status, body: (await response.json()) as { message?: string } };
}

const portOf = (url: string) => new URL(url).port;

describe("a webhook to the runner's own ports", () => {
  it.each([
    ['the emulator', () => `http://127.0.0.1:${portOf(runner.ready.endpoint)}/moto-api/reset`],
    ['the emulator, by name', () => `http://localhost:${portOf(runner.ready.endpoint)}/moto-api/reset`],
    ['the API and web app', () => `http://127.0.0.1:${portOf(runner.ready.apiUrl)}/trash/empty`],
    ['the Step Functions API', () => `http://127.0.0.1:${portOf(runner.ready.services.stepFunctions)}/`],
  ])('is refused: %s', async (_, url) => {
    const target = url();
    const answer = await createWebhook(target);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(
      /a loopback address \(loopback only on ports? .*, webhookLoopbackPorts, not \d+\)$/,
    );
    expect(answer.body.message).toContain(`not ${portOf(target)})`);
  });

  it('is refused carried in IPv6, on an allowed port too', async () => {
    const answer = await createWebhook('http://[::7f00:1]:8787/hook');
    expect(answer).toEqual({
      status: 400,
      body: { message: 'url: ::7f00:1 is an IPv6 address carrying 127.0.0.1, a loopback address' },
    });
  });

  it('while a receiver on another loopback port is taken', async () => {
    expect((await createWebhook('http://127.0.0.1:8787/hook')).status).toBe(201);
  });
});

describe('GET /_local/outputs', () => {
  const outputs = (headers: Record<string, string> = {}) => fetch(`${runner.ready.apiUrl}/_local/outputs`, { headers });

  it('is refused without a token, as every API route is', async () => {
    const response = await outputs();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
    expect((await outputs({ authorization: 'Bearer not.a.token' })).status).toBe(401);
  });

  it('names the emulator to a caller the API lets in', async () => {
    const response = await outputs({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ Endpoint: runner.ready.endpoint, ApiUrl: runner.ready.apiUrl });
  });
});
