import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { messagesEndpoint, Poller, type PollerOptions } from '../../../lambdas/local/poller';

const QUEUE_URL = 'http://127.0.0.1:5000/000000000000/ingest';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:ingest';
const sqs = mockClient(SQSClient);

/** What the fake queue hands out, one batch per ReceiveMessage; an empty queue answers after a short long-poll. */
let batches: Message[][];
let events: SQSEvent[];
let poller: Poller | undefined;

function message(id: string, attributes: Record<string, string> = {}): Message {
  return {
    MessageId: id,
    ReceiptHandle: `receipt-${id}`,
    Body: `{"id":"${id}"}`,
    MD5OfBody: `md5-${id}`,
    Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000', ...attributes },
  };
}

function start(handler: (event: SQSEvent) => Promise<SQSBatchResponse>, options: Partial<PollerOptions> = {}) {
  poller = new Poller({
    sqs: new SQSClient({ region: 'us-east-1' }),
    queueUrl: QUEUE_URL,
    queueArn: QUEUE_ARN,
    concurrency: 1,
    retryDelaySeconds: 7,
    handler: async (event) => {
      events.push(event);
      return handler(event);
    },
    ...options,
  });
  poller.start();
  return poller;
}

/** Wait for a condition with a deadline (the poller works in the background). */
async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const deleted = () => sqs.commandCalls(DeleteMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);
const retried = () => sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input);

beforeEach(() => {
  sqs.reset();
  batches = [];
  events = [];
  sqs.on(ReceiveMessageCommand).callsFake(async () => {
    const next = batches.shift();
    if (next) return { Messages: next };
    await new Promise((resolve) => setTimeout(resolve, 10));
    return {};
  });
  sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

describe('Poller', () => {
  it('long-polls the queue for batches with every attribute', async () => {
    start(async () => ({ batchItemFailures: [] }), { batchSize: 5 });
    await until(() => sqs.commandCalls(ReceiveMessageCommand).length > 0);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: QUEUE_URL,
      MaxNumberOfMessages: 5,
      WaitTimeSeconds: 20,
      MessageSystemAttributeNames: ['All'],
    });
  });

  it('hands over what one receive returns when there is no batching window', async () => {
    batches = [[message('m1')], [message('m2')]];
    start(async () => ({ batchItemFailures: [] }), { batchSize: 10, batchWindowSeconds: 0 });
    await until(() => events.length === 2);
    expect(events.map((event) => event.Records.map((record) => record.messageId))).toEqual([['m1'], ['m2']]);
  });

  it('keeps gathering a batch within the window until it is full, as Lambda does', async () => {
    batches = [[message('m1')], [message('m2'), message('m3')], [message('m4')]];
    start(async () => ({ batchItemFailures: [] }), { batchSize: 3, batchWindowSeconds: 5 });
    await until(() => events.length === 1);
    expect(events[0]?.Records.map((record) => record.messageId)).toEqual(['m1', 'm2', 'm3']);
    // The second receive asks only for what the batch still lacks, waiting at most the window.
    expect(sqs.commandCalls(ReceiveMessageCommand)[1]?.args[0].input).toMatchObject({
      MaxNumberOfMessages: 2,
      WaitTimeSeconds: 5,
    });
  });

  it('asks SQS for at most 10 messages a call, even for larger batches', async () => {
    start(async () => ({ batchItemFailures: [] }), { batchSize: 50 });
    await until(() => sqs.commandCalls(ReceiveMessageCommand).length > 0);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, { MaxNumberOfMessages: 10 });
  });

  it('deletes exactly the messages the handler did not report as failed', async () => {
    batches = [[message('m1'), message('m2'), message('m3')]];
    const running = start(async () => ({ batchItemFailures: [{ itemIdentifier: 'm2' }] }));
    await until(() => running.stats.batches === 1 && deleted().length > 0 && retried().length > 0);
    expect(deleted().map((entry) => entry.ReceiptHandle)).toEqual(['receipt-m1', 'receipt-m3']);
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageBatchCommand, { QueueUrl: QUEUE_URL });
    expect(retried()).toEqual([{ QueueUrl: QUEUE_URL, ReceiptHandle: 'receipt-m2', VisibilityTimeout: 7 }]);
    expect(running.stats).toMatchObject({ received: 3, succeeded: 2, failed: 1, handlerErrors: 0 });
  });

  it('changes no visibility when the whole batch succeeds', async () => {
    batches = [[message('m1'), message('m2')]];
    const running = start(async () => ({ batchItemFailures: [] }));
    await until(() => deleted().length === 2);
    expect(sqs).not.toHaveReceivedCommand(ChangeMessageVisibilityCommand);
    expect(running.stats).toMatchObject({ succeeded: 2, failed: 0 });
  });

  it('treats a thrown handler as a failure of the whole batch: nothing deleted, every message retried', async () => {
    batches = [[message('m1'), message('m2')]];
    const lines: string[] = [];
    const running = start(
      async () => {
        throw new Error('sharp could not be loaded');
      },
      { log: (line) => lines.push(line) },
    );
    await until(() => retried().length === 2);
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageBatchCommand);
    expect(retried().map((input) => input.ReceiptHandle)).toEqual(['receipt-m1', 'receipt-m2']);
    expect(running.stats).toMatchObject({ failed: 2, succeeded: 0, handlerErrors: 1 });
    expect(lines).toContain('processor threw: sharp could not be loaded');
  });

  it('hands the handler SQS records with the message, its attributes and the queue ARN', async () => {
    batches = [[message('m1', { ApproximateReceiveCount: '3', ApproximateFirstReceiveTimestamp: '1700000000500' })]];
    const running = start(async () => ({ batchItemFailures: [] }));
    await until(() => events.length === 1);
    expect(events[0]?.Records).toEqual([
      {
        messageId: 'm1',
        receiptHandle: 'receipt-m1',
        body: '{"id":"m1"}',
        md5OfBody: 'md5-m1',
        attributes: {
          ApproximateReceiveCount: '3',
          SentTimestamp: '1700000000000',
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: '1700000000500',
        },
        messageAttributes: {},
        eventSource: 'aws:sqs',
        eventSourceARN: QUEUE_ARN,
        awsRegion: expect.any(String),
      },
    ]);
    await until(() => running.stats.succeeded === 1);
    expect(running.stats.redelivered).toBe(1);
  });

  it('stops receiving on stop(), after the batch in hand is finished and deleted', async () => {
    batches = [[message('m1')]];
    let release: () => void = () => undefined;
    const handled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = start(async () => {
      await handled;
      return { batchItemFailures: [] };
    });
    await until(() => events.length === 1);
    let stopped = false;
    const stopping = running.stop().then(() => {
      stopped = true;
    });
    await new Promise(setImmediate);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(deleted().map((entry) => entry.ReceiptHandle)).toEqual(['receipt-m1']);
    const receives = sqs.commandCalls(ReceiveMessageCommand).length;
    await new Promise(setImmediate);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(receives);
  });

  it('remembers what became of each message, by its id: deleted, retried, or dead-lettered on its last receive', async () => {
    batches = [[message('m1'), message('m2'), message('m3', { ApproximateReceiveCount: '5' })]];
    const running = start(async () => ({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] }));
    await until(() => retried().length === 2);
    expect(running.outcomeOf('m1')).toMatchObject({ outcome: 'deleted' });
    expect(running.outcomeOf('m2')).toMatchObject({ outcome: 'retried' });
    expect(running.outcomeOf('m3')).toMatchObject({ outcome: 'dead-lettered' });
    expect(running.outcomeOf('m4')).toBeUndefined();
  });

  it('does not call a message deleted when SQS refused to delete it', async () => {
    batches = [[message('m1'), message('m2')]];
    sqs
      .on(DeleteMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0' }], Failed: [{ Id: '1', SenderFault: true, Code: 'x' }] });
    const running = start(async () => ({ batchItemFailures: [] }));
    await until(() => deleted().length === 2 && running.outcomeOf('m1') !== undefined);
    expect(running.outcomeOf('m1')).toMatchObject({ outcome: 'deleted' });
    expect(running.outcomeOf('m2')).toBeUndefined();
  });
});

