import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ENDPOINT_CACHE_MS } from '../../lambdas/webhooks/delivery';
import { fixturePath } from '../fixtures';
import { runWithEnv } from '../integration/cli/run-cli';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * `image-intel webhooks` as a user runs it, against the shared jwt runner (which delivers over loopback): an endpoint
 * made with the CLI gets a real, verified `Image Processed` at `webhooks listen --secret`, and `listen` without a
 * secret registers a temporary endpoint and deletes it when stopped.
 */
const BIN = join(__dirname, '../../bin/image-intel.js');

let runner: SharedRunner;
let api: string;
let token: string;

beforeAll(async () => {
  runner = await profileRunner('jwt');
  api = runner.ready.apiUrl;
  token = await runner.token({ user: fileUser('alice') });
}, 240_000);

/** The CLI as alice (her token in IMAGE_INTEL_TOKEN). */
const cli = (...args: string[]) => runWithEnv({ IMAGE_INTEL_TOKEN: token }, ...args);

/** `webhooks listen` as a process of its own, its output kept line by line. */
class Listener {
  readonly out: string[] = [];
  readonly err: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(...args: string[]) {
    this.child = spawn(process.execPath, [BIN, 'webhooks', 'listen', ...args], {
      env: { ...process.env, IMAGE_INTEL_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = (into: string[]) => {
      let rest = '';
      return (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        into.push(...parts);
      };
    };
    this.child.stdout?.on('data', lines(this.out));
    this.child.stderr?.on('data', lines(this.err));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The first match of `pattern` in a line of stdout or stderr, waited for. */
  async waitFor(stream: 'out' | 'err', pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this[stream]) {
        const match = line.match(pattern);
        if (match) return match;
      }
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${pattern} from listen (${this.child.exitCode ?? 'running'}):\n${this.transcript()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stop it as a user would, and its exit code. */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }

  transcript(): string {
    return [...this.out.map((line) => `out: ${line}`), ...this.err.map((line) => `err: ${line}`)].join('\n');
  }
}

const listeners: Listener[] = [];
afterAll(async () => {
  await Promise.all(listeners.map((listener) => listener.stop('SIGKILL')));
});
function listen(...args: string[]): Listener {
  const listener = new Listener(...args);
  listeners.push(listener);
  return listener;
}

/** Upload one photo and wait until it is processed: its image id. */
async function upload(): Promise<string> {
  // Kept though a test before uploaded the same bytes: each test wants an image and its events of its own.
  const uploaded = await cli('upload', '--api', api, '--duplicates', 'keep', fixturePath('photos/boats.jpg'));
  expect(uploaded).toMatchObject({ code: 0, records: [{ status: 'PROCESSED' }] });
  return String(uploaded.records[0]?.imageId);
}

describe('image-intel webhooks', () => {
  it('an endpoint made with the CLI gets a verified Image Processed at listen --secret, and shows in its log', async () => {
    const created = await cli(
      'webhooks',
      'create',
      '--api',
      api,
      '--url',
      'http://127.0.0.1:9/',
      '--events',
      'image processed',
      '--description',
      'integration',
      '--json',
    );
    expect(created.code).toBe(0);
    const { endpoint, secret } = created.records[0] as { endpoint: { endpointId: string }; secret: string };
    const id = endpoint.endpointId;
    expect(secret).toMatch(/^whsec_/);

    const receiver = listen('--secret', secret, '--port', '0', '--json');
    const [, url] = await receiver.waitFor('err', /listening on (http:\/\/127\.0\.0\.1:\d+\/)/);

    // A request no signature of this secret verifies is refused.
    const forged = await fetch(url as string, {
      method: 'POST',
      headers: { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) },
      body: '{"type":"Image Processed"}',
    });
    expect(forged.status).toBe(401);
    await receiver.waitFor('err', /401 msg_forged: refused/);

    const updated = await cli('webhooks', 'update', id, '--api', api, '--url', url as string);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain(`url:              ${url}`);
    expect(updated.stdout).toContain('events:           Image Processed');

    const imageId = await upload();
    await receiver.waitFor('out', new RegExp(`"imageId":"${imageId}"`));
    const payloads = receiver.out.map((line) => JSON.parse(line));
    expect(payloads).toContainEqual(
      expect.objectContaining({ type: 'Image Processed', data: expect.objectContaining({ imageId }) }),
    );

    // The log says SUCCEEDED once the delivery function has recorded the answer.
    let log = await cli('webhooks', 'deliveries', id, '--api', api);
    for (let tries = 0; !/SUCCEEDED/.test(log.stdout) && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      log = await cli('webhooks', 'deliveries', id, '--api', api);
    }
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(/^TIME +EVENT +IMAGE +STATUS +ATTEMPTS +LAST ATTEMPT +WEBHOOK-ID$/m);
    expect(log.stdout).toMatch(new RegExp(`Image Processed +${imageId} +SUCCEEDED +1 +204 in \\d+ ms +msg_\\w+$`, 'm'));

    const listed = await cli('webhooks', 'list', '--api', api, '--json');
    expect(listed.records).toContainEqual(expect.objectContaining({ endpointId: id, url, description: 'integration' }));

    expect(await cli('webhooks', 'delete', id, '--api', api)).toMatchObject({ code: 0, stdout: `Deleted ${id}\n` });
    const gone = await cli('webhooks', 'get', id, '--api', api);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`image-intel: GET /webhooks/${id}: 404`);
    expect(await receiver.stop('SIGTERM')).toBe(0);
  });

  it('listen without --secret registers a temporary endpoint, prints what it gets, and deletes it when stopped', async () => {
    const receiver = listen('--api', api, '--port', '0');
    const [, url] = await receiver.waitFor('err', /listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
    const [, id] = await receiver.waitFor('err', /registered the temporary endpoint (ep_\w+) \(every type\)/);
    const listed = await cli('webhooks', 'list', '--api', api, '--json');
    expect(listed.records).toContainEqual(expect.objectContaining({ endpointId: id, url, enabled: true }));

    // A running delivery function knows an owner's endpoints as they were up to ENDPOINT_CACHE_MS ago (the test
    // above's event had it read them): an event sooner would go to the endpoints of before, as docs/webhooks.md's Limits say.
    await new Promise((resolve) => setTimeout(resolve, ENDPOINT_CACHE_MS + 500));
    const imageId = await upload();
    await receiver.waitFor('out', new RegExp(`Z {2}Image Processed {2}image ${imageId} {2}msg_\\S+$`));

    expect(await receiver.stop('SIGINT')).toBe(0);
    expect(receiver.err).toContain(`image-intel: deleted the temporary endpoint ${id}`);
    const gone = await cli('webhooks', 'get', id as string, '--api', api);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('404');
  });

  it("prints the API's refusal of a private address and exits 1, and exits 3 when there is no API", async () => {
    const refused = await cli('webhooks', 'create', '--api', api, '--url', 'https://10.0.0.1/hook');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^image-intel: POST \/webhooks: 400 .*10\.0\.0\.1/m);
    const nobody = await cli('webhooks', 'list', '--api', 'http://127.0.0.1:9');
    expect(nobody.code).toBe(3);
    expect(nobody.stderr).toContain('image-intel: cannot reach http://127.0.0.1:9');
  });
});
