import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { MOTO_LAUNCHER } from './moto-launcher';
import { PROVISIONED_PATH } from './moto-snapshot-gate';
import { SNAPSHOT_FORMAT } from './moto-snapshots';

/** An AWS endpoint the runner talks to; `stop` ends it if the runner started it. */
export interface Emulator {
  endpoint: string;
  /** What is serving the endpoint, for the start-up summary. */
  description: string;
  /**
   * The runner's start is done. A data folder's moto counts the writes before this as the start's provisioning, made
   * again by every start, and takes no snapshot for them (moto-snapshot-gate.ts); other emulators have nothing to do.
   */
  provisioned?(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Use this endpoint instead of starting moto (AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** Where a project-local virtualenv for moto goes when the machine's Python lacks it. */
  venvDir: string;
  log: (line: string) => void;
  /** Whether PyPI answers, asked only when moto must be installed. Default: GET pypi.org/simple/moto/ (3 s). */
  pypiReachable?: () => Promise<boolean>;
  /** Keep moto's state in this folder across restarts (moto-snapshots.ts); default: in memory only. */
  library?: LibraryFolder;
}

/** A data folder for moto's state, and what its snapshots record of who wrote them. */
export interface LibraryFolder {
  dir: string;
  /** The runner's version (package.json), recorded in each snapshot. */
  runnerVersion: string;
  /** Seconds between a change and its snapshot (default 2). */
  snapshotSeconds?: number;
}

/** The moto requirement installed into the virtualenv when the machine's Python has none. */
export const MOTO_REQUIREMENT = 'moto[server]>=5.1,<6';

export class EmulatorUnavailableError extends Error {
  override readonly name = 'EmulatorUnavailableError';
}

/**
 * The endpoint to run against.
 *
 * 1. AWS_ENDPOINT_URL given (LocalStack, a running moto, anything compatible): use it as it is.
 * 2. Otherwise start `python3 -m moto.server` on a free loopback port, with the machine's Python if it can
 *    import moto, else with a project-local virtualenv, created and filled from PyPI when PyPI answers.
 * 3. If neither works, stop with the exact command to run.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (options.endpoint) {
    return { endpoint: options.endpoint, description: `${options.endpoint} (AWS_ENDPOINT_URL)`, stop: async () => {} };
  }
  const { python, version } = await pythonWithMoto(options);
  const { library } = options;
  try {
    const moto = library
      ? // A big library's last snapshot may take seconds: moto is given them before it is killed.
        await spawnMoto(python, MOTO_LAUNCHER, 120_000, { env: libraryEnvironment(library), log: options.log })
      : await spawnMoto(python, MOTO_LAUNCHER);
    const description = `moto server ${version} on ${moto.endpoint} (pid ${moto.pid})`;
    if (!library) return { ...moto, description };
    const provisioned = async () => {
      const response = await fetch(`${moto.endpoint}${PROVISIONED_PATH}`, { method: 'POST' });
      if (response.status !== 204) throw new Error(`moto did not take the end of provisioning: ${response.status}`);
    };
    return { ...moto, description, provisioned };
  } catch (error) {
    const message = (error as Error).message;
    // The data folder's own refusals (another format, another runner on it) are the whole message.
    // Its last line, after any it said while loading (a damaged snapshot passed over, a lock waited for).
    const refusal = /exited with code 78\b/.test(message)
      ? message.match(/^image-intel data folder: .*$/gm)?.at(-1)
      : undefined;
    if (refusal) throw new LibraryFolderError(refusal);
    throw new EmulatorUnavailableError(`moto server ${message}`);
  }
}

/** The data folder cannot be used: a snapshot of another format, or another runner holding it. */
export class LibraryFolderError extends Error {
  override readonly name = 'LibraryFolderError';
}

function libraryEnvironment(library: LibraryFolder): NodeJS.ProcessEnv {
  return {
    IMAGE_INTEL_DATA_DIR: path.resolve(library.dir),
    IMAGE_INTEL_SNAPSHOT_FORMAT: String(SNAPSHOT_FORMAT),
    IMAGE_INTEL_RUNNER_VERSION: library.runnerVersion,
    ...(library.snapshotSeconds !== undefined && { IMAGE_INTEL_SNAPSHOT_SECONDS: String(library.snapshotSeconds) }),
  };
}

/** A moto server this process started, on a loopback port of its own. */
export interface MotoProcess {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Start `python -c <launcher> -H 127.0.0.1 -p <free port>` (a script that ends by running moto's server) and wait
 * until it answers; it is killed when this process exits, however that happens. On failure the error says why, with
 * moto's last output.
 */
export async function spawnMoto(
  python: string,
  launcher: string,
  stopGraceMs = 3000,
  {
    env = {},
    log,
    startTimeoutMs = 30_000,
  }: { env?: NodeJS.ProcessEnv; log?: (line: string) => void; startTimeoutMs?: number } = {},
): Promise<MotoProcess> {
  const port = await freePort();
  const child = spawn(python, ['-c', launcher, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  const wait = new StartWait(startTimeoutMs);
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    // What the data folder says (a snapshot loading or loaded, one that failed) is the user's to read.
    for (const line of chunk.toString().split('\n')) {
      if (!line.startsWith('image-intel data folder:')) continue;
      log?.(line);
      wait.heard(line);
    }
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, stopGraceMs);
  };
  try {
    await waitUntilServing(endpoint, child, wait);
  } catch (error) {
    await stop();
    throw new Error(`did not start: ${(error as Error).message}\n${stderr.trim()}`);
  }
  return { endpoint, pid: child.pid as number, stop };
}

/** A Python that imports moto's server, and moto's version (one interpreter start per candidate: each takes ~0.7 s). */
async function pythonWithMoto(options: EmulatorOptions): Promise<{ python: string; version: string }> {
  const system = motoVersionOf('python3');
  if (system) return { python: 'python3', version: system };
  const venvPython = path.join(options.venvDir, 'bin', 'python');
  const venv = existsSync(venvPython) ? motoVersionOf(venvPython) : undefined;
  if (venv) return { python: venvPython, version: venv };
  const advice =
    `Install it with:  python3 -m pip install '${MOTO_REQUIREMENT}'\n` +
    '(or point AWS_ENDPOINT_URL at a running moto or LocalStack).';
  if (!(await (options.pypiReachable ?? pypiReachable)())) {
    throw new EmulatorUnavailableError(`python3 cannot import moto and PyPI is not reachable.\n${advice}`);
  }
  options.log(`moto not found: installing ${MOTO_REQUIREMENT} into ${options.venvDir} ...`);
  mkdirSync(path.dirname(options.venvDir), { recursive: true });
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', options.venvDir]],
    [venvPython, ['-m', 'pip', 'install', '--quiet', MOTO_REQUIREMENT]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) {
      throw new EmulatorUnavailableError(
        `could not install moto (${command} ${args.join(' ')}): ${result.stderr?.trim() || result.error?.message}\n${advice}`,
      );
    }
  }
  return { python: venvPython, version: motoVersionOf(venvPython) ?? 'unknown version' };
}

/** moto's version if this Python can import its server, else undefined. */
function motoVersionOf(python: string): string | undefined {
  const result = spawnSync(python, ['-c', 'import moto.server, moto; print(moto.__version__)'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return result.status === 0 ? result.stdout.trim() || 'unknown version' : undefined;
}

async function pypiReachable(): Promise<boolean> {
  try {
    const response = await fetch('https://pypi.org/simple/moto/', { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** A port the OS says is free now (it may be taken again before moto binds it; then start-up fails loudly). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * How long a start may take before moto is given up on: `timeoutMs`, except while it says it is busy with the data
 * folder. Loading a snapshot takes as long as the library is big (tens of seconds at 10,000 photos on a busy
 * machine), and a folder another runner still holds is waited for up to 120 s: neither is a moto that failed to
 * start, and the user is shown what it is doing. Once loaded, moto has `timeoutMs` again to answer.
 */
export class StartWait {
  private deadline: number;
  private loading = false;

  constructor(private readonly timeoutMs: number) {
    this.deadline = Date.now() + timeoutMs;
  }

  heard(line: string): void {
    if (/: loading /.test(line)) this.loading = true;
    else if (/: loaded |is not loaded/.test(line)) {
      this.loading = false;
      this.deadline = Date.now() + this.timeoutMs;
    } else if (/waiting up to (\d+) s/.test(line)) {
      const seconds = Number(/waiting up to (\d+) s/.exec(line)?.[1]);
      this.deadline = Date.now() + seconds * 1000 + this.timeoutMs;
    }
  }

  passed(): boolean {
    return !this.loading && Date.now() > this.deadline;
  }

  describe(): string {
    return `within ${this.timeoutMs} ms`;
  }
}

async function waitUntilServing(endpoint: string, child: ChildProcess, wait: StartWait): Promise<void> {
  while (!wait.passed()) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${endpoint} ${wait.describe()}`);
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
