import sharp from 'sharp';
import { Webhook } from 'standardwebhooks';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { type Answer, payloadOf, type Received, WebhookReceiver } from '../support/webhook-receiver';

/**
 * Webhooks through the local runner, as a user meets them: endpoints on loopback receivers the test runs, the real
 * delivery function behind the webhooks' queue. On the shared offline-faces runner, whose webhook settings are this
 * file's (no other suite there makes an endpoint): a retry schedule shortened to seconds (`0s,1s,1s`: three
 * attempts), a 5 s timeout, events held from an endpoint's first failure, and disabling after 10.8 s of failures
 * (runner-profiles.ts says why those figures).
 * Each test uses its own owners (users of this file's), so no owner's endpoints are in the function's 5 s cache
 * before the test makes them.
 */
jest.setTimeout(240_000);

let runner: SharedRunner;
const receivers: WebhookReceiver[] = [];

interface Endpoint {
  endpointId: string;
  enabled: boolean;
  disabledReason?: string;
  previousSecretExpiresAt?: string;
}
interface Delivery {
  webhookId: string;
  status: string;
  attempts: { attempt: number; ok: boolean; statusCode?: number; error?: string; replay?: boolean }[];
}

async function as(user: string, admin = false): Promise<ImageApiClient> {
  return new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser(user), admin }) });
}

async function receiver(answer?: (n: number) => Answer): Promise<{ receiver: WebhookReceiver; url: string }> {
  const made = new WebhookReceiver(answer);
  receivers.push(made);
  return { receiver: made, url: await made.start() };
}

async function endpoint(client: ImageApiClient, body: object): Promise<{ endpoint: Endpoint; secret: string }> {
  return (await client.call('POST', '/webhooks', body)) as { endpoint: Endpoint; secret: string };
}

async function photo(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: seed % 256, g: 90, b: 160 } } })
    .png()
    .toBuffer();
}

async function deliveries(client: ImageApiClient, endpointId: string): Promise<Delivery[]> {
  return ((await client.call('GET', `/webhooks/${endpointId}/deliveries`)) as { items: Delivery[] }).items;
}

