import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TokenRequest } from '../../lambdas/local/token-request';
import { FIXED_THRESHOLDS } from './calibration';
import {
  RECEIVERS_ON_ANY_PORT,
  RUN_DIR_ENV,
  type RunnerProcessOptions,
  type RunnerReady,
  runnerCommand,
  STARTS_FILE,
  tokenFrom,
} from './runner-process';
import { writeTinyImageTextModel } from './tiny-image-text-model';

/**
 * A few runners shared by a whole jest run, one per profile, for the files that only drive the API: each starts in
 * 5 to 10 s (models), so a run pays that a handful of times instead of once per file. The first file (or global
 * setup) that asks for a profile starts it, detached, on the run's moto; the others, in any worker, wait for its ready
 * file; the global teardown stops them all. On a jwt profile each file keeps to users of its own (`fileUser`) and
 * sees only its own images; on `open` and `apikey` every file is one owner, so a file looks only at what it made. A
 * file that needs a runner of its own (a setting no profile can carry, a runner it stops or crashes, a check of a
 * whole queue or bus) calls startRunner and says why.
 */
export const PROFILE_SOURCE_BUCKET = 'e2e-old-photos';
/** The jwt profile's bucket of nested owned entries, team/ and team/bob/, whose owners are e2e/backfill-owners'. */
export const TEAM_SOURCE = {
  bucket: 'e2e-team-photos',
  alice: 'e2e-backfill-owners-alice',
  bob: 'e2e-backfill-owners-bob',
};
/** The `offline-faces` profile's source bucket, a whole entry of e2e/recluster's alice: its re-cluster's library. */
export const RECLUSTER_SOURCE = { bucket: 'e2e-recluster-photos', owner: 'e2e-recluster-alice' };
/** The open profile's source bucket, a whole entry naming no owner (so the local owner's): e2e/backfill-newcomer's. */
export const OPEN_SOURCE_BUCKET = 'e2e-newcomer-photos';
/** The `offline-fixed` and `open` profiles' presets: the defaults' three with `card` public (docs/renditions.md's
 * renditions-public example shows them, on `open`). */
export const FIXED_PRESETS = {
  card: { w: 400, h: 300, format: 'webp', eager: true, public: true },
  hero: { w: 1600 },
  avatar: { w: 128, h: 128, gravity: 'smart' },
};

const PROFILES = {
  /** The e2e suite's target: the backfill suites' source bucket (each under a prefix of its own), its AWS calls
   * recorded for the teardown's permissions check (test/e2e/global-teardown.ts), webhooks to receivers on any port;
   * search by meaning with the tiny test model (test/support/tiny-image-text-model.ts, for e2e/meaning): it knows
   * only colour words, and its cut-off keeps any other from finding an image by meaning, so other files' `q=` find
   * what they would without it (every image is embedded, its record says so). */
  jwt: (dir: string) => ({
    auth: 'jwt',
    args: [
      ...['-c', `sourceBuckets=${[PROFILE_SOURCE_BUCKET, ...teamEntries()].join(',')}`],
      ...['--record-calls', path.join(dir, CALLS_FILE)],
      ...RECEIVERS_ON_ANY_PORT,
      // Its unrelated words stay beyond 0.3 (its related ones are within 0.1).
      ...['--meaning', path.join(dir, EMBEDDINGS_DIR), '-c', 'meaningMaxDistance=0.3'],
      // For e2e/locked (no other suite unlocks): an unlock token lives 20 s, so its expiry is seen within the test.
      ...['-c', 'unlockTokenTtlSeconds=20'],
    ],
  }),
  /** The offline models (labels, text, faces; their recorded answers, test/support/recorded-vision.ts) and face
   * grouping. */
  'offline-faces': (dir: string) => ({
    auth: 'jwt',
    args: [
      ...['--inference', 'offline', '--face-grouping', '--record-calls', path.join(dir, CALLS_FILE)],
      ...RECEIVERS_ON_ANY_PORT,
      // e2e/recluster's library: a re-cluster of the whole bucket's uploads/ would regroup other files' faces.
      ...['-c', `sourceBuckets=${RECLUSTER_SOURCE.bucket}=${RECLUSTER_SOURCE.owner}`],
      // For e2e/webhooks (no other suite here makes an endpoint): retries in seconds (`0s,1s,1s`: three attempts),
      // a 5 s timeout, events held from an endpoint's first failure, and disabling a delivery's endpoint when it
      // exhausts its attempts 10.8 s or more after the endpoint's first failure. A silent endpoint's last attempt
      // fails at least 12 s after its first one did (5 + 1 + 5 + 1 s: a floor, however slow the machine), so that
      // delivery disables it; a refusing one's about 2 s after, which a loaded runner stretched to 8.4 s under a
      // narrower window of 7.2 s (its neighbours' backfills slowing the queue): 8.8 s to spare now.
      ...['-c', 'webhookRetrySchedule=0s,1s,1s', '-c', 'webhookTimeoutSeconds=5', '-c', 'webhookHoldAfterMinutes=0'],
      ...['-c', 'webhookDisableAfterHours=0.003'],
    ],
  }),
  /** offline-faces at the fixed thresholds of before the calibration (the fixtures' objects and faces shown: the cat
   * at 0.57), for the suites whose subject is what a page or a search does with them, not the models' precision; its
   * presets the defaults' three with `card` public and eager (a stable URL beside the signed ones). */
  'offline-fixed': (dir: string) => ({
    auth: 'jwt',
    env: FIXED_THRESHOLDS,
    args: [
      ...['--inference', 'offline', '--face-grouping', '--record-calls', path.join(dir, CALLS_FILE)],
      ...['-c', `renditionPresets=${JSON.stringify(FIXED_PRESETS)}`],
    ],
  }),
  /** API keys (every file shares the runner's one key, so its one owner: look only at the images a file made). */
  apikey: (dir: string) => ({
    auth: 'apikey',
    args: ['--inference', 'offline', '--record-calls', path.join(dir, CALLS_FILE), ...RECEIVERS_ON_ANY_PORT],
  }),
  /** No auth (every file is the owner `local`: look only at the images a file made), a source bucket, and `card`
   * public (FIXED_PRESETS: the docs check's public preset example, whose commands carry no token). */
  open: (dir: string) => ({
    auth: 'none',
    args: [
      ...['--inference', 'offline', '--record-calls', path.join(dir, CALLS_FILE), ...RECEIVERS_ON_ANY_PORT],
      ...['-c', `sourceBuckets=${OPEN_SOURCE_BUCKET}`, '-c', `renditionPresets=${JSON.stringify(FIXED_PRESETS)}`],
    ],
  }),
} satisfies Record<string, (dir: string) => RunnerProcessOptions>;

