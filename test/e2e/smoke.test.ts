import { execFile } from 'node:child_process';
import path from 'node:path';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { EXIT } from '../../lambdas/cli/record';
import { STEP_NAMES } from '../../lambdas/cli/smoke/steps';
import type { RunnerReady } from '../support/runner-process';
import { fileUser, profileRunner } from '../support/runner-profiles';
import { smokeLeftovers } from '../support/smoke-leftovers';
import { loadTarget } from './target';

/**
 * `image-intel smoke` as a user runs it right after a deploy, the installed command against the local runner in
 * each of its auth modes, and with `--stack` against a CloudFormation stack in the emulator whose outputs name
 * a runner's resources (what DescribeStacks answers for a deployed stack). Each run must pass every step and
 * leave no rule, queue or image behind. On the shared runners of the three modes (`open`, `apikey`, `jwt`), which
 * other files load too: each run waits as long as the suite waits for an image.
 */
const TIMEOUT = String(loadTarget().timeoutSeconds);
jest.setTimeout(4 * loadTarget().timeoutSeconds * 1000);

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

let open: { ready: RunnerReady };
let keyed: { ready: RunnerReady };
/** The jwt runner's API, and a token of a user of this file's own. */
let jwt: { api: string; token: string };

beforeAll(async () => {
  open = await profileRunner('open');
  keyed = await profileRunner('apikey');
  const shared = await profileRunner('jwt');
  jwt = { api: shared.ready.apiUrl, token: await shared.token({ user: fileUser('smoke') }) };
});

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

/**
 * Nothing this smoke run made is left on the emulator (smoke-leftovers.ts), and its probe image is gone: not served,
 * not listed (the caller's other images, on a shared runner's one owner, are other files').
 */
async function expectNothingLeft(run: Run, runner: { ready: RunnerReady }, api: ImageApiClient): Promise<void> {
  const left = await smokeLeftovers(runner.ready, run.stdout);
  // The bus is shared: another file's smoke run may be under way on it, its rule named for its own subscriber.
  const rules = left.rules.filter((rule) => rule === left.subscriber);
  expect({ ...left, rules }).toEqual({
    subscriber: expect.stringMatching(/^image-intel-smoke-/),
    rules: [],
    queues: [],
  });
  const probe = /^upload +PASS .* image (\S+) \(/m.exec(run.stdout)?.[1] as string;
  expect(probe).toEqual(expect.any(String));
  expect(await api.get(probe)).toBeUndefined();
  expect((await api.list({ limit: 100 })).items.map((item) => item.imageId)).not.toContain(probe);
}

describe('image-intel smoke against the local runner', () => {
  it('passes every step with --auth none, and leaves nothing behind', async () => {
    const { apiUrl } = open.ready;
    const run = await imageIntel(['smoke', '--api', apiUrl, '--timeout', TIMEOUT]);
    expectPassed(run, `image-intel smoke: the local runner at ${apiUrl}, API ${apiUrl}`);
    await expectNothingLeft(run, open, new ImageApiClient(apiUrl));
  });

  it('passes every step with --auth apikey and the key', async () => {
    const { apiUrl, apiKey } = keyed.ready;
    const run = await imageIntel(['smoke', '--api', apiUrl, '--api-key', apiKey as string, '--timeout', TIMEOUT]);
    expectPassed(run, `image-intel smoke: the local runner at ${apiUrl}, API ${apiUrl}`);
    await expectNothingLeft(run, keyed, new ImageApiClient(apiUrl, { apiKey }));
  });

  it("passes every step with --auth jwt and a user's token, given in IMAGE_INTEL_TOKEN", async () => {
    const run = await imageIntel(['smoke', '--api', jwt.api, '--timeout', TIMEOUT], { IMAGE_INTEL_TOKEN: jwt.token });
    expectPassed(run, `image-intel smoke: the local runner at ${jwt.api}, API ${jwt.api}`);
    // The user is this file's alone: it has no image at all.
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
      const run = await imageIntel(['smoke', '--stack', stackName, '--region', 'us-east-1', '--timeout', TIMEOUT], {
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
