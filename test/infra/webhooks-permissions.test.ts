import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { QueuePublisher } from '../../lambdas/events/queue-sink';
import type { AwsCall } from '../../lambdas/local/aws-calls';
import { DeliveryLog } from '../../lambdas/webhooks/deliveries';
import type { WebhookEndpoint } from '../../lambdas/webhooks/endpoint';
import { EndpointStore } from '../../lambdas/webhooks/endpoints';
import { WebhookQueue } from '../../lambdas/webhooks/queue';
import { checkCalls } from '../support/permissions/check';
import { recorded } from '../support/permissions/mocked-calls';
import { type CfnTemplate, ResolvedTemplate, withoutAction } from '../support/permissions/template';
import { logicalIdOf, type Synthesized, synth } from './support/synth';

/**
 * The webhooks' calls, made by the stores and the queue of lambdas/webhooks with their SDK clients mocked, each as
 * the function whose handler makes it (its handler.ts, delivery.ts), then checked against the synthesized stack's
 * policies with the permissions check (test/support/permissions), as people-permissions.test.ts does.
 */
const PLACE = { region: 'us-east-1', account: '123456789012' };
const TABLE = 'webhooks-table';
const QUEUE = `https://sqs.${PLACE.region}.amazonaws.com/${PLACE.account}/webhooks-queue`;
const ENDPOINT: WebhookEndpoint = {
  endpointId: 'ep_01JD3W7Q1ZK7Y6G5S4R3P2N1M0',
  owner: 'ada',
  url: 'https://hooks.example.com/in',
  description: '',
  eventTypes: [],
  enabled: true,
  secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: '2026-01-01T00:00:00.000Z' }],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
} as WebhookEndpoint;
const WEBHOOK_ID = 'msg_01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const NOW = '2026-01-02T00:00:00.000Z';

/** Each function's calls, made by the code it runs. */
async function derivedCalls(): Promise<AwsCall[]> {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: PLACE.region }));
  const sqsClient = new SQSClient({ region: PLACE.region });
  const dynamo = mockClient(documents);
  const sqs = mockClient(sqsClient);
  dynamo.resolves({});
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  sqs.on(SendMessageCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
  dynamo.on(UpdateCommand).resolves({ Attributes: { ...ENDPOINT } });
  const mocks = [
    { service: 'DynamoDB', calls: () => dynamo.calls() },
    { service: 'SQS', calls: () => sqs.calls() },
  ];
  const made: AwsCall[] = [];
  const as = async (fn: string, work: () => Promise<unknown>) => {
    await work();
    made.push(...recorded(fn, mocks));
    dynamo.resetHistory();
    sqs.resetHistory();
  };
  const endpoints = new EndpointStore(documents, TABLE);
  const log = new DeliveryLog(documents, TABLE);
  const queue = new WebhookQueue(sqsClient, QUEUE);
  const attempt = { webhookId: WEBHOOK_ID, endpointId: ENDPOINT.endpointId } as never;
  try {
    await as('create-webhook', () => endpoints.create(ENDPOINT, 10));
    await as('list-webhooks', () => endpoints.listOf(ENDPOINT.owner));
    await as('get-webhook', () => endpoints.get(ENDPOINT.endpointId, true));
    await as('update-webhook', async () => {
      await endpoints.get(ENDPOINT.endpointId, true);
      await endpoints.update(ENDPOINT.endpointId, { description: 'cms' }, NOW);
    });
    await as('delete-webhook', async () => {
      await endpoints.get(ENDPOINT.endpointId, true);
      await endpoints.delete(ENDPOINT);
    });
    await as('rotate-webhook-secret', async () => {
      await endpoints.get(ENDPOINT.endpointId, true);
      await endpoints.rotate(ENDPOINT, 'whsec_bmV3IHNlY3JldCBmb3Igcm90YXRpb24hISE=', NOW, NOW);
    });
    await as('list-webhook-deliveries', async () => {
      await endpoints.get(ENDPOINT.endpointId, true);
      await log.page(ENDPOINT.endpointId, 25);
    });
    await as('replay-webhook-deliveries', async () => {
      // The endpoint; the owner's rate counted; one delivery requeued, or the endpoint's range lease taken.
      await endpoints.get(ENDPOINT.endpointId, true);
      await endpoints.countReplay(ENDPOINT.owner, NOW, 10, 1);
      await log.requeue(ENDPOINT.endpointId, WEBHOOK_ID, NOW);
      await endpoints.claimRangeReplay(ENDPOINT.endpointId, NOW, NOW);
      await queue.send(attempt);
    });
    await as('deliver-webhooks', async () => {
      // An event: its endpoints, then a delivery each; an attempt: the delivery and endpoint read, the attempt
      // recorded, the endpoint marked; the next attempt queued; a replay's page of ids requeued.
      await endpoints.listOf(ENDPOINT.owner);
      await log.create({
        endpointId: ENDPOINT.endpointId,
        webhookId: WEBHOOK_ID,
        eventType: 'Image Processed',
        payload: '{}',
        status: 'PENDING',
        createdAt: NOW,
        attempts: [],
        expiresAt: 1,
      });
      await log.get(ENDPOINT.endpointId, WEBHOOK_ID);
      await endpoints.get(ENDPOINT.endpointId);
      await log.recordAttempt(
        { endpointId: ENDPOINT.endpointId, webhookId: WEBHOOK_ID, attempts: [] },
        {} as never,
        'PENDING',
        NOW,
      );
      await endpoints.markFailing(ENDPOINT.endpointId, NOW);
      await log.deliveriesBetween(ENDPOINT.endpointId, 0, WEBHOOK_ID, WEBHOOK_ID, 10);
      await log.requeue(ENDPOINT.endpointId, WEBHOOK_ID, NOW);
      // A replay held while the endpoint fails, released when it succeeds; a range's lease ended.
      await endpoints.noteHeld(ENDPOINT.endpointId, NOW);
      await log.hold(ENDPOINT.endpointId, WEBHOOK_ID, 'settled');
      await endpoints.markHealthy(ENDPOINT.endpointId);
      await endpoints.endRangeReplay(ENDPOINT.endpointId, NOW);
      // An image deleted for good: its deliveries found through their index and deleted.
      dynamo
        .on(QueryCommand, { IndexName: 'byImageDeliveries' })
        .resolves({ Items: [{ pk: `DL#${ENDPOINT.endpointId}#0`, sk: WEBHOOK_ID }] });
      await log.forgetImage('01JD3W7Q1ZK7Y6G5S4R3P2N1M0', 'msg_other');
      await queue.send(attempt, 5);
      await queue.sendAll([attempt]);
    });
    for (const publisher of ['processor', 'delete-image', 'correct-labels', 'deliver-webhooks']) {
      await as(publisher, () =>
        new QueuePublisher(sqsClient, QUEUE).publish({ detailType: 'Image Deleted', detail: {} } as never),
      );
    }
    return made;
  } finally {
    dynamo.restore();
    sqs.restore();
  }
}