export type ProfileName = keyof typeof PROFILES;

/** The jwt profile's tiny embeddings model, written into its directory before it starts. */
const EMBEDDINGS_DIR = 'embeddings';
/** What a profile's runner reads from its directory, written there by the file that starts it. */
const PREPARE: { [name in ProfileName]?: (dir: string) => Promise<unknown> } = {
  jwt: async (dir) => {
    mkdirSync(path.join(dir, EMBEDDINGS_DIR));
    await writeTinyImageTextModel(path.join(dir, EMBEDDINGS_DIR));
  },
};

/** `<bucket>/team/=<alice>,<bucket>/team/bob/=<bob>`: nested entries, the more specific one another owner's. */
function teamEntries(): string[] {
  return [`${TEAM_SOURCE.bucket}/team/=${TEAM_SOURCE.alice}`, `${TEAM_SOURCE.bucket}/team/bob/=${TEAM_SOURCE.bob}`];
}
/** The jwt profile's --record-calls file, in its directory. */
export const CALLS_FILE = 'aws-calls.jsonl';
const READY_TIMEOUT_MS = 180_000;

export interface SharedRunner {
  ready: RunnerReady;
  /** A token for `Authorization: Bearer` (give each user a name of the file's own: `fileUser`). */
  token(request: TokenRequest): Promise<string>;
  /** The runner's log so far (all files'), for failure messages. */
  log(): string;
}

