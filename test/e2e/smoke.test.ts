import { execFile } from 'node:child_process';
import path from 'node:path';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { EXIT } from '../../lambdas/cli/record';
import { STEP_NAMES } from '../../lambdas/cli/smoke-steps';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { smokeLeftovers } from '../support/smoke-leftovers';
import { loadTarget } from './target';

/**
 * `image-intel smoke` as a user runs it right after a deploy, the installed command against the local runner in
 * each of its auth modes, and with `--stack` against a CloudFormation stack in the emulator whose outputs name
 * a runner's resources (what DescribeStacks answers for a deployed stack). Each run must pass every step and
 * leave no rule, queue or image behind.
 */
jest.setTimeout(180_000);

const BIN = path.join(__dirname, '../../bin/image-intel.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The installed command, as a user runs it (built by `npm ci`). */
function imageIntel(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const runners: RunnerProcess[] = [];
let open: RunnerProcess;
let keyed: RunnerProcess;
/** A runner of ours with auth jwt. */
let jwt: { api: string; token: string };

beforeAll(async () => {
  const target = loadTarget();
  // Runners of its own for auth none and apikey (the modes under test, which no shared runner has), beside the
  // suite's runner, on its emulator, when the suite has one (each runner has its own prefix).
  const shared = target.tokenUrl ? target.endpoint : undefined;
  open = await startRunner({ endpoint: shared });
  runners.push(open);
  keyed = await startRunner({ endpoint: open.ready.endpoint, auth: 'apikey' });
  runners.push(keyed);
  // A jwt runner of its own too: the suite's shared runner takes other files' bursts (200 uploads at once), which a
  // smoke waiting 60 s for its one image must not queue behind.
  const own = await startRunner({ endpoint: open.ready.endpoint, auth: 'jwt' });
  runners.push(own);
  jwt = { api: own.ready.apiUrl, token: await own.token({ user: 'smoke' }) };
});
afterAll(() => Promise.all(runners.map((runner) => runner.stop())));

function aws(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

/** Every step passed, in order, each on its line; then the cleanup; then the verdict. */
function expectPassed(run: Run, heading: string): void {
  expect([run.code, run.stderr]).toEqual([EXIT.ok, '']);
  const lines = run.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe(heading);
  expect(lines.slice(1, -1).map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual([
    ...STEP_NAMES.map((name) => `${name} PASS`),
    'cleanup PASS',
  ]);
  expect(lines.at(-1)).toMatch(/^smoke passed: every step in \d+\.\d s$/);
  expect(run.stdout).toMatch(/^processed {2}PASS +\d+\.\d s {2}PROCESSED after [\d.]+ s \(320x240 png\)$/m);
  expect(run.stdout).toMatch(/^rendition {2}PASS +\d+\.\d s {2}card: 200 image\/webp, \d+ bytes$/m);
}

/** Nothing this smoke run made is left on the emulator (smoke-leftovers.ts), and the caller has no image left. */
async function expectNothingLeft(run: Run, runner: RunnerProcess, api: ImageApiClient): Promise<void> {
  const left = await smokeLeftovers(runner.ready, run.stdout);
  expect(left).toEqual({ subscriber: expect.stringMatching(/^image-intel-smoke-/), rules: [], queues: [] });
  expect((await api.list()).items).toEqual([]);
}

describe('image-intel smoke against the local runner', () => {
  it('passes every step with --auth none, and leaves nothing behind', async () => {
    const { apiUrl } = open.ready;
    const run = await imageIntel(['smoke', '--api', apiUrl, '--timeout', '60']);
    expectPassed(run, `image-intel smoke: the local runner at ${apiUrl}, API ${apiUrl}`);
    await expectNothingLeft(run, open, new ImageApiClient(apiUrl));
  });

  it('passes every step with --auth apikey and the key', async () => {
    const { apiUrl, apiKey } = keyed.ready;
    const run = await imageIntel(['smoke', '--api', apiUrl, '--api-key', apiKey as string, '--timeout', '60']);
    expectPassed(run, `image-intel smoke: the local runner at ${apiUrl}, API ${apiUrl}`);
    await expectNothingLeft(run, keyed, new ImageApiClient(apiUrl, { apiKey }));
  });

  it("passes every step with --auth jwt and a user's token, given in IMAGE_INTEL_TOKEN", async () => {
    const run = await imageIntel(['smoke', '--api', jwt.api, '--timeout', '60'], { IMAGE_INTEL_TOKEN: jwt.token });
    expectPassed(run, `image-intel smoke: the local runner at ${jwt.api}, API ${jwt.api}`);
    expect((await new ImageApiClient(jwt.api, { bearerToken: jwt.token }).list()).items).toEqual([]);
  });
});

describe('image-intel smoke --stack', () => {
  it("reads the stack's outputs with DescribeStacks and passes every step", async () => {
    const { ready } = open;
    const cloudFormation = new CloudFormationClient(aws(ready.endpoint));
    const stackName = `SmokeE2e${Date.now().toString(36)}`;
    // The outputs smoke reads, as lib/image-pipeline-stack.ts names them, for the runner's resources.
    const outputs = {
      ApiUrl: `${ready.apiUrl}/`,
      EventBusName: ready.eventBus,
      QueueUrl: ready.queueUrl,
      DlqUrl: ready.dlqUrl,
      BucketName: ready.bucket,
    };
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify({
          Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
          Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
        }),
      }),
    );
    try {
      const run = await imageIntel(['smoke', '--stack', stackName, '--region', 'us-east-1', '--timeout', '60'], {
        AWS_ENDPOINT_URL: ready.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      });
      expectPassed(run, `image-intel smoke: stack ${stackName} in us-east-1, API ${outputs.ApiUrl}`);
      await expectNothingLeft(run, open, new ImageApiClient(ready.apiUrl));
    } finally {
      await cloudFormation.send(new DeleteStackCommand({ StackName: stackName }));
    }
  });

  it('says the stack is not there, on one line, and exits 3 having run no step', async () => {
    const run = await imageIntel(['smoke', '--stack', 'NoSuchStack', '--region', 'us-east-1'], {
      AWS_ENDPOINT_URL: open.ready.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect([run.code, run.stdout]).toEqual([EXIT.noTarget, '']);
    expect(run.stderr).toBe(
      'image-intel: stack NoSuchStack not found in us-east-1: check --stack (the stackName you deployed, default ' +
        'ImageIntel) and --region\n',
    );
  });
});