function functionsOf(s: Synthesized): Record<string, string> {
  const { handlers } = s.stack.api;
  const webhooks = s.stack.declaredQueue('webhooks');
  return {
    ...Object.fromEntries(
      Object.entries(handlers.byName)
        .filter(([name]) => name.includes('webhook') || name === 'delete-image' || name === 'correct-labels')
        .map(([name, fn]) => [name, logicalIdOf(fn)]),
    ),
    processor: logicalIdOf(s.stack.processor.function),
    'deliver-webhooks': logicalIdOf(webhooks.function),
  };
}

async function check(s: Synthesized, calls: readonly AwsCall[], edit: (json: CfnTemplate) => CfnTemplate = (j) => j) {
  const { table } = s.stack.declaredTable('webhooks');
  const { queue } = s.stack.declaredQueue('webhooks');
  const names = { [logicalIdOf(table)]: TABLE, [logicalIdOf(queue)]: QUEUE };
  const template = new ResolvedTemplate(edit(structuredClone(s.json) as CfnTemplate), PLACE, names);
  return checkCalls(template, functionsOf(s), calls);
}

describe('the webhooks permissions', () => {
  const s = synth({});
  let calls: AwsCall[];
  beforeAll(async () => {
    calls = await derivedCalls();
  });

  it('allow every call the webhook routes, the delivery function and the publishers make', async () => {
    // The eight routes, the delivery function and the three other publishers.
    expect(new Set(calls.map((call) => call.fn)).size).toBe(12);
    const report = await check(s, calls);
    expect([report.unknown, report.strangers, report.denied]).toEqual([[], [], []]);
  });

  it('leave no webhook grant unused by these calls', async () => {
    const report = await check(s, calls);
    // Every grant on the webhooks' table or queue, but the event source mapping's consumption of the queue, which
    // no call of the code makes (explained.ts).
    const onWebhooks = Object.entries(report.grants).flatMap(([fn, grants]) =>
      Object.entries(grants)
        .filter(([grant]) => /<Webhooks/.test(grant) && !/^sqs:(GetQueue|Change|Receive|Delete)/.test(grant))
        .map(([grant, used]) => ({ grant: `${fn}: ${grant}`, used })),
    );
    expect(onWebhooks.length).toBeGreaterThanOrEqual(20);
    expect(onWebhooks.filter(({ used }) => !used).map(({ grant }) => grant)).toEqual([]);
  });

  it('refuse the calls once a grant is taken away, and another table or queue', async () => {
    const taken = await check(s, calls, withoutAction('dynamodb:DeleteItem'));
    expect(taken.denied.map((denial) => `${denial.fn} ${denial.action}`)).toEqual([
      'delete-webhook dynamodb:DeleteItem',
      'deliver-webhooks dynamodb:DeleteItem',
    ]);
    const other = (input: Record<string, unknown>) =>
      Array.isArray(input.TransactItems)
        ? {
            ...input,
            TransactItems: (input.TransactItems as Record<string, string>[]).map((item) =>
              Object.fromEntries(Object.keys(item).map((operation) => [operation, 'other'])),
            ),
          }
        : { ...input, TableName: 'other' };
    const elsewhere = calls.map((call) => ({
      ...call,
      input: call.service === 'SQS' ? { ...call.input, QueueUrl: `${QUEUE}-other` } : other(call.input),
    }));
    const report = await check(s, elsewhere);
    expect(report.checked).toBeGreaterThan(0);
    expect(report.denied).toHaveLength(report.checked);
  });
});
