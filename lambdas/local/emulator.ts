import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** An AWS endpoint the runner talks to; `stop` ends it if the runner started it. */
export interface Emulator {
  endpoint: string;
  /** What is serving the endpoint, for the start-up summary. */
  description: string;
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
}

/** The moto requirement installed into the virtualenv when the machine's Python has none. */
export const MOTO_REQUIREMENT = 'moto[server]>=5.1,<6';

/**
 * `python3 -m moto.server`, with these fixes and one setting:
 * - moto 5 re-parses the same eight JSONPath expressions (building a yacc table each time) for every event and
 *   every rule target, so each PutEvents cost 100-400 ms and the event bus was the whole pipeline's bottleneck.
 *   Memoising `jsonpath_ng.ext.parse` (parsed paths are immutable) brings it to under 10 ms with identical events.
 * - moto's server routes every request under one lock, and inside it lists moto's package directory (a stat per
 *   service) to find the backend; with one moto shared by a whole test run, sampled threads spent 83 % of their time
 *   waiting on that lock. The list is read once. The Step Functions interpreter parses its result paths with
 *   `jsonpath_ng.parse` (not the ext one), a yacc table each time: memoised the same way. And werkzeug's line per
 *   request to stderr, which nobody reads, is off.
 * - Step Functions executes state machines (moto's interpreter, ported from LocalStack), which is off by default:
 *   the runner runs the backfill's batch definition in it (local/backfill-runs.ts).
 * - moto 5.2.1 copies a state machine with `copy.deepcopy` on every StartExecution, dragging in the earlier
 *   executions' threads: the second execution in a Region fails with HTTP 500 "cannot pickle '_thread.RLock'". The
 *   copy here shares the backend and the list of executions instead.
 * - moto's DynamoDB reads, changes and stores an item with no lock, and its server answers requests on threads:
 *   two concurrent `ADD n` to one item lost one (a backfill's `queued` counted 3 of 23 with three batches at once),
 *   and two conditional writes could both pass. DynamoDB writes an item atomically; one lock around moto's
 *   PutItem, UpdateItem, DeleteItem and TransactWriteItems does too (re-entrant: a transaction calls the other
 *   three). Without it two transactions conditional on the same person's revision both passed and one face count
 *   was lost (test/integration/people/grouping.test.ts), and a cancelled transaction, which restores a copy of the whole
 *   table, could undo a write made meanwhile.
 * - moto's DynamoDB Query gathers and sorts every item of the table, then keeps the key's: its cost grows with the
 *   table, not the partition. A similar-images lookup (428 Queries at maxDistance 10) against the e2e suite's search
 *   table took over 29 s under load, and the API answered 502 as API Gateway would. A Query of the table itself
 *   (not of an index) now reads only its partition key's items, as DynamoDB does; what it answers is unchanged.
 * - moto's SQS works out every attribute of a queue (three of them a pass over its messages) three times for each
 *   attribute asked for, and asks for the retention period that way for each message a ReceiveMessage returns: a
 *   fifth of the shared moto's time in the e2e suite went to GetQueueAttributes and ReceiveMessage, most of it reading
 *   the clock once per message per pass. The attributes are worked out once a request, the retention period read
 *   from the queue; the answers are the same.
 * - moto answers any `Host`, so a page elsewhere could rebind its own name to 127.0.0.1 and read every owner's
 *   records and face descriptors as same-origin (host-check.ts). A WSGI check in front of moto's dispatcher answers
 *   421 unless the name is a loopback one (localhost, 127.0.0.1, [::1], or under .localhost, which browsers resolve
 *   to loopback only: S3's virtual-hosted style). Here rather than a Node proxy in front of moto: no second hop for
 *   every call and upload body, nothing to keep in step with SigV4 (which signs `Host`), and moto refuses a
 *   rebinding page whoever started it (tests and benches that start moto get it too). The port is not checked: a
 *   proxy on another loopback port (the fault tests', an SSH tunnel) must forward `Host` unchanged for SigV4.
 */
