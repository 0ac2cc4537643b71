import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { RunCounts } from '../../../../lambdas/backfill/run-status';
import { type BackfillDeps, type BackfillFlags, backfillCommand } from '../../../../lambdas/cli/backfill/backfill';
import { BACKFILL_EXIT } from '../../../../lambdas/cli/backfill/help';
import { type BackfillTarget, backfillTargetOf } from '../../../../lambdas/cli/backfill/target';
import { TargetError } from '../../../../lambdas/cli/deployment-target';

const sfnMock = mockClient(SFNClient);
const s3Mock = mockClient(S3Client);
const tableMock = mockClient(DynamoDBDocumentClient);

const MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:Backfill';
const MAP_RUN = 'arn:aws:states:eu-west-1:111122223333:mapRun:Backfill/Objects:run';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/111122223333/ingest-dlq';
const TARGET: BackfillTarget = {
  label: 'stack ImageIntel in eu-west-1',
  stateMachineArn: MACHINE,
  scope: { pipelineBucket: 'imageintel-images', sources: [{ bucket: 'old-photos', prefix: '2019/', owner: 'alice' }] },
  tableName: 'Images',
  queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/ingest',
  dlqUrl: DLQ,
  aws: { region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
  followCommand: (arn) => `aws stepfunctions describe-execution --execution-arn ${arn} --region eu-west-1`,
};

/** BatchGetItem's answer for a run: `queued` on the run item, the outcomes on one of its shards. */
function counts({ queued = 0, ...outcomes }: Partial<RunCounts>) {
  return {
    Responses: {
      Images: [
        { imageId: 'backfill#r', queued },
        { imageId: 'backfill#r#3', ...outcomes },
      ],
    },
  };
}

/** A run in a working deployment: each test says how its execution and counts go. */
function aRun(statuses: string[], runCounts: Partial<RunCounts>[], items = { total: 21, failed: 0 }) {
  sfnMock.on(StartExecutionCommand).callsFake(({ name }) => ({
    executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`,
    startDate: new Date(),
  }));
  const execution = sfnMock.on(DescribeExecutionCommand);
  for (const status of statuses) execution.resolvesOnce({ status: status as 'RUNNING' });
  execution.resolves({ status: statuses.at(-1) as 'RUNNING' });
  sfnMock.on(ListMapRunsCommand).resolves({ mapRuns: [{ mapRunArn: MAP_RUN } as never] });
  sfnMock.on(DescribeMapRunCommand).resolves({ itemCounts: items as never });
  const batchGet = tableMock.on(BatchGetCommand);
  for (const each of runCounts) batchGet.resolvesOnce(counts(each));
  batchGet.resolves(counts(runCounts.at(-1) ?? {}));
}

async function command(flags: Partial<BackfillFlags> = {}, deps: BackfillDeps = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await backfillCommand(
    { stack: 'ImageIntel', bucket: 'old-photos', wait: true, timeout: 60, ...flags },
    (line) => out.push(line),
    (line) => err.push(line),
    { target: async () => TARGET, pollMs: 1, tty: undefined, ...deps },
  );
  return { code, out, err };
}

const DONE = { queued: 21, processed: 18, rejected: 1, skipped: 1, placeholders: 1 };

beforeEach(() => {
  sfnMock.reset();
  s3Mock.reset();
  tableMock.reset();
  s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 1 });
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
});

describe('image-intel backfill', () => {
  it('starts an execution named by a new run id, with the plan as its input, and says how to follow it', async () => {
    aRun(['RUNNING'], []);
    const { code, out, err } = await command({ wait: false, owner: 'alice', reprocess: true });
    const { name, input, stateMachineArn } = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input ?? {};
    expect(name).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([stateMachineArn, JSON.parse(input ?? '')]).toEqual([
      MACHINE,
      { bucket: 'old-photos', prefix: '2019/', owner: 'alice', reprocess: true, regroupFaces: false, reown: false },
    ]);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'old-photos',
      Prefix: '2019/',
      MaxKeys: 1,
    });
    expect(out).toEqual([
      'image-intel backfill: stack ImageIntel in eu-west-1',
      `run ${name} started: old-photos/2019/ (owner alice, re-analysing older versions)`,
      `follow it: aws stepfunctions describe-execution --execution-arn ${MACHINE.replace(':stateMachine:', ':execution:')}:${name} --region eu-west-1`,
    ]);
    expect([code, err]).toEqual([BACKFILL_EXIT.ok, []]);
    expect(sfnMock).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  it('prints progress, and exits 0 once the execution SUCCEEDED and every object has its outcome, REJECTED or not', async () => {
    aRun(['RUNNING', 'SUCCEEDED'], [{ queued: 10, processed: 2 }, DONE]);
    const { code, out, err } = await command();
    expect(out.find((line) => line.includes('RUNNING:'))).toMatch(
      /^ +\d+\.\d s {2}RUNNING: 21 listed, 10 queued, 2 processed, 0 rejected, 0 skipped, 0 placeholders, 0 missing, 0 failed$/,
    );
    expect(out.at(-1)).toMatch(
      /^backfill finished in \d+\.\d s: 21 listed, 21 queued, 18 processed, 1 rejected, 1 skipped, 1 placeholders, 0 missing, 0 failed$/,
    );
    expect(tableMock).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { Images: expect.objectContaining({ ConsistentRead: true }) },
    });
    expect(sfnMock).toHaveReceivedCommandWith(DescribeMapRunCommand, { mapRunArn: MAP_RUN });
    expect([code, err]).toEqual([BACKFILL_EXIT.ok, []]);
  });

  it('goes on waiting after the execution SUCCEEDED while the processor still has objects of the run', async () => {
    aRun(['SUCCEEDED'], [{ queued: 21, processed: 5 }, { queued: 21, processed: 15 }, DONE]);
    const { code, out } = await command();
    expect(sfnMock).toHaveReceivedCommandTimes(DescribeExecutionCommand, 3);
    expect(out.filter((line) => line.includes('SUCCEEDED: 21 listed'))).toHaveLength(3);
    expect(code).toBe(BACKFILL_EXIT.ok);
  });

  it("exits 1 with the execution's error and cause when it FAILED", async () => {
    aRun(['RUNNING'], [{}]);
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'Access Denied listing old-photos' });
    const { code, out, err } = await command();
    expect(out.at(-1)).toMatch(/^backfill FAILED after \d+\.\d s: 21 listed, 0 queued, /);
    expect(err).toEqual(['the execution is FAILED: States.ItemReaderFailed: Access Denied listing old-photos']);
    expect(code).toBe(BACKFILL_EXIT.someRejectedOrFailed);
  });

  it('exits 1 when an object failed its last attempt, pointing at the DLQ, or could not be queued', async () => {
    aRun(['SUCCEEDED'], [{ ...DONE, queued: 20, processed: 16, failed: 1 }], { total: 21, failed: 1 });
    const { code, out, err } = await command();
    expect(out.at(-1)).toMatch(/: 21 listed, 20 queued, 1 not queued, 16 processed, .*, 1 failed$/);
    expect(err).toEqual([
      `1 failed their last attempt: their messages are in the DLQ ${DLQ}`,
      "1 could not be queued: see the map run's results under backfills/ in the bucket",
    ]);
    expect(code).toBe(BACKFILL_EXIT.someRejectedOrFailed);
  });

  it('refuses a bucket the deployment may not read, exit 3, starting nothing', async () => {
    const { code, out, err } = await command({ bucket: 'elsewhere' });
    expect(err).toEqual([
      'elsewhere is not a source bucket of this deployment: deploy with -c sourceBuckets=elsewhere[/prefix][=owner] ' +
        'to let the pipeline read it (docs/deploy.md#bringing-existing-photos-in-backfill)',
    ]);
    expect([code, out]).toEqual([BACKFILL_EXIT.noTarget, []]);
    expect(s3Mock).not.toHaveReceivedCommand(ListObjectsV2Command);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('stops at a bucket that does not exist, exit 3, starting nothing', async () => {
    s3Mock
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }));
    const { code, out, err } = await command();
    expect(err).toEqual(['bucket old-photos does not exist: check --bucket (nothing was started)']);
    expect([code, out]).toEqual([BACKFILL_EXIT.noTarget, []]);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it("only notes that the caller's credentials may not list the bucket, and starts: the role may", async () => {
    aRun(['SUCCEEDED'], [DONE]);
    s3Mock
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const { code, err } = await command();
    expect(err).toEqual([
      'note: your credentials may not list it: starting anyway, the state machine lists old-photos/2019/ with its own role',
    ]);
    expect(code).toBe(BACKFILL_EXIT.ok);
  });

  it('exits 3 when Step Functions refuses to start the run', async () => {
    sfnMock.on(StartExecutionCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const { code, err } = await command();
    expect(err).toEqual([
      'cannot start the backfill of old-photos/2019/ on stack ImageIntel in eu-west-1: AccessDenied: not authorized',
    ]);
    expect(code).toBe(BACKFILL_EXIT.noTarget);
  });

  it('exits 3 naming a run over an overlapping prefix that is not done, and starts nothing; --force starts', async () => {
    const other = '01JD5Y4ZQK8V3N2M1B0C9X8W7V';
    const arn = `${MACHINE.replace(':stateMachine:', ':execution:')}:${other}`;
    sfnMock.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: arn, stateMachineArn: MACHINE, name: other, status: 'RUNNING', startDate: new Date() },
      ],
    });
    sfnMock.on(DescribeExecutionCommand, { executionArn: arn }).resolves({
      status: 'RUNNING',
      input: JSON.stringify({ bucket: 'old-photos', prefix: '2019/summer/', owner: null }),
    });
    const { code, out, err } = await command({ wait: false });
    expect([code, out]).toEqual([BACKFILL_EXIT.noTarget, []]);
    expect(err).toEqual([
      `nothing was started: old-photos/2019/ overlaps backfill ${other} over old-photos/2019/summer/, which is ` +
        `running: wait until it is done (aws stepfunctions describe-execution --execution-arn ${arn} --region ` +
        'eu-west-1), or give --force to start this one anyway',
    ]);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
    aRun(['RUNNING'], []);
    expect((await command({ wait: false, force: true })).code).toBe(BACKFILL_EXIT.ok);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('exits 3 when the runs cannot be read for the check, pointing at --force', async () => {
    sfnMock.on(ListExecutionsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const { code, err } = await command({ wait: false });
    expect(err).toEqual([
      'nothing was started: the runs could not be checked for one over the same keys (AccessDenied: not ' +
        'authorized); --force starts it without the check',
    ]);
    expect(code).toBe(BACKFILL_EXIT.noTarget);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('stops waiting at --timeout with exit 4, saying the run goes on and how to follow it', async () => {
    aRun(['RUNNING'], [{ queued: 10, processed: 2 }]);
    let clock = 0;
    const { code, out, err } = await command({ timeout: 5 }, { now: () => (clock += 1000) });
    expect(out.at(-1)).toMatch(/^backfill not finished after \d+\.\d s \(execution RUNNING\): 21 listed, 10 queued/);
    expect(err).toEqual([
      expect.stringMatching(
        /^stopped waiting after --timeout 5 s: backfill \w{26} goes on; follow it: aws stepfunctions describe-execution /,
      ),
    ]);
    expect(code).toBe(BACKFILL_EXIT.stoppedWaiting);
  });

  it('stops waiting on Ctrl-C with exit 130, the run going on', async () => {
    aRun(['SUCCEEDED'], [{ queued: 21, processed: 3 }]);
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 50);
    const { code, out, err } = await command({}, { signal: interrupt.signal });
    expect(out.at(-1)).toMatch(
      /^backfill not finished when interrupted, after .* \(execution SUCCEEDED, 18 still with/,
    );
    expect(err).toEqual([expect.stringMatching(/^stopped waiting \(Ctrl-C\): backfill \w{26} goes on; follow it: /)]);
    expect(code).toBe(BACKFILL_EXIT.interrupted);
  });

  it('gives up with exit 4 when the run cannot be read three times in a row', async () => {
    aRun(['RUNNING'], [{}]);
    sfnMock.on(DescribeExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const { code, err } = await command();
    expect(sfnMock).toHaveReceivedCommandTimes(DescribeExecutionCommand, 3);
    expect(err).toEqual([expect.stringMatching(/^the run could no longer be read \(Throttling: Rate exceeded\): /)]);
    expect(code).toBe(BACKFILL_EXIT.stoppedWaiting);
  });
});

describe("a backfill's target", () => {
  const outputs = {
    BackfillStateMachineArn: MACHINE,
    BackfillSources: '["old-photos/2019/=alice","scans"]',
    BucketName: 'image-intel-local-images',
    TableName: 'image-intel-local-images',
    QueueUrl: 'http://127.0.0.1:4566/123456789012/ingest',
    DlqUrl: 'http://127.0.0.1:4566/123456789012/ingest-dlq',
    Endpoint: 'http://127.0.0.1:4566',
    StepFunctionsEndpoint: 'http://127.0.0.1:4599',
  };
  const runner = { region: 'us-east-1', endpoint: outputs.Endpoint };

  it("reads the sources the deployment may backfill from, and sends Step Functions' calls to the runner's API", async () => {
    const target = backfillTargetOf({ label: 'runner', outputs, aws: runner, runnerApi: 'http://localhost:3000' });
    expect(target.scope).toEqual({
      pipelineBucket: 'image-intel-local-images',
      sources: [
        { bucket: 'old-photos', prefix: '2019/', owner: 'alice' },
        { bucket: 'scans', prefix: '' },
      ],
    });
    expect([target.stepFunctionsEndpoint, target.followCommand]).toEqual([outputs.StepFunctionsEndpoint, undefined]);
    aRun(['RUNNING'], []);
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 1 });
    await command({ wait: false }, { target: async () => ({ ...target, aws: { ...runner, ...TARGET.aws } }) });
    const client = sfnMock.commandCalls(StartExecutionCommand)[0]?.thisValue as SFNClient;
    expect((await client.config.endpoint?.())?.port).toBe(4599);
  });

  it('says so when BackfillSources is not the list of sources it should be', () => {
    expect(() =>
      backfillTargetOf({ label: 'x', outputs: { ...outputs, BackfillSources: '["Bad_Bucket"]' }, aws: runner }),
    ).toThrow(
      new TargetError(
        'the BackfillSources output holds Bad_Bucket: "Bad_Bucket" is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)',
      ),
    );
  });
});
