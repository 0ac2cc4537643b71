import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalAuthInfo, LocalAuthMode } from '../../lambdas/local/local-auth';
import { RECORDED_VISION_ENV } from '../../lambdas/local/recorded-vision';
import type { PipelineResources } from '../../lambdas/local/resources';
import type { RunningPipeline } from '../../lambdas/local/runner';
import type { TokenRequest } from '../../lambdas/local/token-request';
import type { MeaningWiring } from '../../lambdas/search/meaning/contract';
import { CALIBRATION_ENV } from '../../lambdas/vision/calibration';
import { VISION_RECORDINGS } from '../fixtures';
import { TEST_ENDPOINT_ENV } from './shared-moto';

const ROOT = path.join(__dirname, '../..');

/** What the runner writes to its --ready-file: where it serves, and the resources it created. */
export type RunnerReady = PipelineResources & {
  /** The results table, the search index and the ingest queue by the names they had before they were declared. */
  table: string;
  searchTable: string;
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  /** Search by meaning's vector index and model, with `--meaning`. */
  meaning?: MeaningWiring;
  apiUrl: string;
  /** The web app on the API's origin (`<apiUrl>/app/`). */
  webUrl: string;
  /** With auth apikey, the key (also in `auth`). */
  apiKey?: string;
  /** The API's auth: none (owner `local`), apikey (its key, of the client `local`) or jwt (where to get tokens). */
  auth: LocalAuthInfo;
  endpoint: string;
  inference: string;
  /** The secret rendition URLs are signed with. */
  signingSecretArn: string;
  /** With `--host` serving the network, where presigned S3 URLs point (the runner's S3 gateway); null on loopback. */
  s3Gateway: string | null;
  /** With inference offline, the vision function the processor invokes. */
  visionFunction?: string;
  /** With auth apikey, the SSM parameter of the API clients' directory ('' otherwise). */
  apiClientsParameter: string;
  /** The backfill state machine (the output BackfillStateMachineArn). */
  backfillStateMachineArn: string;
  /** The runner's Step Functions API, and its Lambda API with inference offline. */
  services: RunningPipeline['services'];
  /** The deployment settings the runner runs with (cdk.json, -c, its auth). */
  settings: RunningPipeline['settings'];
  /** How the runner feeds the processor (from the settings). */
  processing: RunningPipeline['processing'];
};

export interface RunnerProcess {
  ready: RunnerReady;
  child: ChildProcess;
  /** With auth jwt: a token from the runner (`POST /_local/token`), for `Authorization: Bearer`. */
  token(request: TokenRequest): Promise<string>;
  /** The runner's stderr so far (its log), for failure messages. */
  log(): string;
  /** SIGTERM and wait (the runner stops moto if it started it). */
  stop(): Promise<void>;
  /** SIGKILL, as a crashed Lambda: nothing is cleaned up, messages in flight stay invisible until they time out. */
  kill(): Promise<void>;
}

export interface RunnerProcessOptions {
  /** Resource name prefix; unique by default. Reuse one to restart a runner on the same resources. */
  prefix?: string;
  /**
   * An endpoint to use (AWS_ENDPOINT_URL). Default: the test run's moto (shared-moto.ts) when there is one, else the
   * runner starts its own.
   */
  endpoint?: string;
  /** Start a moto of the runner's own even inside a test run (a test that stops or kills it must say why). */
  ownEmulator?: boolean;
  /** `--auth`: none (the default), apikey (a random key, unless `args` has `--api-key <key>`) or jwt. */
  auth?: LocalAuthMode;
  /** Extra command-line flags for `npm start --`. */
  args?: string[];
  /**
   * The runner's data folder (`--data-dir`): a test of what survives a restart gives a temporary one. Default
   * `--in-memory`: no test, bench or docs example ever keeps its library in the user's `.local/library`.
   */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** A file that gets the runner's whole log (stderr), where `log()` keeps only its last 20,000 characters. */
  logFile?: string;
  /** Run the TypeScript sources (tsx) even when dist/ is built: a bench of code not yet built. */
  fromSource?: boolean;
  /** Another checkout's runner, from its sources (a bench's baseline commit, bench/support/baseline.ts). */
  root?: string;
  /**
   * Run the offline models on every image. Default, in a jest run: their recorded answers for the fixtures
   * (recorded-vision.ts), the models only for an image the recording lacks, so a suite whose subject is not the
   * models pays neither their load nor their seconds per image. A bench (no jest) always runs the models.
   */
  realModels?: boolean;
}

/**
 * Start the local runner as a user would (`npm start`), compiled when dist/ is built (unless `fromSource`), on a free port, and wait
 * until it has written its ready file.
 */
