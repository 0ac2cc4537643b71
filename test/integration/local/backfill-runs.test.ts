import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { enqueueBatchDefinition } from '../../../lambdas/backfill/definition';
import { runKey } from '../../../lambdas/backfill/run-keys';
import { SourceObjectMessageSchema } from '../../../lambdas/backfill/source-object';
import { BackfillRunStore } from '../../../lambdas/local/backfill-run-store';
import { type LocalBackfills as Backfills, LocalBackfills, type LocalRun } from '../../../lambdas/local/backfill-runs';
import { type StepFunctionsService, startStepFunctionsService } from '../../../lambdas/local/step-functions-service';
import { testEndpoint } from '../../support/shared-moto';

jest.setTimeout(120_000);

const REGION = 'us-east-1';
const KEYS = [
  'photos/a.jpg',
  'photos/with space.jpg',
  'photos/plus+sign.jpg',
  'photos/100% sure.jpg',
  'photos/ünïcödé 写真.jpg',
  'photos/sub/',
  ...Array.from({ length: 17 }, (_, i) => `photos/sub/${String(i).padStart(2, '0')}.png`),
];

/** The run's moto is shared: this file's bucket, queue, tables and state machine carry a suffix of their own. */
const OWN = randomUUID().slice(0, 8);
const BUCKET = `photos-${OWN}`;
const RESULTS = `results-${OWN}`;

let clients: { s3: S3Client; sqs: SQSClient; dynamo: DynamoDBClient; sfn: SFNClient };
let queueUrl: string;
let backfills: Backfills;
let childArn: string;
let store: BackfillRunStore;

beforeAll(async () => {
  const config = {
    endpoint: testEndpoint(),
    region: REGION,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  };
  clients = {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sqs: new SQSClient(config),
    dynamo: new DynamoDBClient(config),
    sfn: new SFNClient(config),
  };
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const key of KEYS) {
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key.endsWith('/') ? '' : key }));
  }
  ({ QueueUrl: queueUrl = '' } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `ingest-${OWN}` })));
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: RESULTS,
      KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'imageId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const { stateMachineArn } = await clients.sfn.send(
    new CreateStateMachineCommand({
      name: `enqueue-batch-${OWN}`,
      roleArn: 'arn:aws:iam::123456789012:role/backfill',
      definition: JSON.stringify(enqueueBatchDefinition({ queueUrl, tableName: RESULTS })),
    }),
  );
  childArn = stateMachineArn as string;
  store = new BackfillRunStore(clients.dynamo, `executions-${OWN}`);
  await store.ensure();
  backfills = runner();
});

/** A runner's map over the runs kept in `store`: a second one is the runner started again on the same emulator. */
function runner(pageSize?: number): Backfills {
  return new LocalBackfills({
    pageSize,
    s3: clients.s3,
    sfn: clients.sfn,
    childArn,
    store,
    maxConcurrency: 3,
    toleratedFailurePercentage: 0,
  });
}

afterAll(async () => {
  await service?.stop();
  for (const client of Object.values(clients ?? {})) client.destroy();
});

let service: StepFunctionsService;
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:local-backfill';