/** Poll the log until `done` holds for the delivery of `webhookId` (or the first one). */
async function settled(client: ImageApiClient, endpointId: string, done: (delivery: Delivery) => boolean) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [latest] = await deliveries(client, endpointId);
    if (latest && done(latest)) return latest;
    if (Date.now() > deadline) throw new Error(`the delivery log never settled: ${JSON.stringify(latest)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const processedOf = (imageId: string) => (got: Received) =>
  payloadOf(got).type === 'Image Processed' && payloadOf(got).data.imageId === imageId;

beforeAll(async () => {
  runner = await profileRunner('offline-faces');
});
afterAll(async () => {
  await Promise.all(receivers.map((made) => made.stop()));
});

describe('webhooks on the runner', () => {
  it("delivers each Image Processed to its owner's endpoint, signed so standardwebhooks verifies it; bob gets none of alice's", async () => {
    const [alice, bob] = [await as('wh-alice'), await as('wh-bob')];
    const mine = await receiver();
    const bobs = await receiver();
    const { secret } = await endpoint(alice, { url: mine.url, description: 'alice' });
    await endpoint(bob, { url: bobs.url, eventTypes: ['Image Processed'] });
    const aliceImage = await alice.upload(await photo(1), { filename: 'alice.png' });
    const bobImage = await bob.upload(await photo(2), { filename: 'bob.png' });
    const [got] = await mine.receiver.waitFor(1, processedOf(aliceImage));
    await bobs.receiver.waitFor(1, processedOf(bobImage));

    const verified = new Webhook(secret).verify(got?.body as string, got?.headers as Record<string, string>);
    expect(verified).toMatchObject({
      type: 'Image Processed',
      data: { imageId: aliceImage, owner: fileUser('wh-alice') },
    });
    expect(got?.headers['webhook-id']).toMatch(/^msg_/);
    expect(mine.receiver.received.some(processedOf(bobImage))).toBe(false);
    expect(bobs.receiver.received.some(processedOf(aliceImage))).toBe(false);
  });

  it('a receiver that answers 500 twice gets the third attempt, with the same webhook-id', async () => {
    const carol = await as('wh-carol');
    const flaky = await receiver((n) => (n <= 2 ? 500 : 204));
    const { endpoint: made } = await endpoint(carol, { url: flaky.url });
    const image = await carol.upload(await photo(3), { filename: 'flaky.png' });
    const got = await flaky.receiver.waitFor(3, processedOf(image));

    expect(new Set(got.map((request) => request.headers['webhook-id'])).size).toBe(1);
    const delivery = await settled(carol, made.endpointId, (d) => d.status !== 'PENDING');
    expect(delivery.status).toBe('SUCCEEDED');
    expect(delivery.attempts.map(({ attempt, statusCode }) => [attempt, statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 204],
    ]);
  });

  it('an endpoint that never answers ends FAILED in the log, is disabled, and an event says so', async () => {
    const dave = await as('wh-dave');
    const silent = await receiver(() => 'hang');
    const watcher = await receiver();
    const { endpoint: dead } = await endpoint(dave, { url: silent.url, eventTypes: ['Image Processed'] });
    await endpoint(dave, { url: watcher.url, eventTypes: ['Webhook Endpoint Disabled'] });
    await dave.upload(await photo(4), { filename: 'silent.png' });

    const delivery = await settled(dave, dead.endpointId, (d) => d.status === 'FAILED');
    expect(delivery.attempts).toHaveLength(3);
    expect(delivery.attempts.every(({ error }) => error === 'timed out after 5 s')).toBe(true);
    const [notice] = await watcher.receiver.waitFor(1);
    expect(payloadOf(notice as Received)).toMatchObject({
      type: 'Webhook Endpoint Disabled',
      data: { endpointId: dead.endpointId, owner: fileUser('wh-dave'), reason: 'timed out after 5 s' },
    });
    const now = (await dave.call('GET', `/webhooks/${dead.endpointId}`)) as Endpoint;
    expect(now.enabled).toBe(false);
    expect(now.disabledReason).toMatch(/timed out after 5 s/);
  });

  it('holds the events of a failing endpoint, and sends them once it succeeds again', async () => {
    const ivan = await as('wh-ivan');
    let up = false;
    const target = await receiver(() => (up ? 204 : 503));
    const { endpoint: made } = await endpoint(ivan, { url: target.url });
    const first = await ivan.upload(await photo(8), { filename: 'while-down.png' });
    await settled(ivan, made.endpointId, (d) => d.status === 'FAILED');
    // The function's cache of ivan's endpoints, read before the failures, must have expired (5 s).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const second = await ivan.upload(await photo(9), { filename: 'held.png' });
    const held = await settled(ivan, made.endpointId, (d) => d.status === 'HELD');
    expect(target.receiver.received.some(processedOf(second))).toBe(false);

    // The endpoint works again: a replay of the failed delivery succeeds, and the held one follows.
    up = true;
    const [failed] = target.receiver.received.filter(processedOf(first));
    await ivan.call('POST', `/webhooks/${made.endpointId}/replay`, { webhookId: failed?.headers['webhook-id'] });
    const [released] = await target.receiver.waitFor(1, processedOf(second));
    expect(released?.headers['webhook-id']).toBe(held.webhookId);
    expect(((await ivan.call('GET', `/webhooks/${made.endpointId}`)) as Endpoint).enabled).toBe(true);
  });

  it('replays one delivery, and a time range, with the same webhook-id', async () => {
    const erin = await as('wh-erin');
    const target = await receiver();
    const { endpoint: made } = await endpoint(erin, { url: target.url });
    const from = new Date(Date.now() - 1000).toISOString();
    const image = await erin.upload(await photo(5), { filename: 'replayed.png' });
    const [first] = await target.receiver.waitFor(1, processedOf(image));
    const webhookId = first?.headers['webhook-id'] as string;

    await erin.call('POST', `/webhooks/${made.endpointId}/replay`, { webhookId });
    await target.receiver.waitFor(2, processedOf(image));
    // A delivery still PENDING (its attempt not yet recorded) is under way: a replay would queue nothing more.
    await settled(erin, made.endpointId, (d) => d.attempts.length === 2 && d.status !== 'PENDING');
    await erin.call('POST', `/webhooks/${made.endpointId}/replay`, { from, to: new Date().toISOString() });
    const all = await target.receiver.waitFor(3, processedOf(image));

    expect(all.map((got) => got.headers['webhook-id'])).toEqual([webhookId, webhookId, webhookId]);
    const delivery = await settled(erin, made.endpointId, (d) => d.attempts.length === 3 && d.status !== 'PENDING');
    expect(delivery.attempts.map(({ replay }) => replay ?? false)).toEqual([false, true, true]);
  });

  it('after a rotation both secrets verify each attempt during the overlap', async () => {
    const frank = await as('wh-frank');
    const target = await receiver();
    const { endpoint: made, secret: old } = await endpoint(frank, { url: target.url });
    const image = await frank.upload(await photo(6), { filename: 'rotated.png' });
    const [first] = await target.receiver.waitFor(1, processedOf(image));
    const rotated = (await frank.call('POST', `/webhooks/${made.endpointId}/rotate-secret`)) as {
      endpoint: Endpoint;
      secret: string;
    };
    expect(rotated.secret).not.toBe(old);
    expect(Date.parse(rotated.endpoint.previousSecretExpiresAt as string)).toBeGreaterThan(Date.now());

    await frank.call('POST', `/webhooks/${made.endpointId}/replay`, { webhookId: first?.headers['webhook-id'] });
    const [, again] = await target.receiver.waitFor(2, processedOf(image));
    const headers = again?.headers as Record<string, string>;
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [old, rotated.secret]) {
      expect(new Webhook(secret).verify(again?.body as string, headers)).toMatchObject({ type: 'Image Processed' });
    }
  });

  it('refuses endpoints on link-local, private and non-HTTP addresses with the reason', async () => {
    const grace = await as('wh-grace');
    const refusal = (url: string) =>
      endpoint(grace, { url }).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    expect(await refusal('http://169.254.169.254/latest/meta-data')).toMatch(
      /400 url: 169\.254\.169\.254 is a link-local/,
    );
    expect(await refusal('https://10.0.0.1/hook')).toMatch(/400 url: 10\.0\.0\.1 is a private address/);
    expect(await refusal('ftp://127.0.0.1/')).toMatch(/400 url: ftp: URLs cannot receive webhooks/);
  });

  it("an admin's endpoint for every owner gets every owner's events; no one else may make one", async () => {
    const [root, heidi] = [await as('wh-root', true), await as('wh-heidi')];
    const everyone = await receiver();
    expect(await endpoint(heidi, { url: everyone.url, allOwners: true }).catch((e: Error) => e.message)).toMatch(/403/);
    const { endpoint: made } = await endpoint(root, { url: everyone.url, allOwners: true });
    // The function caches each owner's endpoints for 5 s: every owner's endpoints too.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const image = await heidi.upload(await photo(7), { filename: 'anyone.png' });
    const [got] = await everyone.receiver.waitFor(1, processedOf(image));
    expect(payloadOf(got as Received).data.owner).toBe(fileUser('wh-heidi'));
    await root.call('DELETE', `/webhooks/${made.endpointId}`);
  });
});
