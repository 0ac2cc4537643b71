import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionDoesNotExist,
  ListMapRunsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  ADMIN_USER,
  type ApiHandler,
  apiEvent,
  invoke,
  TEST_USER,
  type TestIdentity,
  useApiEnv,
} from '../../../../support/api-events';

useApiEnv();
const { handler } = require('../../../../../lambdas/backfill/functions/get-backfill/handler') as {
  handler: ApiHandler;
};

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const RUN = '01JD5Y4ZQK8V3N2M1B0C9X8W7V';
const EXECUTION = `arn:aws:states:eu-west-1:123456789012:execution:images-backfill:${RUN}`;
const MAP_RUN = `arn:aws:states:eu-west-1:123456789012:mapRun:images-backfill/Objects:${RUN}`;
const INPUT = {
  bucket: 'old-photos',
  prefix: '2019/',
  owner: null,
  reprocess: false,
  regroupFaces: false,
  reown: false,
};

const get = (id: string, as: TestIdentity = ADMIN_USER) =>
  invoke(
    handler,
    apiEvent({ as, method: 'GET', resource: '/backfills/{id}', path: `/backfills/${id}`, pathParameters: { id } }),
  );

/** The run item and two of its counter shards, as the state machine and the processor left them. */
function counted(): void {
  dynamo.on(BatchGetCommand).resolves({
    Responses: {
      'images-table': [
        { imageId: `backfill#${RUN}`, queued: 10 },
        { imageId: `backfill#${RUN}#3`, processed: 5, rejected: 1 },
        { imageId: `backfill#${RUN}#9`, processed: 2, placeholders: 1, skipped: 1 },
      ],
    },
  });
}

describe('GET /backfills/{id}', () => {
  beforeEach(() => {
    sfn.reset();
    dynamo.reset();
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION,
      status: 'RUNNING',
      input: JSON.stringify(INPUT),
      startDate: new Date('2026-11-23T10:00:00Z'),
    });
    sfn.on(ListMapRunsCommand).resolves({
      mapRuns: [{ executionArn: EXECUTION, mapRunArn: MAP_RUN, stateMachineArn: 'arn:m', startDate: new Date() }],
    });
    sfn.on(DescribeMapRunCommand).resolves({ itemCounts: { total: 12 } as never });
    counted();
  });

  it('answers the execution, what its map listed and the summed counters, with what is still in flight', async () => {
    const response = await get(RUN);
    expect(response.statusCode).toBe(200);
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION });
    expect(sfn).toHaveReceivedCommandWith(DescribeMapRunCommand, { mapRunArn: MAP_RUN });
    expect(response.json).toEqual({
      id: RUN,
      status: 'RUNNING',
      ...INPUT,
      startedAt: '2026-11-23T10:00:00.000Z',
      listed: 12,
      queued: 10,
      processed: 7,
      rejected: 1,
      skipped: 1,
      placeholders: 1,
      missing: 0,
      failed: 0,
      inFlight: 0,
      done: false,
    });
  });

  it('says a run regroups faces, and reads a run started without the field as not regrouping', async () => {
    const regroup = { bucket: 'images', prefix: 'uploads/', owner: null, reprocess: true, regroupFaces: true };
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'RUNNING', input: JSON.stringify(regroup), startDate: new Date() });
    expect((await get(RUN)).json).toMatchObject(regroup);
    const { regroupFaces: _, ...before } = regroup;
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'RUNNING', input: JSON.stringify(before), startDate: new Date() });
    expect((await get(RUN)).json).toMatchObject({ reprocess: true, regroupFaces: false });
  });

  it('says a run re-owns, and reads a run started before the field as not re-owning', async () => {
    const reown = { bucket: 'old-photos', prefix: 'team/', owner: null, reprocess: false, regroupFaces: false };
    for (const [input, expected] of [
      [{ ...reown, reown: true }, true],
      [reown, false],
    ] as const) {
      sfn
        .on(DescribeExecutionCommand)
        .resolves({ status: 'RUNNING', input: JSON.stringify(input), startDate: new Date() });
      expect((await get(RUN)).json).toMatchObject({ reown: expected });
    }
  });

  it('is done once the execution SUCCEEDED and nothing is in flight, not before', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'SUCCEEDED',
      input: JSON.stringify(INPUT),
      startDate: new Date('2026-11-23T10:00:00Z'),
      stopDate: new Date('2026-11-23T10:01:00Z'),
    });
    expect((await get(RUN)).json).toMatchObject({ done: true, stoppedAt: '2026-11-23T10:01:00.000Z' });
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'images-table': [{ imageId: `backfill#${RUN}`, queued: 3 }] } });
    expect((await get(RUN)).json).toMatchObject({ inFlight: 3, done: false });
  });

  it('reads the counters consistently, from run items only', async () => {
    await get(RUN);
    const keys = dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['images-table'];
    expect(keys?.ConsistentRead).toBe(true);
    expect(keys?.Keys?.every((key) => String(key.imageId).startsWith(`backfill#${RUN}`))).toBe(true);
  });

  it('counts nothing listed before the map run starts, and says why a failed run failed', async () => {
    sfn.on(ListMapRunsCommand).resolves({ mapRuns: [] });
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      input: JSON.stringify(INPUT),
      startDate: new Date(),
      stopDate: new Date(),
      error: 'States.ItemReaderFailed',
      cause: 'Access Denied',
    });
    expect((await get(RUN)).json).toMatchObject({
      listed: 0,
      error: 'States.ItemReaderFailed',
      cause: 'Access Denied',
    });
    expect(sfn).not.toHaveReceivedCommand(DescribeMapRunCommand);
  });

  it('answers 404 for a run the state machine does not have', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
    expect(await get(RUN)).toMatchObject({ statusCode: 404, json: { message: `backfill ${RUN} not found` } });
  });

  it('answers 400 for an id that cannot be an execution name, before asking Step Functions', async () => {
    for (const id of ['not a run', `${RUN}:x`, 'x'.repeat(81), '../images'])
      expect((await get(id)).statusCode).toBe(400);
    expect(sfn).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  it('answers 403 to anyone but an admin', async () => {
    expect((await get(RUN, TEST_USER)).statusCode).toBe(403);
    expect(sfn).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });
});