const MOTO_LAUNCHER = [
  'import copy, functools, sys',
  'import jsonpath_ng.ext as ext',
  'ext.parse = functools.lru_cache(maxsize=1024)(ext.parse)',
  'import jsonpath_ng',
  'jsonpath_ng.parse = functools.lru_cache(maxsize=1024)(jsonpath_ng.parse)',
  'import moto.backends',
  '_modules = frozenset(moto.backends.list_of_moto_modules())',
  'moto.backends.list_of_moto_modules = lambda: _modules',
  'import logging',
  "logging.getLogger('werkzeug').setLevel(logging.WARNING)",
  'from moto.core.config import default_user_config',
  "default_user_config['stepfunctions']['execute_state_machine'] = True",
  'from moto.stepfunctions.models import StateMachine',
  'def _copy(self, memo):',
  '    memo[id(self.backend)] = self.backend',
  '    memo[id(self.executions)] = list(self.executions)',
  '    new = self.__class__.__new__(self.__class__)',
  '    memo[id(self)] = new',
  '    for name, value in self.__dict__.items():',
  '        setattr(new, name, copy.deepcopy(value, memo))',
  '    return new',
  'StateMachine.__deepcopy__ = _copy',
  'import threading',
  'from moto.dynamodb.models import DynamoDBBackend',
  '_write = threading.RLock()',
  'def _atomic(method):',
  '    def locked(self, *args, **kwargs):',
  '        with _write:',
  '            return method(self, *args, **kwargs)',
  '    return locked',
  'DynamoDBBackend.put_item = _atomic(DynamoDBBackend.put_item)',
  'DynamoDBBackend.update_item = _atomic(DynamoDBBackend.update_item)',
  'DynamoDBBackend.delete_item = _atomic(DynamoDBBackend.delete_item)',
  'DynamoDBBackend.transact_write_items = _atomic(DynamoDBBackend.transact_write_items)',
  'from moto.dynamodb.models.table import Table',
  '_partition = threading.local()',
  '_all_items = Table.all_items',
  'def _items(self):',
  "    only = getattr(_partition, 'only', None)",
  '    if only is None or only[0] is not self:',
  '        return _all_items(self)',
  '    found = self.items.get(only[1])',
  '    return list(found.values()) if found else []',
  'Table.all_items = _items',
  '_query = Table.query',
  'def _query_partition(self, hash_key, *args, **kwargs):',
  "    index_name = args[6] if len(args) > 6 else kwargs.get('index_name')",
  '    if index_name or not self.range_key_attr or hash_key is None:',
  '        return _query(self, hash_key, *args, **kwargs)',
  '    _partition.only = (self, hash_key)',
  '    try:',
  '        return _query(self, hash_key, *args, **kwargs)',
  '    finally:',
  '        _partition.only = None',
  'Table.query = _query_partition',
  'import json',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication',
  "_loopback = ('localhost', '127.0.0.1', '[::1]')",
  '_dispatch = DomainDispatcherApplication.__call__',
  'def _host_checked(self, environ, start_response):',
  "    host = environ.get('HTTP_HOST', '').lower()",
  "    name = host.rsplit(':', 1)[0] if host.rfind(':') > host.rfind(']') else host",
  "    if name in _loopback or name.endswith('.localhost'):",
  '        return _dispatch(self, environ, start_response)',
  "    shown = 'Host ' + json.dumps(host[:100]) if host else 'no Host header'",
  "    message = shown + ': the local emulator answers only localhost, 127.0.0.1, [::1] and *.localhost (a page elsewhere cannot reach it through DNS rebinding)'",
  "    body = json.dumps({'message': message}).encode()",
  "    start_response('421 Misdirected Request', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])",
  '    return [body]',
  'DomainDispatcherApplication.__call__ = _host_checked',
  'from moto.sqs.exceptions import InvalidAttributeName',
  'from moto.sqs.models import SQSBackend',
  'from moto.core.utils import unix_time',
  'def _queue_attributes(self, queue_name, attribute_names):',
  '    queue = self.get_queue(queue_name)',
  '    if not attribute_names:',
  '        return {}',
  "    valid = ['All'] + queue.BASE_ATTRIBUTES + queue.FIFO_ATTRIBUTES + queue.KMS_ATTRIBUTES",
  '    invalid = next((name for name in attribute_names if name not in valid), None)',
  "    if invalid or invalid == '':",
  '        raise InvalidAttributeName(invalid)',
  '    everything = queue.attributes',
  "    if 'All' in attribute_names:",
  '        return everything',
  '    return {name: everything[name] for name in attribute_names if everything.get(name) is not None}',
  'SQSBackend.get_queue_attributes = _queue_attributes',
  'def _retained(self, queue_name, message):',
  '    retention = self.get_queue(queue_name).message_retention_period',
  '    return retention + message.sent_timestamp / 1000 > unix_time()',
  'SQSBackend.is_message_valid_based_on_retention_period = _retained',
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');

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
  try {
    const moto = await spawnMoto(python, MOTO_LAUNCHER);
    return { ...moto, description: `moto server ${version} on ${moto.endpoint} (pid ${moto.pid})` };
  } catch (error) {
    throw new EmulatorUnavailableError(`moto server ${(error as Error).message}`);
  }
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
export async function spawnMoto(python: string, launcher: string, stopGraceMs = 3000): Promise<MotoProcess> {
  const port = await freePort();
  const child = spawn(python, ['-c', launcher, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, stopGraceMs);
  };
  try {
    await waitUntilServing(endpoint, child, 30_000);
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

async function waitUntilServing(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${endpoint} within ${timeoutMs} ms`);
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
