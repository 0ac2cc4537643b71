import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  ExecutionLimitExceeded,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ADMIN_USER,
  type ApiHandler,
  apiEvent,
  invoke,
  type TestIdentity,
  useApiEnv,
} from '../../../../support/api-events';

useApiEnv();
const { handler } = require('../../../../../lambdas/backfill/functions/start-backfill/handler') as {
  handler: ApiHandler;
};

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:images-backfill';
const STARTED = new Date('2026-11-23T10:00:00.000Z');

const message = (response: { json: unknown }) => (response.json as { message: string }).message;
const start = (body: unknown, as: TestIdentity | null = ADMIN_USER) =>
  invoke(handler, apiEvent({ as, method: 'POST', resource: '/backfills', path: '/backfills', body }));

describe('POST /backfills', () => {
  beforeEach(() => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: STARTED });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  it('starts an execution named by a new run id with the planned input, and answers 202 where to follow it', async () => {
    const response = await start({ bucket: 'old-photos', prefix: '2019/', owner: 'bob', reprocess: true, reown: true });
    expect(response.statusCode).toBe(202);
    const call = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    const id = call?.name as string;
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(call?.stateMachineArn).toBe(STATE_MACHINE);
    expect(JSON.parse(call?.input ?? '')).toEqual({
      bucket: 'old-photos',
      prefix: '2019/',
      owner: 'bob',
      reprocess: true,
      regroupFaces: false,
      reown: true,
    });
    expect(response.json).toEqual({
      id,
      status: 'RUNNING',
      bucket: 'old-photos',
      prefix: '2019/',
      owner: 'bob',
      reprocess: true,
      regroupFaces: false,
      reown: true,
      startedAt: STARTED.toISOString(),
      location: `/backfills/${id}`,
    });
    expect(response.headers?.Location).toBe(`/backfills/${id}`);
  });

  it("leaves a source's images to the owner sourceBuckets names, and re-analyses the pipeline's uploads/ by default", async () => {
    // The processor gives each image its entry's owner (alice); the run answers the owner asked for: none.
    expect((await start({ bucket: 'archive.example' })).json).toMatchObject({ prefix: '2019/', owner: null });
    expect((await start({ bucket: 'images-bucket', reprocess: true })).json).toMatchObject({
      prefix: 'uploads/',
      owner: null,
      reprocess: true,
    });
  });

  it("regroups faces over the pipeline's uploads/ (a re-cluster), which re-analyses every image", async () => {
    const response = await start({ bucket: 'images-bucket', regroupFaces: true });
    expect(response.statusCode).toBe(202);
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '');
    expect(input).toEqual({
      bucket: 'images-bucket',
      prefix: 'uploads/',
      owner: null,
      reprocess: true,
      regroupFaces: true,
      reown: false,
    });
    expect(response.json).toMatchObject({ reprocess: true, regroupFaces: true });
  });

  it('answers 400 with what to deploy for a bucket that is no source, and starts nothing', async () => {
    const response = await start({ bucket: 'someone-elses' });
    expect(response.statusCode).toBe(400);
    expect(message(response)).toMatch(/someone-elses is not a source bucket of this deployment.*sourceBuckets=/);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 400 for a run whose images would have no owner, and starts nothing', async () => {
    expect(message(await start({ bucket: 'old-photos' }))).toMatch(
      /old-photos\/ would have no owner.*give an owner, or deploy the entry as old-photos=<owner>/,
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 400 for a prefix outside the source, or an owner it contradicts', async () => {
    expect(message(await start({ bucket: 'archive.example', prefix: '2020/' }))).toMatch(/outside/);
    expect(message(await start({ bucket: 'archive.example', owner: 'bob' }))).toMatch(
      /belong to alice \(sourceBuckets archive.example\/2019\/=alice\), not bob/,
    );
  });

  it("answers 400 for a re-own of the pipeline's uploads, which keep their uploaders", async () => {
    const response = await start({ bucket: 'images-bucket', reown: true });
    expect(response.statusCode).toBe(400);
    expect(message(response)).toMatch(/keep the owners they were uploaded by: give no reown/);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 400 naming prefix for a prefix with a lone surrogate, and starts nothing', async () => {
    const response = await start('{"bucket":"old-photos","prefix":"2019/\\ud800"}');
    expect([response.statusCode, message(response)]).toEqual([
      400,
      'prefix: must be valid Unicode (it has a lone surrogate)',
    ]);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 400 for a body that is not {bucket, prefix?, owner?, reprocess?}', async () => {
    for (const body of [
      {},
      { bucket: 'old-photos', extra: 1 },
      { bucket: 'old-photos', reprocess: 'yes' },
      { bucket: 'old-photos', regroupFaces: 1 },
      { bucket: 'old-photos', reown: 'yes' },
      { bucket: 'old-photos', force: 'true' },
      '[]',
    ]) {
      expect((await start(body)).statusCode).toBe(400);
    }
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 409 naming a running run over an overlapping prefix, and starts nothing; with force it starts', async () => {
    const running = '01JD5Y4ZQK8V3N2M1B0C9X8W7V';
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: 'arn:r',
          stateMachineArn: STATE_MACHINE,
          name: running,
          status: 'RUNNING',
          startDate: STARTED,
        },
      ],
    });
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'RUNNING',
      startDate: STARTED,
      input: JSON.stringify({ bucket: 'old-photos', prefix: '', owner: null, reprocess: false, regroupFaces: false }),
    });
    const response = await start({ bucket: 'old-photos', prefix: '2019/', owner: 'bob' });
    expect(response.statusCode).toBe(409);
    expect(message(response)).toBe(
      `old-photos/2019/ overlaps backfill ${running} over old-photos/, which is running: wait until it is done ` +
        `(GET /backfills/${running}), or give "force": true to start this one anyway`,
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect((await start({ bucket: 'old-photos', prefix: '2019/', owner: 'bob', force: true })).statusCode).toBe(202);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('answers 409 while another start of the bucket holds its lease, and gives the lease back after starting', async () => {
    dynamo
      .on(UpdateCommand, { ConditionExpression: 'attribute_not_exists(#until) OR #until < :now' })
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'held', $metadata: {} }))
      .resolves({});
    const refused = await start({ bucket: 'old-photos', owner: 'bob' });
    expect([refused.statusCode, message(refused)]).toEqual([
      409,
      'another backfill of old-photos is being started at this moment: try again in 5 seconds',
    ]);
    expect(sfn).not.toHaveReceivedCommand(ListExecutionsCommand);
    const response = await start({ bucket: 'old-photos', owner: 'bob' });
    expect(response.statusCode).toBe(202);
    const id = (response.json as { id: string }).id;
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { imageId: 'backfill#start#old-photos' },
      UpdateExpression: 'SET #until = :over, lastRun = :holder',
      ConditionExpression: 'holder = :holder',
      ExpressionAttributeValues: { ':over': 0, ':holder': id },
    });
  });

  it('answers 403 to anyone but an admin', async () => {
    const response = await start({ bucket: 'old-photos' }, { sub: 'c3e1a2b4-0000-4e6a-9b0c-1a2b3c4d5e6f' });
    expect(response.statusCode).toBe(403);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it("answers 429 with Retry-After when Step Functions' execution limit is reached", async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionLimitExceeded({ message: 'limit', $metadata: {} }));
    const response = await start({ bucket: 'old-photos', owner: 'bob' });
    expect(response.statusCode).toBe(429);
    expect(message(response)).toMatch(/too many executions running/);
    expect(response.headers?.['Retry-After']).toBe('60');
  });

  it('answers 500 without details when Step Functions fails otherwise', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    sfn.on(StartExecutionCommand).rejects(new Error(`no state machine ${STATE_MACHINE}`));
    const response = await start({ bucket: 'old-photos', owner: 'bob' });
    expect(response).toMatchObject({ statusCode: 500, json: { message: 'internal error' } });
    errors.mockRestore();
  });
});