describe('POST /_local/messages', () => {
  it("answers each known message's outcome with its poller's queue, and leaves out the ones no poller has seen", async () => {
    batches = [[message('m1')]];
    const running = start(async () => ({ batchItemFailures: [] }));
    await until(() => running.outcomeOf('m1') !== undefined);
    const idle = new Poller({
      sqs: new SQSClient({ region: 'us-east-1' }),
      queueUrl: QUEUE_URL,
      queueArn: QUEUE_ARN,
      handler: async () => ({ batchItemFailures: [] }),
    });
    const endpoint = messagesEndpoint({ ingest: running, webhooks: idle });
    expect(endpoint).toMatchObject({ method: 'POST', path: '/_local/messages', jsonOnly: true });
    const reply = await endpoint.handle(JSON.stringify({ messageIds: ['m1', 'unknown'] }));
    expect(reply).toEqual({
      status: 200,
      body: { messages: { m1: { queue: 'ingest', outcome: 'deleted', at: expect.any(String) } } },
    });
  });

  it.each([
    ['text that is no JSON', 'not json'],
    ['no messageIds', '{}'],
    ['an empty list', '{"messageIds":[]}'],
    ['more than 100 ids', JSON.stringify({ messageIds: Array(101).fill('m') })],
  ])('refuses %s, saying what to send', async (_what, body) => {
    const reply = await messagesEndpoint({}).handle(body);
    expect(reply).toEqual({ status: 400, body: { message: expect.stringMatching(/^send \{"messageIds"/) } });
  });
});