export async function startRunner(options: RunnerProcessOptions = {}): Promise<RunnerProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-intel-runner-'));
  const readyFile = path.join(dir, 'ready.json');
  const { command, args, env } = runnerCommand(options, readyFile);
  const child = spawn(command, args, {
    cwd: options.root ?? ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
    if (options.logFile) appendFileSync(options.logFile, chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the local runner exited (${child.exitCode}):\n${stderr}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the local runner was not ready in time:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const signal = async (name: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode === null && child.signalCode === null) {
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill(name);
      await exited;
      clearTimeout(force);
    }
    // Only the ready file lives here (a log file, if any, is the caller's): nothing left in /tmp run after run.
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as RunnerReady;
  return {
    ready,
    child,
    token: (request) => tokenFrom(ready, request),
    log: () => stderr,
    stop: () => signal('SIGTERM', 10_000),
    kill: () => signal('SIGKILL', 0),
  };
}

/** How `npm start` is run for `options`: the compiled runner unless `fromSource`, on a free port, its flags. */
export function runnerCommand(
  options: RunnerProcessOptions,
  readyFile: string,
): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const root = options.root ?? ROOT;
  const compiled = path.join(root, 'dist/lambdas/local/main.js');
  const [command, script] =
    existsSync(compiled) && !options.fromSource && !options.root
      ? [process.execPath, [compiled]]
      : [path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'lambdas/local/main.ts')]];
  const prefix = options.prefix ?? `run-${randomBytes(4).toString('hex')}`;
  const { PORT: _port, AWS_ENDPOINT_URL: _endpoint, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...options.env,
  };
  const recording = replaysVision(options) && recordingFor(env);
  if (recording) env[RECORDED_VISION_ENV] = recording;
  const endpoint = options.endpoint ?? (options.ownEmulator ? undefined : process.env[TEST_ENDPOINT_ENV]);
  if (endpoint) env.AWS_ENDPOINT_URL = endpoint;
  const flags = [
    '--port',
    '0',
    '--inference',
    'none',
    '--prefix',
    prefix,
    '--ready-file',
    readyFile,
    '--retry-delay',
    '1',
    // Every suite at once loads the emulator far past what DynamoDB shows a function: a list of 16 shard queries
    // once took over API Gateway's 29 s on 2 busy cores. What the tests check is the answer, not that bound.
    '--api-timeout',
    '120',
    ...(options.auth ? ['--auth', options.auth] : []),
    ...libraryFlags(options, root),
    ...(options.args ?? []),
  ];
  countStart(flags);
  return { command, args: [...script, ...flags], env };
}

/** `--data-dir <dir>`, or `--in-memory` (unless another checkout's runner is from before data folders). */
function libraryFlags(options: RunnerProcessOptions, root: string): string[] {
  if (options.dataDir) return ['--data-dir', options.dataDir];
  const main = path.join(root, 'lambdas/local/main.ts');
  const knows = !options.root || (existsSync(main) && readFileSync(main, 'utf8').includes("'--in-memory'"));
  return knows ? ['--in-memory'] : [];
}

/** The recording made at the runner's calibration (`IMAGE_INTEL_CALIBRATION`), if there is one. */
const recordingFor = (env: NodeJS.ProcessEnv) =>
  VISION_RECORDINGS.find(({ calibration }) => calibration === (env[CALIBRATION_ENV] || undefined))?.file;

/** In a jest run (a test file, or a global setup holding the run's directory), unless the suite asks for the models. */
const replaysVision = (options: RunnerProcessOptions) =>
  (process.env.JEST_WORKER_ID !== undefined || process.env[RUN_DIR_ENV] !== undefined) &&
  !options.realModels &&
  !options.root;

/**
 * `-c webhookLoopbackPorts=1-65535`: webhooks to loopback on any port, for a runner whose tests receive on free ports
 * (test/support/webhook-receiver.ts) or name a dead one (9). The runner still refuses its own, the emulator's among them.
 */
export const RECEIVERS_ON_ANY_PORT = ['-c', 'webhookLoopbackPorts=1-65535'];

/** With auth jwt: a token from the runner (`POST /_local/token`). */
export async function tokenFrom(ready: RunnerReady, request: TokenRequest): Promise<string> {
  const { auth } = ready;
  if (auth.mode !== 'jwt') throw new Error(`the runner's auth is ${auth.mode}, not jwt: no tokens`);
  const post = () =>
    fetch(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  // A shared runner's first request from a file may go on a kept-alive socket an earlier file of the same worker
  // left, which the runner closed as it was reused ("other side closed"): once more, on a new one.
  const response = await post().catch(post);
  const body = (await response.json()) as { token?: string; message?: string };
  if (!response.ok || !body.token) throw new Error(`no token: ${response.status} ${body.message}`);
  return body.token;
}

/** Where a jest run keeps its shared runners (runner-profiles.ts), and a line per runner any test started. */
export const RUN_DIR_ENV = 'IMAGE_INTEL_TEST_RUN_DIR';
export const STARTS_FILE = 'runner-starts.log';

/** One line per runner started in this jest run, for the teardown's count: runner starts are what a run costs. */
function countStart(flags: string[]): void {
  const runDir = process.env[RUN_DIR_ENV];
  if (runDir && existsSync(runDir)) {
    // No `expect` in a global setup (jest's parent process): only test files have it.
    const file = (globalThis as { expect?: jest.Expect }).expect?.getState().testPath ?? 'a global setup';
    appendFileSync(path.join(runDir, STARTS_FILE), `${path.relative(ROOT, file)}: ${flags.join(' ')}\n`);
  }
}
