import { execFile } from 'node:child_process';
import path from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ImageApiClient } from '../../../lambdas/cli/api-client';
import { EXIT } from '../../../lambdas/cli/record';
import { eventually, queueDrained } from '../../e2e/support';
import { smokeLeftovers } from '../../support/smoke-leftovers';
import type { ProxiedCall } from '../support/fault-proxy';
import type { Clients, Lifecycle } from './lifecycle';

/**
 * `image-intel smoke` on a broken deployment: a runner whose processor cannot take its messages (the proxy refuses
 * its receives from the ingest queue, and nothing else: uploads stay PENDING, as with a stopped processor or a
 * disabled trigger) and a caller with a wrong token. Each run must stop at the step that broke, say why in words that
 * point at the cause, skip the rest, exit 1 (3 when it cannot read the runner's outputs), and still remove what it
 * made. Then the processor can receive again, and takes what waited.
 */
const BIN = path.join(__dirname, '../../../bin/image-intel.js');

export function smokeFailuresPhase(life: Lifecycle): void {
  let clients: Clients;

  function smoke(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const command = [BIN, 'smoke', '--api', life.runner.ready.apiUrl, ...args];
      execFile(process.execPath, command, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  /** Whatever this smoke run made on the emulator is gone (smoke-leftovers.ts), and so is the caller's probe image. */
  async function expectNothingLeft(stdout: string): Promise<void> {
    const left = await smokeLeftovers(life.runner.ready, stdout);
    expect(left).toEqual({ subscriber: expect.stringMatching(/^image-intel-smoke-/), rules: [], queues: [] });
    expect((await clients.api.list()).items).toEqual([]);
  }

  /** The processor's receives from the ingest queue (the poller's long polls), and not smoke's from its own queue. */
  const ingestReceive = (call: ProxiedCall) =>
    call.service === 'sqs' &&
    call.operation === 'ReceiveMessage' &&
    (JSON.parse(call.body) as { QueueUrl?: string }).QueueUrl?.split('/').at(-1) ===
      life.runner.ready.queueUrl.split('/').at(-1);

  describe('image-intel smoke on a broken deployment', () => {
    beforeAll(async () => {
      clients = await life.clients('smoke');
    });

    it('fails at processed when nothing processes uploads, saying the upload waits in the ingest queue', async () => {
      const { proxy } = life;
      proxy.faults({ rate: 1, spare: (call) => !ingestReceive(call) });
      // A long poll sent on before the fault (up to 20 s) would still take the probe's message.
      await eventually('no receive from the ingest queue on the wire', 60_000, async () =>
        proxy.onWire(ingestReceive) === 0 ? true : undefined,
      );
      const started = Date.now();
      const { code, stdout, stderr } = await smoke('--token', clients.token, '--timeout', '5');
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
      // It waited the timeout it was given (at least the 5 s above: its last poll may end later on a loaded machine,
      // 10.7 s seen), not the default 120 s, which alone would take longer than this whole run: the bound leaves the
      // rest.
      expect(Date.now() - started).toBeLessThan(120_000);
      // The processor took nothing: every receive from the ingest queue was refused.
      expect(proxy.injected.sqs).toBeGreaterThan(0);
      await expectNothingLeft(stdout);
    });

    it('stops before any step with the 401 and what to check when the token is wrong', async () => {
      // The runner's token with another signature: well formed, not signed by the runner. The runner asks for the
      // API's credentials on its outputs too (issue 55), so the run stops there, having made nothing; on a deployed
      // stack (outputs from CloudFormation) the upload step answers the 401 (test/integration/cli/smoke/smoke.test.ts).
      const { token } = clients;
      const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      const { code, stdout, stderr } = await smoke('--token', forged, '--timeout', '5');
      expect([code, stdout]).toEqual([EXIT.noTarget, '']);
      expect(stderr).toContain(
        'answers 401 to GET /_local/outputs: the runner did not take --token (expired, or from another run?)',
      );
      expect((await new ImageApiClient(life.runner.ready.apiUrl, { bearerToken: token }).list()).items).toEqual([]);
    });

    it('takes what waited once the processor can receive again, dead-lettering nothing', async () => {
      // The probe's message, its image deleted by smoke's cleanup: the processor finds no object, and is done with it.
      await queueDrained(clients.sqs, life.runner.ready.queueUrl, 60_000);
      const { Attributes = {} } = await clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: life.runner.ready.dlqUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      expect(Number(Attributes.ApproximateNumberOfMessages)).toBe(0);
    });
  });
}

/** The line of one step (its name first). */
function lineOf(stdout: string, step: string): string {
  return stdout.split('\n').find((line) => line.startsWith(`${step} `)) ?? `(no ${step} line in:\n${stdout})`;
}
