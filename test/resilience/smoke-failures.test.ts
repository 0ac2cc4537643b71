import { execFile } from 'node:child_process';
import path from 'node:path';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { EXIT } from '../../lambdas/cli/record';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { smokeLeftovers } from '../support/smoke-leftovers';

/**
 * `image-intel smoke` on a broken deployment: a runner with no processor (the shared `no-processor` one, as a user of
 * this file's own: uploads stay PENDING, as with a stopped processor or a disabled trigger) and a caller with a wrong
 * token. Each run must stop at the step that broke,
 * say why in words that point at the cause, skip the rest, exit 1 (3 when it cannot read the runner's outputs), and
 * still remove what it made.
 */
jest.setTimeout(120_000);

const BIN = path.join(__dirname, '../../bin/image-intel.js');

let runner: SharedRunner;
let token: string;

beforeAll(async () => {
  runner = await profileRunner('no-processor');
  token = await runner.token({ user: fileUser('smoke') });
});

function smoke(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'smoke', '--api', runner.ready.apiUrl, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The line of one step (its name first). */
function lineOf(stdout: string, step: string): string {
  return stdout.split('\n').find((line) => line.startsWith(`${step} `)) ?? `(no ${step} line in:\n${stdout})`;
}

/** Whatever this smoke run made on the emulator is gone (smoke-leftovers.ts), and so is the caller's probe image. */
async function expectNothingLeft(stdout: string): Promise<void> {
  const left = await smokeLeftovers(runner.ready, stdout);
  expect(left).toEqual({ subscriber: expect.stringMatching(/^image-intel-smoke-/), rules: [], queues: [] });
  expect((await new ImageApiClient(runner.ready.apiUrl, { bearerToken: token }).list()).items).toEqual([]);
}

describe('image-intel smoke on a broken deployment', () => {
  it('fails at processed when nothing processes uploads, saying the upload waits in the ingest queue', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await smoke('--token', token, '--timeout', '5');
    expect([code, stderr]).toEqual([EXIT.someRejectedOrFailed, '']);
    expect(lineOf(stdout, 'subscribe')).toMatch(/^subscribe {2}PASS/);
    expect(lineOf(stdout, 'upload')).toMatch(/^upload {5}PASS/);
    expect(lineOf(stdout, 'processed')).toMatch(
      /^processed {2}FAIL +(?:[5-9]|\d{2,})\.\d s {2}still PENDING after 5 s: is the processor running\? [1-9]\d* messages? waiting in the ingest queue \S+-ingest, 0 in flight, 0 in its DLQ$/,
    );
    for (const step of ['event', 'search', 'rendition', 'delete']) {
      expect(lineOf(stdout, step)).toMatch(/ skip {10}not run: processed failed$/);
    }
    expect(lineOf(stdout, 'cleanup')).toMatch(/^cleanup {4}PASS .*; probe image \w+ deleted$/);
    expect(stdout).toMatch(/\nsmoke FAILED at processed after \d+\.\d s\n$/);
    // It waited the timeout it was given (at least the 5 s above: its last poll may end later on a loaded machine, 10.7 s
    // seen), not the default 120 s, which alone would take longer than this whole run: the bound leaves the rest.
    expect(Date.now() - started).toBeLessThan(120_000);
    await expectNothingLeft(stdout);
  });

  it('stops before any step with the 401 and what to check when the token is wrong', async () => {
    // The runner's token with another signature: well formed, not signed by the runner. The runner asks for the
    // API's credentials on its outputs too (issue 55), so the run stops there, having made nothing; on a deployed
    // stack (outputs from CloudFormation) the upload step answers the 401 (test/integration/cli/smoke.test.ts).
    const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const { code, stdout, stderr } = await smoke('--token', forged, '--timeout', '5');
    expect([code, stdout]).toEqual([EXIT.noTarget, '']);
    expect(stderr).toContain(
      'answers 401 to GET /_local/outputs: the runner did not take --token (expired, or from another run?)',
    );
    expect((await new ImageApiClient(runner.ready.apiUrl, { bearerToken: token }).list()).items).toEqual([]);
  });
});