/** The shared runner of `name`, started by whoever asks first in this jest run. */
export async function profileRunner(name: ProfileName): Promise<SharedRunner> {
  const dir = profileDir(name);
  const files = {
    ready: path.join(dir, 'ready.json'),
    failed: path.join(dir, 'failed'),
    log: path.join(dir, 'runner.log'),
  };
  // mkdir is atomic: exactly one caller makes the directory, and starts the runner.
  const starter = makeDir(dir);
  if (starter) {
    await PREPARE[name]?.(dir).catch((error: Error) => {
      writeFileSync(files.failed, `not prepared: ${error.stack}`);
    });
  }
  const child = starter && !existsSync(files.failed) ? startDetached(PROFILES[name](dir), files, dir) : undefined;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!existsSync(files.ready)) {
    if (existsSync(files.failed)) {
      throw new Error(`the shared runner "${name}" did not start:\n${readFileSync(files.failed, 'utf8')}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`the shared runner "${name}" was not ready after ${READY_TIMEOUT_MS} ms (log: ${files.log})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Its exit from now on is the teardown's doing (or a test's failure to see), not a failed start.
  child?.removeAllListeners('exit');
  const ready = JSON.parse(readFileSync(files.ready, 'utf8')) as RunnerReady;
  return {
    ready,
    token: (request) => tokenFrom(ready, request),
    log: () => readFileSync(files.log, 'utf8').slice(-20_000),
  };
}

/**
 * A user name of this test file's own on a shared runner (`e2e-people-alice`): no file sees another's images. The bare
 * names alice, bob and root on `offline-fixed` are the docs check's (its examples show alice with no image at first).
 */
export function fileUser(who: string): string {
  const file = expect.getState().testPath ?? '';
  const project = path.basename(path.dirname(file));
  return `${project}-${path.basename(file, '.test.ts')}-${who}`;
}

function startDetached(options: RunnerProcessOptions, files: Record<'ready' | 'failed' | 'log', string>, dir: string) {
  const { command, args, env } = runnerCommand(options, files.ready);
  const log = openSync(files.log, 'a');
  // Detached, its log in a file: it outlives the test file (and the worker) that started it.
  const child = spawn(command, args, {
    cwd: path.join(__dirname, '../..'),
    env,
    detached: true,
    stdio: ['ignore', 'ignore', log],
  });
  closeSync(log);
  writeFileSync(path.join(dir, 'pid'), String(child.pid));
  child.once('exit', (code, signal) => {
    if (!existsSync(files.ready))
      writeFileSync(files.failed, `exited (${code ?? signal}):\n${readFileSync(files.log, 'utf8').slice(-20_000)}`);
  });
  child.unref();
  // Should jest itself be killed (no teardown), the runner goes with it rather than outliving the run.
  const jest = readFileSync(path.join(runDir(), 'jest.pid'), 'utf8');
  spawn('sh', ['-c', `while kill -0 ${jest} && kill -0 ${child.pid}; do sleep 1; done; kill -TERM -${child.pid}`], {
    detached: true,
    stdio: 'ignore',
  }).unref();
  return child;
}

/** Makes the folder; true for the one caller that made it (it starts what the folder is for), false if it was there. */
export function makeDir(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function runDir(): string {
  const dir = process.env[RUN_DIR_ENV];
  if (!dir) throw new Error(`${RUN_DIR_ENV} is not set: the shared runners need their project's jest globalSetup`);
  return dir;
}

export function profileDir(name: ProfileName): string {
  return path.join(runDir(), name);
}

declare global {
  // The run directory this jest process made, and how many global setups hold it.
  var testRunDir: { dir: string; holders: number } | undefined;
}

/** For a global setup: the run's directory of shared runners (made by the first setup), in the environment. */
export function holdRunDir(): void {
  if (!globalThis.testRunDir) {
    const dir = mkdtempSync(path.join(tmpdir(), 'image-intel-run-'));
    writeFileSync(path.join(dir, 'jest.pid'), String(process.pid));
    globalThis.testRunDir = { dir, holders: 0 };
  }
  globalThis.testRunDir.holders += 1;
  process.env[RUN_DIR_ENV] = globalThis.testRunDir.dir;
}

/** For a global teardown: stop the shared runners; the last holder also says how many runners the run started. */
export async function releaseRunDir(): Promise<void> {
  const held = globalThis.testRunDir;
  if (!held) return;
  await stopProfiles();
  held.holders -= 1;
  if (held.holders > 0) return;
  globalThis.testRunDir = undefined;
  const starts = path.join(held.dir, STARTS_FILE);
  const lines = existsSync(starts) ? readFileSync(starts, 'utf8').trim().split('\n') : [];
  console.log(`${lines.length} local runners started in this run:\n${lines.join('\n')}`);
  rmSync(held.dir, { recursive: true, force: true });
}

/** SIGTERM every shared runner (SIGKILL after 10 s) and wait until each has exited; again is a no-op. */
export async function stopProfiles(): Promise<void> {
  const dir = globalThis.testRunDir?.dir;
  if (!dir) return;
  const pids = readdirSync(dir)
    .map((name) => path.join(dir, name, 'pid'))
    .filter((file) => existsSync(file))
    .map((file) => Number(readFileSync(file, 'utf8')));
  await Promise.all(pids.map((pid) => stopGroup(pid)));
}

async function stopGroup(pid: number): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(-pid, name);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + 10_000;
  while (signal(0)) {
    if (Date.now() > deadline) signal('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
