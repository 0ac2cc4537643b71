import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { Poller } from '../../../lambdas/local/poller';
import { testEndpoint } from '../../support/shared-moto';

/** The poller long-polls for 20 s, as Lambda's event source does: these hold under that, against a real queue. */
jest.setTimeout(15_000);

const sqs = new SQSClient({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
let queueUrl: string;

beforeAll(async () => {
  ({ QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: `poller-${randomUUID()}` })));
});
afterAll(async () => {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  sqs.destroy();
});

function poller(events: SQSEvent[]): Poller {
  return new Poller({
    sqs,
    queueUrl,
    queueArn: 'arn:aws:sqs:us-east-1:123456789012:poller',
    concurrency: 1,
    handler: async (event) => {
      events.push(event);
      return { batchItemFailures: [] };
    },
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('Poller against a queue', () => {
  it('hands over a message sent while a receive is waiting, without waiting out the long poll', async () => {
    const events: SQSEvent[] = [];
    const running = poller(events);
    running.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'while waiting' }));
    await until(() => events.length === 1);
    await running.stop();
    expect(events[0]?.Records.map((record) => record.body)).toEqual(['while waiting']);
    expect(running.stats.succeeded).toBe(1);
  });

  it('stop() ends a receive that is waiting on an empty queue', async () => {
    const running = poller([]);
    running.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Under the file's 15 s limit only if the 20 s receive in flight is aborted.
    await running.stop();
    expect(running.stats.received).toBe(0);
  });
});
