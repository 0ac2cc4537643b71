import { readFileSync } from 'node:fs';
import path from 'node:path';
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
  type AslStates,
  backfillDefinition,
  enqueueBatchDefinition,
  SEND_REFUSED_ERROR,
  SQS_TRANSIENT_ERRORS,
} from '../../../lambdas/backfill/definition';
import { runKey } from '../../../lambdas/backfill/run-keys';
import { SourceObjectMessageSchema } from '../../../lambdas/backfill/source-object';
import { type Emulator, startEmulator } from '../../../lambdas/local/emulator';

const OPTIONS = {
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest',
  tableName: 'results',
  maxConcurrency: 100,
  toleratedFailurePercentage: 5,
  resultBucket: 'images',
  resultPrefix: 'backfills/',
};

/** Every state a state's transitions name. */
function targetsOf(state: AslState): string[] {
  const choices = (state.Choices as { Next: string }[] | undefined) ?? [];
  const catches = (state.Catch as { Next: string }[] | undefined) ?? [];
  return [state.Next, state.Default, ...choices.map((c) => c.Next), ...catches.map((c) => c.Next)].filter(
    (target): target is string => typeof target === 'string',
  );
}

/** What is wrong with a graph of states (and the graphs of its Maps' processors), one line each. */
function problemsOf(graph: AslStates, where = 'the definition'): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(graph.States));
  if (!names.has(graph.StartAt)) problems.push(`${where}: StartAt ${graph.StartAt} is no state`);
  for (const [name, state] of Object.entries(graph.States)) {
    for (const target of targetsOf(state)) {
      if (!names.has(target)) problems.push(`${where}: ${name} goes to ${target}, which is no state`);
    }
    const terminal = state.End === true || state.Type === 'Succeed' || state.Type === 'Fail';
    if (!terminal && targetsOf(state).length === 0) problems.push(`${where}: ${name} neither ends nor goes on`);
    if (state.ItemProcessor) problems.push(...problemsOf(state.ItemProcessor as AslStates, `${where} > ${name}`));
  }
  const reached = new Set<string>();
  const visit = (name: string) => {
    const state = graph.States[name];
    if (reached.has(name) || !state) return;
    reached.add(name);
    for (const target of targetsOf(state)) visit(target);
  };
  visit(graph.StartAt);
  for (const name of names) if (!reached.has(name)) problems.push(`${where}: ${name} is never reached`);
  const ends = [...reached].filter((name) => {
    const state = graph.States[name];
    return state?.End === true || state?.Type === 'Succeed';
  });
  if (ends.length === 0) problems.push(`${where}: no successful end is reachable`);
  return problems;
}

