import { randomBytes } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
import { ImageApiClient, postToS3 } from '../api-client';
import { EXIT } from '../record';
import { runSmoke, type SmokePorts } from './steps';
import { readBacklog, SmokeSubscriber } from './subscriber';
import { checkReachable, type SmokeTarget, TargetError, targetFromRunner, targetFromStack } from './target';

export interface SmokeFlags {
  /** A deployed stack's name: its outputs come from CloudFormation. */
  stack?: string;
  region?: string;
  /** The local runner's URL: its outputs come from `GET /_local/outputs`. */
  api?: string;
  apiKey?: string;
  token?: string;
  /** Seconds to wait for processing, and for the event. */
  timeout: number;
}

/** What the command builds its ports from; tests hand in their own. */
export interface SmokeDeps {
  target?: (flags: SmokeFlags) => Promise<SmokeTarget>;
  ports?: (target: SmokeTarget, flags: SmokeFlags, signal: AbortSignal) => SmokePorts;
}

/**
 * `image-intel smoke`: check a deployment end to end, right after `cdk deploy` (or against `npm start`).
 *
 * 1. Read the target's outputs: the stack's (DescribeStacks) or the runner's (`GET /_local/outputs`); an unknown
 *    stack, unreadable outputs or an unreachable API end the run here, with one line on stderr.
 * 2. Run the steps (smoke-steps.ts), printing a line as each ends, and clean up.
 * 3. Say how it went, and exit 0 only if every step passed.
 */
export async function smokeCommand(
  flags: SmokeFlags,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`image-intel: ${line}\n`),
  deps: SmokeDeps = {},
): Promise<number> {
  let target: SmokeTarget;
  try {
    target = await (deps.target ?? resolveTarget)(flags);
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    err(error.message);
    return EXIT.noTarget;
  }
  out(`image-intel smoke: ${target.label}, API ${target.apiUrl}`);
  // A first Ctrl-C stops the step under way and cleans up; a second one (the default handler) stops at once.
  const interrupt = new AbortController();
  const onInterrupt = () => {
    process.stderr.write('image-intel: interrupted: removing what the run made (Ctrl-C again to leave it)\n');
    interrupt.abort();
  };
  process.once('SIGINT', onInterrupt);
  const started = performance.now();
  const ports = { ...(deps.ports ?? livePorts)(target, flags, interrupt.signal), signal: interrupt.signal };
  const { failed } = await runSmoke(ports, out).finally(() => process.off('SIGINT', onInterrupt));
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  out(failed ? `smoke FAILED at ${failed} after ${took}` : `smoke passed: every step in ${took}`);
  return failed ? EXIT.someRejectedOrFailed : EXIT.ok;
}

async function resolveTarget(flags: SmokeFlags): Promise<SmokeTarget> {
  if (flags.api) return targetFromRunner(flags.api, process.env, { apiKey: flags.apiKey, token: flags.token });
  const target = await targetFromStack(flags.stack as string, flags.region);
  await checkReachable(target);
  return target;
}

/** The real thing: the API over HTTP, the bus and the queues with the SDK (the emulator's, for the runner). */
function livePorts(target: SmokeTarget, flags: SmokeFlags, signal: AbortSignal): SmokePorts {
  const sqs = new SQSClient(target.aws);
  const subscriber = new SmokeSubscriber(sqs, new EventBridgeClient(target.aws), target.eventBus, undefined, signal);
  return {
    api: new ImageApiClient(target.apiUrl, { apiKey: flags.apiKey, bearerToken: flags.token }),
    postToBucket: postToS3,
    subscriber,
    backlog: () => readBacklog(sqs, target.queueUrl, target.dlqUrl),
    queueName: target.queueUrl.split('/').pop() ?? target.queueUrl,
    fetch,
    probe: probeImage,
    label: `smoke${randomBytes(5).toString('hex')}`,
    timeoutMs: flags.timeout * 1000,
    authHint: target.authHint,
  };
}

/**
 * A 320x240 PNG of random 10-pixel blocks: new bytes (and a new perceptual hash) every run, so the pipeline never
 * takes it for a duplicate of an earlier probe, and small (a few KB) since the blocks compress.
 */
export async function probeImage(): Promise<Buffer> {
  const [width, height, block] = [320, 240, 10];
  const cells = randomBytes((width / block) * (height / block) * 3);
  return sharp(cells, { raw: { width: width / block, height: height / block, channels: 3 } })
    .resize(width, height, { kernel: 'nearest' })
    .png()
    .toBuffer();
}
