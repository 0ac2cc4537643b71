import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  type AslDefinition,
  type AslState,
  enqueueBatchDefinition,
  SEND_REFUSED_ERROR,
} from '../../../lambdas/backfill/definition';
import { runKey } from '../../../lambdas/backfill/run-keys';
import { SourceObjectMessageSchema } from '../../../lambdas/backfill/source-object';
import { testEndpoint } from '../../support/shared-moto';

/**
 * The child in moto, as the local runner will run it: moto's interpreter has no ItemBatcher and no EXPRESS
 * children, so the batch the parent would make is given as the input. Each execution gets a state machine of its
 * own, deleted once it ends: moto 5.2's StartExecution copies the state machine with every other live execution's
 * lock and answers 500 otherwise.
 */
describe('enqueueBatchDefinition in moto', () => {
  const REGION = 'us-east-1';
  // The run's moto is shared: this file's queue, table and state machines carry a suffix of their own.
  const RUN = `run-${randomUUID().slice(0, 8)}`;
  let endpoint: string;
  let clients: { sfn: SFNClient; sqs: SQSClient; dynamodb: DynamoDBClient };
  let queueUrl: string;
  let tableName: string;

  beforeAll(async () => {
    endpoint = testEndpoint();
    const config = {
      endpoint,
      region: REGION,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    };
    clients = { sfn: new SFNClient(config), sqs: new SQSClient(config), dynamodb: new DynamoDBClient(config) };
    // Executions run only with this switched on, and it must be before the state machine is created.
    const switched = await fetch(`${endpoint}/moto-api/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
    });
    expect(switched.ok).toBe(true);
    queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `ingest-${RUN}` }))).QueueUrl as string;
    tableName = `results-${RUN}`;
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'imageId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }, 60_000);

  afterAll(() => {
    for (const client of Object.values(clients ?? {})) client.destroy();
  });

  /** Create a state machine, run it once on this input, delete it; the execution as it ended. */
  async function runOnce(definition: AslDefinition, input: unknown): Promise<DescribeExecutionOutput> {
    const { stateMachineArn } = await clients.sfn.send(
      new CreateStateMachineCommand({
        name: `enqueue-${RUN}-${Date.now()}`,
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/backfill',
      }),
    );
    try {
      // A name, or moto names the execution "None".
      const { executionArn } = await clients.sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: `batch-${Date.now()}`, input: JSON.stringify(input) }),
      );
      const deadline = Date.now() + 30_000;
      for (;;) {
        const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (execution.status !== 'RUNNING') return execution;
        if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await clients.sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    }
  }

  /** Receive and delete until `count` messages have come, or fail after 10 s. */
  async function receive(count: number): Promise<string[]> {
    const bodies: string[] = [];
    const deadline = Date.now() + 10_000;
    while (bodies.length < count && Date.now() < deadline) {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      if (Messages.length === 0) continue;
      bodies.push(...Messages.map((message) => message.Body as string));
      await clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
    return bodies;
  }

  /** An object as the listObjectsV2 ItemReader gives it (AWS documents these fields). */
  const listed = (Key: string, i: number) => ({
    Key,
    Size: Key.endsWith('/') ? 0 : 1000 + i,
    Etag: `"${i.toString(16).padStart(32, '0')}"`,
    LastModified: 1_700_000_000 + i,
    StorageClass: 'STANDARD',
  });
  const KEYS = [
    'photos/a b.jpg',
    'photos/a+b.jpg',
    'photos/100%.jpg',
    'photos/100%25.jpg',
    'photos/ünï cødé.jpg',
    'photos/日本語/ファイル.jpg',
    'photos/emoji-😀.jpg',
    'photos/dir/',
    'photos/dir/nested file.png',
    'photos/"quoted" \\ back.jpg',
  ];

  const queued = async (run = RUN) => {
    const { Item } = await clients.dynamodb.send(
      new GetItemCommand({ TableName: tableName, Key: { imageId: { S: runKey(run) } }, ConsistentRead: true }),
    );
    return Item?.queued?.N;
  };

  it('sends each object of a batch as one message carrying the item whole, then counts the batch on the run', async () => {
    const items = KEYS.map(listed);
    const definition = enqueueBatchDefinition({ queueUrl, tableName });
    const execution = await runOnce(definition, {
      BatchInput: { run: RUN, bucket: 'old-photos', owner: null, reprocess: false, regroupFaces: false, reown: false },
      Items: items,
    });
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(JSON.parse(execution.output as string)).toEqual({ queued: 10 });

    const messages = (await receive(items.length)).map((body) => SourceObjectMessageSchema.parse(JSON.parse(body)));
    expect(messages.map((message) => message.object).sort((a, b) => a.Key.localeCompare(b.Key))).toEqual(
      [...items].sort((a, b) => a.Key.localeCompare(b.Key)),
    );
    for (const message of messages) {
      expect(message).toMatchObject({
        ...{ sourceObject: 1, run: RUN, bucket: 'old-photos', owner: null },
        regroupFaces: false,
        reown: false,
      });
    }
    expect(await queued()).toBe('10');

    // A second batch of the same run adds to the count, with its owner, reprocess, regroupFaces and reown.
    const second = await runOnce(definition, {
      BatchInput: { run: RUN, bucket: 'old-photos', owner: 'studio', reprocess: true, regroupFaces: true, reown: true },
      Items: [listed('more/x.jpg', 20), listed('more/y.jpg', 21)],
    });
    expect(second).toMatchObject({ status: 'SUCCEEDED' });
    const more = (await receive(2)).map((body) => SourceObjectMessageSchema.parse(JSON.parse(body)));
    const fields = more.map((m) => [m.object.Key, m.owner, m.reprocess, m.regroupFaces, m.reown]);
    expect(fields.sort()).toEqual([
      ['more/x.jpg', 'studio', true, true, true],
      ['more/y.jpg', 'studio', true, true, true],
    ]);
    expect(await queued()).toBe('12');
  }, 60_000);

  it('fails the batch naming what SQS refused, and counts nothing, when an entry was refused', async () => {
    const { States } = enqueueBatchDefinition({ queueUrl, tableName });
    // SQS cannot be made to refuse one entry here, so its answer is given: the states after the send, as they are.
    const answered: AslDefinition = {
      StartAt: 'Answer',
      States: {
        Answer: {
          Type: 'Pass',
          Result: { Successful: [], Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false }] },
          ResultPath: '$.sent',
          Next: 'AllAccepted',
        },
        AllAccepted: States.AllAccepted as AslState,
        Refused: States.Refused as AslState,
        Count: States.Count as AslState,
      },
    };
    const execution = await runOnce(answered, {
      BatchInput: {
        ...{ run: `${RUN}-refused`, bucket: 'old-photos', owner: null },
        ...{ reprocess: false, regroupFaces: false, reown: false },
      },
      batch: { summary: { queued: 1 } },
    });
    expect(execution).toMatchObject({ status: 'FAILED', error: SEND_REFUSED_ERROR });
    expect(execution.cause).toBe(
      'SQS refused 1 of the messages of this batch (the others were queued): ' +
        '[{"Id":"3","Code":"InternalError","SenderFault":false}]',
    );
    expect(await queued(`${RUN}-refused`)).toBeUndefined();
  }, 60_000);
});
