import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import type { WebhookEndpoint } from '../../../lambdas/webhooks/endpoint';
import { EndpointStore } from '../../../lambdas/webhooks/endpoints';
import { WEBHOOKS_TABLE } from '../../../lambdas/webhooks/table-design';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The endpoint store's transactions against the run's moto, at once: concurrent deletes of one endpoint and
 * concurrent creates by one owner answer what the routes promise (one 204 and 404s; within the limit or a 429),
 * never an error the routes would turn into a 500. (AWS's TransactionConflict, which moto does not raise, is in
 * test/unit/webhooks/endpoints.test.ts.)
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const raw = new DynamoDBClient(config);
const table = `webhooks-endpoints-${randomUUID().slice(0, 8)}`;
const store = new EndpointStore(DynamoDBDocumentClient.from(raw), table);

beforeAll(() => createDeclaredTable(raw, table, WEBHOOKS_TABLE.design));

function endpoint(owner: string): WebhookEndpoint {
  const now = new Date().toISOString();
  return {
    endpointId: `ep_${ulid()}`,
    owner,
    url: 'https://hooks.example.com/in',
    description: '',
    eventTypes: [],
    enabled: true,
    secrets: [{ secret: 'whsec_x', createdAt: now }],
    createdAt: now,
    updatedAt: now,
  };
}

const outcomes = (all: PromiseSettledResult<unknown>[]) =>
  all.map((one) => (one.status === 'fulfilled' ? 'ok' : String((one.reason as { statusCode?: number }).statusCode)));

describe('webhook endpoints at once', () => {
  it('five deletes of one endpoint: one deletes it, four are 404s, and its owner counts one less', async () => {
    const made = endpoint('concurrent-deletes');
    await store.create(made, 10);
    const results = outcomes(await Promise.allSettled(Array.from({ length: 5 }, () => store.delete(made))));
    expect(results.sort()).toEqual(['404', '404', '404', '404', 'ok']);
    // The count is one less: ten more fit under a limit of ten.
    for (let i = 0; i < 10; i++) await store.create(endpoint('concurrent-deletes'), 10);
    await expect(store.create(endpoint('concurrent-deletes'), 10)).rejects.toMatchObject({ statusCode: 429 });
  });

  it('creates by one owner at once: those within the limit are stored, the rest 429 (or 409), none fails otherwise', async () => {
    const results = outcomes(
      await Promise.allSettled(Array.from({ length: 8 }, () => store.create(endpoint('concurrent-creates'), 5))),
    );
    expect(results.filter((one) => !['ok', '429', '409'].includes(one))).toEqual([]);
    expect((await store.listOf('concurrent-creates')).length).toBe(results.filter((one) => one === 'ok').length);
    expect(results.filter((one) => one === 'ok').length).toBeLessThanOrEqual(5);
  });
});