describe('backfillDefinition', () => {
  const definition = backfillDefinition(OPTIONS);
  const map = definition.States.Objects as AslState;

  it('is a sound graph: every transition names a state, every state is reached, the run and each batch can end', () => {
    expect(problemsOf(definition)).toEqual([]);
  });

  it('finds what is wrong with an unsound graph (the walk can fail)', () => {
    const broken: AslDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'Gone' }, B: { Type: 'Pass' }, C: { Type: 'Fail' } },
    };
    expect(problemsOf(broken)).toEqual([
      'the definition: A goes to Gone, which is no state',
      'the definition: B neither ends nor goes on',
      'the definition: B is never reached',
      'the definition: C is never reached',
      'the definition: no successful end is reachable',
    ]);
  });

  it('is plain JSON, so the stack and the runner can hand it over as a string', () => {
    expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
  });

  it('lists the bucket under the prefix of the input and hands the objects out ten at a time with the run', () => {
    expect(map).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
      },
      ItemBatcher: {
        MaxItemsPerBatch: 10,
        BatchInput: {
          'run.$': '$$.Execution.Name',
          'bucket.$': '$.bucket',
          'owner.$': '$.owner',
          'reprocess.$': '$.reprocess',
          'regroupFaces.$': '$.regroupFaces',
          'reown.$': '$.reown',
        },
      },
      MaxConcurrency: 100,
      ToleratedFailurePercentage: 5,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'images', Prefix: 'backfills/' },
      },
      End: true,
    });
  });

  it('runs each batch as an EXPRESS child execution of the same states the runner runs alone', () => {
    const { ProcessorConfig, ...processor } = map.ItemProcessor as Record<string, unknown>;
    expect(ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    const { Comment: _comment, ...child } = enqueueBatchDefinition(OPTIONS);
    expect(processor).toEqual(child);
  });

  it('retries the send on throttling and 5xx, and anything else a little', () => {
    const child = (map.ItemProcessor as AslStates).States;
    const retry = child.Send?.Retry as { ErrorEquals: string[]; MaxAttempts: number }[];
    expect(retry[0]?.ErrorEquals).toEqual([...SQS_TRANSIENT_ERRORS]);
    expect(retry[0]?.ErrorEquals).toEqual(
      expect.arrayContaining(['Sqs.RequestThrottledException', 'Sqs.SqsException']),
    );
    expect(retry[1]).toMatchObject({ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 });
    expect(child.AllAccepted).toMatchObject({ Choices: [{ Variable: '$.sent.Failed[0]', Next: 'Refused' }] });
    expect(child.Refused).toMatchObject({ Type: 'Fail', Error: SEND_REFUSED_ERROR });
    expect(child.Count?.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.TaskFailed'] })]);
  });

  it('reads from its input only fields the AWS CLI command of docs/deploy.md gives (a missing one fails the run)', () => {
    const deploy = readFileSync(path.join(__dirname, '../../../docs/deploy.md'), 'utf8');
    const command = /aws stepfunctions start-execution [^`]*--input '([^']+)'/.exec(deploy);
    if (!command?.[1]) throw new Error('docs/deploy.md has no start-execution command with an --input');
    const given = Object.keys(JSON.parse(command[1]) as object);
    // What the map reads of the execution's input: its reader's and its batcher's paths (the child reads its batch).
    const { ItemReader, ItemBatcher } = map;
    const read = [...JSON.stringify({ ItemReader, ItemBatcher }).matchAll(/"\$\.(\w+)"/g)].map((match) => match[1]);
    expect(read.length).toBeGreaterThan(0);
    expect(given).toEqual(expect.arrayContaining([...new Set(read)]));
  });

  it('takes smaller batches, never more than a SendMessageBatch holds', () => {
    const batcher = (options: { itemsPerBatch: number }) =>
      (backfillDefinition({ ...OPTIONS, ...options }).States.Objects as AslState).ItemBatcher;
    expect(batcher({ itemsPerBatch: 3 })).toMatchObject({ MaxItemsPerBatch: 3 });
    expect(() => batcher({ itemsPerBatch: 11 })).toThrow('itemsPerBatch must be a whole number from 1 to 10, not 11');
    expect(() => batcher({ itemsPerBatch: 0 })).toThrow('not 0');
  });
});

/**
 * The child in moto, as the local runner will run it: moto's interpreter has no ItemBatcher and no EXPRESS
 * children, so the batch the parent would make is given as the input. Each execution gets a state machine of its
 * own, deleted once it ends: moto 5.2's StartExecution copies the state machine with every other live execution's
 * lock and answers 500 otherwise.
 */
describe('enqueueBatchDefinition in moto', () => {
  const REGION = 'us-east-1';
  const RUN = `run-${Date.now()}`;
  let emulator: Emulator;
  let clients: { sfn: SFNClient; sqs: SQSClient; dynamodb: DynamoDBClient };
  let queueUrl: string;
  let tableName: string;

  beforeAll(async () => {
    emulator = await startEmulator({ venvDir: path.join(__dirname, '../../../.local/moto-venv'), log: () => {} });
    const config = {
      endpoint: emulator.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    };
    clients = { sfn: new SFNClient(config), sqs: new SQSClient(config), dynamodb: new DynamoDBClient(config) };
    // Executions run only with this switched on, and it must be before the state machine is created.
    const switched = await fetch(`${emulator.endpoint}/moto-api/config`, {
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

  afterAll(async () => {
    for (const client of Object.values(clients ?? {})) client.destroy();
    await emulator?.stop();
  });

  /** Create a state machine, run it once on this input, delete it; the execution as it ended. */
  async function runOnce(definition: AslDefinition, input: unknown): Promise<DescribeExecutionOutput> {
    const { stateMachineArn } = await clients.sfn.send(
      new CreateStateMachineCommand({
        name: `enqueue-${Date.now()}`,
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
