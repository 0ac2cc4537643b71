import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import type { Snapshot } from '../../../../lambdas/cli/backfill/follow';
import { BACKFILL_EXIT } from '../../../../lambdas/cli/backfill/help';
import { plainProgress, terminalProgress } from '../../../../lambdas/cli/backfill/progress';
import { main } from '../../../../lambdas/cli/main';

const sfnMock = mockClient(SFNClient);
const s3Mock = mockClient(S3Client);
const tableMock = mockClient(DynamoDBDocumentClient);

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:image-intel-local-backfill';

/** A runner's `GET /_local/outputs`, on a port of its own. */
let api: string;
let server: Server;
beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        BackfillStateMachineArn: MACHINE,
        // As a deployment with users has it: an entry naming no owner, so each run names one.
        BackfillSources: '["old-photos"]',
        BucketName: 'image-intel-local-images',
        TableName: 'image-intel-local-images',
        QueueUrl: 'http://127.0.0.1:1/123456789012/ingest',
        DlqUrl: 'http://127.0.0.1:1/123456789012/ingest-dlq',
        Endpoint: 'http://127.0.0.1:1',
        StepFunctionsEndpoint: 'http://127.0.0.1:2',
        Region: 'us-east-1',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Runs main() in this process, its stdout and stderr caught. */
async function cli(...argv: string[]) {
  const written = { stdout: '', stderr: '' };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    jest.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      written[stream] += String(chunk);
      return true;
    }),
  );
  try {
    return { code: await main(argv), ...written };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

beforeEach(() => {
  sfnMock.reset();
  s3Mock.reset();
  tableMock.reset();
  s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 1 });
  sfnMock.on(StartExecutionCommand).callsFake(({ name }) => ({ executionArn: `arn:execution:${name}` }));
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
  sfnMock.on(ListMapRunsCommand).resolves({ mapRuns: [{ mapRunArn: 'arn:mapRun' } as never] });
  sfnMock.on(DescribeMapRunCommand).resolves({ itemCounts: { total: 3, failed: 0 } as never });
  tableMock.on(BatchGetCommand).resolves({
    Responses: { 'image-intel-local-images': [{ queued: 3 }, { processed: 2, rejected: 1 }] },
  });
});

describe('image-intel backfill: the command line', () => {
  it.each([
    [['--bucket', 'b'], 'error: give --stack NAME (a deployed stack) or --api URL (the local runner)'],
    [
      ['--stack', 'ImageIntel', '--api', 'http://x', '--bucket', 'b'],
      "option '--stack <name>' cannot be used with option '--api <url>'",
    ],
    [
      ['--api', 'http://x', '--bucket', 'b', '--owner', 'no/owner'],
      "option '--owner <id>' argument 'no/owner' is invalid",
    ],
  ])('is a usage error, exit 2, starting nothing (%j)', async (args, message) => {
    const { code, stdout, stderr } = await cli('backfill', ...args);
    expect([code, stdout]).toEqual([BACKFILL_EXIT.usage, '']);
    expect(stderr).toContain(message);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('wants --bucket', async () => {
    const { code, stderr } = await cli('backfill', '--api', api);
    expect([code, stderr]).toEqual([BACKFILL_EXIT.usage, expect.stringContaining("option '--bucket <name>'")]);
  });

  it('exits 0 once the run on the runner has finished, waiting by default', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
    const { code, stdout } = await cli('backfill', '--api', api, '--bucket', 'old-photos', '--owner', 'carol');
    expect(stdout).toMatch(
      /^image-intel backfill: the local runner at http:\/\/127\.0\.0\.1:\d+\nrun \w{26} started: /,
    );
    expect(stdout).toMatch(/\nbackfill finished in \d+\.\d s: 3 listed, 3 queued, 2 processed, 1 rejected, /);
    expect(code).toBe(BACKFILL_EXIT.ok);
  });

  it('exits 1 when the execution failed', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    const { code, stderr } = await cli('backfill', '--api', api, '--bucket', 'old-photos', '--owner', 'carol');
    expect([code, stderr]).toEqual([BACKFILL_EXIT.someRejectedOrFailed, expect.stringContaining('is ABORTED')]);
  });

  it('exits 3 when the runner cannot be reached', async () => {
    const { code, stderr } = await cli('backfill', '--api', 'http://127.0.0.1:1', '--bucket', 'old-photos');
    expect([code, stderr]).toEqual([
      BACKFILL_EXIT.noTarget,
      expect.stringContaining('cannot reach http://127.0.0.1:1'),
    ]);
  });

  it('lists the exit codes in its help', async () => {
    const { code, stdout } = await cli('backfill', '--help');
    expect(code).toBe(BACKFILL_EXIT.ok);
    expect(stdout).toMatch(/^ {2}4 {4}--timeout passed, or the run could no longer be read: the run goes$/m);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      '--timeout <s> seconds to wait for the run to finish (it goes on after) (default: 3600)',
    );
  });
});