async function finished(run: LocalRun): Promise<LocalRun> {
  for (const started = Date.now(); Date.now() - started < 100_000; ) {
    if (run.status !== 'RUNNING') return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${run.name} still RUNNING`);
}

async function drain(): Promise<string[]> {
  const bodies: string[] = [];
  for (let empty = 0; empty < 2; ) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) empty += 1;
    bodies.push(...Messages.map((message) => message.Body as string));
    if (Messages.length > 0) {
      await clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      );
    }
  }
  return bodies;
}

describe('a backfill in the runner', () => {
  it("lists the prefix, batches it by ten, and runs each batch as the stack's child definition in moto", async () => {
    const run = await finished(
      await backfills.start('run-1', {
        bucket: BUCKET,
        prefix: 'photos/',
        owner: 'alice',
        reprocess: false,
        regroupFaces: false,
        reown: true,
      }),
    );
    expect(run).toMatchObject({ status: 'SUCCEEDED', listed: KEYS.length, succeeded: KEYS.length, failed: 0 });
    const messages = (await drain()).map((body) => SourceObjectMessageSchema.parse(JSON.parse(body)));
    expect(messages.map((m) => m.object.Key).sort()).toEqual([...KEYS].sort());
    expect(messages[0]).toMatchObject({ sourceObject: 1, run: 'run-1', bucket: BUCKET, owner: 'alice', reown: true });
    expect(messages.find((m) => m.object.Key === 'photos/sub/')?.object).toMatchObject({ Size: 0 });
    expect(typeof messages[0]?.object.LastModified).toBe('number');
    const { Item } = await clients.dynamo.send(
      new GetItemCommand({ TableName: RESULTS, Key: { imageId: { S: runKey('run-1') } } }),
    );
    expect(Item?.queued).toEqual({ N: String(KEYS.length) });
  });

  it('answers the run a name already names instead of starting it again', async () => {
    const again = await backfills.start('run-1', {
      bucket: BUCKET,
      prefix: '',
      owner: null,
      reprocess: true,
      regroupFaces: false,
      reown: false,
    });
    expect(again).toMatchObject({ name: 'run-1', input: { prefix: 'photos/' } });
  });

  it('fails a run whose bucket cannot be listed, as the ItemReader does, having queued nothing', async () => {
    const run = await finished(
      await backfills.start('run-2', {
        bucket: 'no-such',
        prefix: '',
        owner: null,
        reprocess: false,
        regroupFaces: false,
        reown: false,
      }),
    );
    expect(run).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', listed: 0 });
    expect(run.cause).toMatch(/^listing s3:\/\/no-such\/ failed: /);
    expect(await drain()).toEqual([]);
  });

  it('lists runs newest first, and by status', () => {
    expect(backfills.list().map((run) => run.name)).toEqual(['run-2', 'run-1']);
    expect(backfills.list('FAILED').map((run) => run.name)).toEqual(['run-2']);
  });
});

describe('a runner started again on the same emulator', () => {
  const input = {
    bucket: BUCKET,
    prefix: 'photos/sub/',
    owner: null,
    reprocess: false,
    regroupFaces: false,
    reown: false,
  };
  const messageKeys = async () =>
    (await drain()).map((body) => SourceObjectMessageSchema.parse(JSON.parse(body)).object.Key).sort();

  it('answers the runs the first one kept, as they ended', async () => {
    const again = runner();
    await again.resume();
    expect(again.get('run-1')).toMatchObject({ status: 'SUCCEEDED', listed: KEYS.length, succeeded: KEYS.length });
    expect(again.get('run-2')).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', listed: 0 });
    expect(again.list().map((run) => run.name)).toEqual(backfills.list().map((run) => run.name));
    expect(await drain()).toEqual([]);
  });

  it('carries a run killed mid-page on: the batches not counted are run, a started one followed, none sent twice', async () => {
    // What a runner killed mid-run leaves: the run kept, its first page (18 objects: batches 0 and 1) listed, batch
    // 0 counted and its messages taken by the processor, batch 1's child execution started, the kill before its count.
    const killed = { name: 'run-killed', input, status: 'RUNNING' as const, startDate: new Date(), listed: 18 };
    await store.started({ ...killed, listed: 0, succeeded: 0, failed: 0 });
    await store.page({ ...killed, succeeded: 0, failed: 0 }, { after: '', size: 18, firstBatch: 0 });
    await store.batch('run-killed', 0, 'succeeded', 10);
    const sub = KEYS.filter((key) => key.startsWith('photos/sub/')).sort();
    const item = (Key: string) => ({ Key, Size: 1, Etag: '"e"', LastModified: 0, StorageClass: 'STANDARD' });
    await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: childArn,
        name: 'run-killed-1',
        input: JSON.stringify({ BatchInput: { run: 'run-killed', ...input }, Items: sub.slice(10).map(item) }),
      }),
    );

    const again = runner();
    await again.resume();
    const run = await finished(again.get('run-killed') as LocalRun);
    expect(run).toMatchObject({ status: 'SUCCEEDED', listed: 18, succeeded: 18, failed: 0 });
    // Batch 1's messages once (from the child the killed runner started), batch 0's never again.
    expect(await messageKeys()).toEqual(sub.slice(10));
    expect((await store.all()).find((kept) => kept.run.name === 'run-killed')?.run).toMatchObject({
      status: 'SUCCEEDED',
      succeeded: 18,
    });
  });

  it('carries a run killed on a later page on from the key that page started after', async () => {
    // Pages of 4: the kill came on the third page (objects 8-11, batch 2), none of whose batches was counted.
    const sub = KEYS.filter((key) => key.startsWith('photos/sub/')).sort();
    const killed = { name: 'run-paged', input, status: 'RUNNING' as const, startDate: new Date(), listed: 12 };
    await store.started({ ...killed, listed: 0, succeeded: 0, failed: 0 });
    await store.batch('run-paged', 0, 'succeeded', 4);
    await store.batch('run-paged', 1, 'succeeded', 4);
    await store.page({ ...killed, succeeded: 8, failed: 0 }, { after: sub[7] as string, size: 4, firstBatch: 2 });
    const again = runner(4);
    await again.resume();
    const run = await finished(again.get('run-paged') as LocalRun);
    expect(run).toMatchObject({ status: 'SUCCEEDED', listed: 18, succeeded: 18, failed: 0 });
    expect(await messageKeys()).toEqual(sub.slice(8));
  });

  it('lists a run killed before its first page from the start', async () => {
    const killed = { name: 'run-early', input, status: 'RUNNING' as const, startDate: new Date() };
    await store.started({ ...killed, listed: 0, succeeded: 0, failed: 0 });
    const again = runner();
    await again.resume();
    expect(await finished(again.get('run-early') as LocalRun)).toMatchObject({ status: 'SUCCEEDED', listed: 18 });
    expect(await messageKeys()).toEqual(KEYS.filter((key) => key.startsWith('photos/sub/')).sort());
  });
});

describe("the backfill state machine behind Step Functions' API", () => {
  let sfn: SFNClient;
  beforeAll(async () => {
    service = await startStepFunctionsService(backfills, { stateMachineArn: MACHINE });
    sfn = new SFNClient({
      endpoint: service.url,
      region: REGION,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
  });

  it('starts a run, and tells it as DescribeExecution and DescribeMapRun do in AWS', async () => {
    const input = JSON.stringify({ bucket: BUCKET, prefix: 'photos/sub/', owner: null, reprocess: false });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE, name: 'run-3', input }),
    );
    expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:local-backfill:run-3');
    let status = 'RUNNING';
    while (status === 'RUNNING') {
      ({ status = 'RUNNING' } = await sfn.send(new DescribeExecutionCommand({ executionArn })));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe('SUCCEEDED');
    const { mapRuns = [] } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    const map = await sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRuns[0]?.mapRunArn }));
    expect(map.itemCounts).toMatchObject({ total: 18, succeeded: 18, failed: 0 });
    expect((await drain()).length).toBe(18);
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE }));
    expect(executions[0]).toMatchObject({ name: 'run-3', status: 'SUCCEEDED' });
  });

  it('pages ListExecutions with a nextToken while more runs follow, and filters them by status, as AWS does', async () => {
    const list = (more: { maxResults?: number; nextToken?: string; statusFilter?: 'FAILED' } = {}) =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE, ...more }));
    const first = await list({ maxResults: 2 });
    expect(first.executions?.map((run) => run.name)).toEqual(['run-3', 'run-2']);
    const second = await list({ maxResults: 2, nextToken: first.nextToken });
    expect([second.executions?.map((run) => run.name), second.nextToken]).toEqual([['run-1'], undefined]);
    expect((await list({ statusFilter: 'FAILED' })).executions?.map((run) => run.name)).toEqual(['run-2']);
    await expect(list({ nextToken: 'not-a-token' })).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('answers the same run for the same name and input, and refuses the name with another input', async () => {
    const input = JSON.stringify({ bucket: BUCKET, prefix: 'photos/sub/', owner: null, reprocess: false });
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, name: 'run-3', input }));
    expect(again.executionArn).toMatch(/:run-3$/);
    const other = JSON.stringify({ bucket: BUCKET, prefix: '', owner: null, reprocess: false });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, name: 'run-3', input: other })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('refuses another state machine, an unknown execution, and what it does not serve', async () => {
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${MACHINE}-other`, name: 'x', input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      sfn.send(
        new DescribeExecutionCommand({ executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:nope` }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(
      sfn.send(new StopExecutionCommand({ executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:run-3` })),
    ).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});