describe('image-intel people recluster', () => {
  it("starts a backfill of the deployment's own uploads/ that regroups faces, and follows it", async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
    const { code, stdout } = await cli('people', 'recluster', '--api', api);
    const { name, input } = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input ?? {};
    expect(JSON.parse(input ?? '')).toEqual({
      bucket: 'image-intel-local-images',
      prefix: 'uploads/',
      owner: null,
      reprocess: true,
      regroupFaces: true,
      reown: false,
    });
    expect(stdout).toContain(
      `run ${name} started: image-intel-local-images/uploads/ (owner none, re-analysing every image and grouping its faces afresh)`,
    );
    expect(stdout).toMatch(/\nbackfill finished in \d+\.\d s: 3 listed, 3 queued, 2 processed, 1 rejected, /);
    expect(code).toBe(BACKFILL_EXIT.ok);
  });

  it('is image-intel backfill --regroup-faces of the own bucket', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
    const args = ['--api', api, '--bucket', 'image-intel-local-images', '--regroup-faces', '--no-wait'];
    expect((await cli('backfill', ...args)).code).toBe(BACKFILL_EXIT.ok);
    const { input } = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input ?? {};
    expect(JSON.parse(input ?? '')).toMatchObject({ prefix: 'uploads/', reprocess: true, regroupFaces: true });
  });

  it('is image-intel backfill --reown to give images recorded under another owner the one asked for', async () => {
    const args = ['--api', api, '--bucket', 'old-photos', '--owner', 'carol', '--reown', '--no-wait'];
    const { code, stdout } = await cli('backfill', ...args);
    expect(code).toBe(BACKFILL_EXIT.ok);
    const { input } = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input ?? {};
    expect(JSON.parse(input ?? '')).toMatchObject({ bucket: 'old-photos', owner: 'carol', reown: true });
    expect(stdout).toMatch(/started: old-photos\/ \(owner carol, re-owning\)/);
  });

  it('wants a target, exit 2, starting nothing', async () => {
    const { code, stderr } = await cli('people', 'recluster');
    expect([code, stderr]).toEqual([BACKFILL_EXIT.usage, expect.stringContaining('give --stack NAME')]);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('says in its help what becomes of names and merges, and who may run it', async () => {
    const { code, stdout } = await cli('people', 'recluster', '--help');
    expect(code).toBe(BACKFILL_EXIT.ok);
    const help = stdout.replace(/\s+/g, ' ');
    expect(help).toContain('a person all of whose faces go to others stays as an empty, unlisted record with its name');
    expect(help).toContain('POST /backfills {"bucket","regroupFaces":true} is admins only');
  });
});

describe('the progress line', () => {
  const counts = { queued: 20, processed: 9, rejected: 1, skipped: 0, placeholders: 0, missing: 0, failed: 0 };
  const at = (elapsedMs: number, change: Partial<Snapshot> = {}): Snapshot => ({
    status: 'RUNNING',
    listed: 20,
    notQueued: 0,
    counts,
    elapsedMs,
    ...change,
  });

  it('is one line rewritten in place on a terminal: a bar of the objects done, the counts that are not 0', () => {
    let written = '';
    const stream = { columns: 200, write: (text: string) => (written += text) } as unknown as NodeJS.WriteStream;
    const progress = terminalProgress(stream);
    progress.update(at(1000));
    progress.update(at(2000, { counts: { ...counts, processed: 19 } }));
    progress.close();
    expect(written).toBe(
      '\r\x1b[2K[############------------] 10/20  RUNNING 1.0 s  20 queued, 9 processed, 1 rejected' +
        '\r\x1b[2K[########################] 20/20  RUNNING 2.0 s  20 queued, 19 processed, 1 rejected\n',
    );
  });

  it('is a plain line elsewhere, when something changed or 10 s went by', () => {
    const lines: string[] = [];
    const progress = plainProgress((line) => lines.push(line));
    for (const ms of [1000, 2000, 9000, 11_000]) progress.update(at(ms));
    progress.update(at(12_000, { status: 'SUCCEEDED' }));
    expect(lines).toEqual([
      '  1.0 s  RUNNING: 20 listed, 20 queued, 9 processed, 1 rejected, 0 skipped, 0 placeholders, 0 missing, 0 failed',
      ' 11.0 s  RUNNING: 20 listed, 20 queued, 9 processed, 1 rejected, 0 skipped, 0 placeholders, 0 missing, 0 failed',
      ' 12.0 s  SUCCEEDED: 20 listed, 20 queued, 9 processed, 1 rejected, 0 skipped, 0 placeholders, 0 missing, 0 failed',
    ]);
  });
});
