import sharp from 'sharp';
import { ApiError, type ImageView } from '../../../../lambdas/cli/api-client';
import { EXIT } from '../../../../lambdas/cli/record';
import { probeImage, smokeCommand } from '../../../../lambdas/cli/smoke/smoke';
import { runSmoke, type SmokePorts, STEP_NAMES } from '../../../../lambdas/cli/smoke/steps';
import type { ReceivedEvent } from '../../../../lambdas/cli/smoke/subscriber';
import { TargetError } from '../../../../lambdas/cli/smoke/target';
import { run } from '../run-cli';

const ID = '01SMOKETEST0000000000000000';
const LABEL = 'smoke0123456789';

/** A working deployment, in memory: each test breaks the part it is about. */
function world(overrides: Partial<SmokePorts> = {}) {
  const calls: string[] = [];
  const state = { deleted: false, labelled: false };
  const processed: ImageView = {
    imageId: ID,
    status: 'PROCESSED',
    analysis: { metadata: { width: 320, height: 240, format: 'png' } },
    renditions: { card: { url: `https://renditions.example/${ID}?w=400&sig=x`, expiresAt: '2026-11-23T12:00:00Z' } },
  };
  const event: ReceivedEvent = {
    detailType: 'Image Processed',
    source: 'image-intel',
    detail: { imageId: ID, status: 'PROCESSED' },
  };
  const closed = jest.fn(async () => [] as string[]);
  const ports: SmokePorts = {
    api: {
      call: jest.fn(async (method: string, path: string) => {
        calls.push(`${method} ${path}`);
        if (path === '/uploads') return { imageId: ID, upload: { url: 'https://bucket.example/', fields: {} } };
        state.labelled = true;
        return { imageId: ID, labels: [{ name: LABEL, source: 'user' }] };
      }),
      get: jest.fn(async () => (state.deleted ? undefined : processed)),
      list: jest.fn(async () => ({ items: state.labelled ? [{ imageId: ID, status: 'PROCESSED' as const }] : [] })),
      delete: jest.fn(async (imageId: string) => {
        calls.push(`DELETE /images/${imageId}`);
        state.deleted = true;
      }),
    },
    postToBucket: jest.fn(async () => undefined),
    subscriber: {
      open: jest.fn(async () => 'rule smoke-1 on bus events -> queue smoke-1'),
      waitFor: jest.fn(async () => event),
      close: closed,
    },
    backlog: jest.fn(async () => ({ waiting: 0, inFlight: 0, deadLettered: 0 })),
    queueName: 'image-intel-ingest',
    fetch: jest.fn(async () => new Response(Buffer.alloc(1234), { headers: { 'content-type': 'image/webp' } })),
    probe: async () => Buffer.from('probe'),
    label: LABEL,
    timeoutMs: 100,
    pollMs: 10,
    searchWaitMs: 100,
    ...overrides,
  };
  return { ports, calls, closed, state, processed };
}

async function smoke(ports: SmokePorts) {
  const lines: string[] = [];
  const outcome = await runSmoke(ports, (line) => lines.push(line));
  const byName = Object.fromEntries(lines.map((line) => [line.split(/\s+/)[0], line]));
  return { lines, outcome, byName };
}

describe('image-intel smoke: the steps', () => {
  it('prints one PASS line per step in order, then the cleanup, when the deployment works', async () => {
    const { ports, calls, closed } = world();
    const { lines, outcome } = await smoke(ports);
    expect(lines.map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      ...STEP_NAMES.map((name) => `${name} PASS`),
      'cleanup PASS',
    ]);
    expect(lines[0]).toMatch(/^subscribe {2}PASS +\d+\.\d s {2}rule smoke-1 on bus events -> queue smoke-1$/);
    expect(lines).toContainEqual(expect.stringMatching(/^rendition {2}PASS .* card: 200 image\/webp, 1234 bytes$/));
    expect(outcome).toEqual({ failed: undefined });
    expect(calls).toEqual(['POST /uploads', `PATCH /images/${ID}/labels`, `DELETE /images/${ID}`]);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('fails at upload with the 401 and what to check, skips the rest, and still removes the subscriber', async () => {
    const { ports, calls, closed } = world();
    ports.api.call = jest.fn(async () => {
      throw new ApiError(401, 'POST /uploads: 401 Unauthorized');
    });
    const { lines, outcome, byName } = await smoke(ports);
    expect(byName.upload).toMatch(
      /^upload {5}FAIL +\d+\.\d s {2}POST \/uploads answered 401 Unauthorized: check --token\/--api-key$/,
    );
    expect(lines.slice(2, 7)).toEqual(
      STEP_NAMES.slice(2).map((name) => `${name.padEnd(11)}skip${' '.repeat(8)}  not run: upload failed`),
    );
    expect(outcome).toEqual({ failed: 'upload' });
    expect(closed).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([]);
    expect(byName.cleanup).toMatch(/PASS .* subscriber removed \(the rule's target, the rule, the queue\)$/);
  });

  it('adds what the stack says of its auth to a 403', async () => {
    const { ports } = world({ authHint: 'the stack takes API keys: --api-key KEY' });
    ports.api.call = jest.fn(async () => {
      throw new ApiError(403, 'POST /uploads: 403 Forbidden');
    });
    const { byName } = await smoke(ports);
    expect(byName.upload).toMatch(
      /POST \/uploads answered 403 Forbidden: check --token\/--api-key \(the stack takes API keys: --api-key KEY\)$/,
    );
  });

  it('fails at upload when the bucket refuses the presigned POST, and deletes the record it made', async () => {
    const { ports, calls } = world({
      postToBucket: jest.fn(async () => {
        throw new ApiError(403, 'S3 refused the upload: 403 <Error>AccessDenied</Error>');
      }),
    });
    const { byName } = await smoke(ports);
    expect(byName.upload).toMatch(
      /FAIL .* the presigned POST to https:\/\/bucket\.example failed: S3 refused the upload: 403 <Error>AccessDenied<\/Error>$/,
    );
    expect(calls).toContain(`DELETE /images/${ID}`);
    expect(byName.cleanup).toMatch(`; probe image ${ID} deleted`);
  });

  it('fails at processed when the image stays PENDING, saying the processor has not taken the upload', async () => {
    const { ports, calls } = world({ backlog: jest.fn(async () => ({ waiting: 1, inFlight: 0, deadLettered: 0 })) });
    ports.api.get = jest.fn(async () => ({ imageId: ID, status: 'PENDING' as const }));
    const { byName, outcome } = await smoke(ports);
    expect(byName.processed).toMatch(
      /^processed {2}FAIL +\d+\.\d s {2}still PENDING after 0\.1 s: is the processor running\? 1 message waiting in the ingest queue image-intel-ingest, 0 in flight, 0 in its DLQ$/,
    );
    expect(outcome).toEqual({ failed: 'processed' });
    expect(calls).toEqual(['POST /uploads', `DELETE /images/${ID}`]);
  });

  it('says the processor is busy or failing when the upload is in flight, and when the queue cannot be read', async () => {
    const { ports } = world({ backlog: jest.fn(async () => ({ waiting: 0, inFlight: 2, deadLettered: 1 })) });
    ports.api.get = jest.fn(async () => ({ imageId: ID, status: 'PENDING' as const }));
    expect((await smoke(ports)).byName.processed).toMatch(
      /still PENDING after 0\.1 s: the processor has taken uploads and not finished: see its logs, or give a longer --timeout; 0 messages waiting in the ingest queue image-intel-ingest, 2 in flight, 1 in its DLQ$/,
    );
    const again = world({
      backlog: jest.fn(async () => {
        throw Object.assign(new Error('not allowed'), { name: 'AccessDenied' });
      }),
    }).ports;
    again.api.get = jest.fn(async () => ({ imageId: ID, status: 'PENDING' as const }));
    expect((await smoke(again)).byName.processed).toMatch(
      /is the processor running\? \(the ingest queue image-intel-ingest could not be read: AccessDenied: not allowed\)$/,
    );
  });

  it('says nothing reached the ingest queue when it is empty', async () => {
    const { ports } = world();
    ports.api.get = jest.fn(async () => ({ imageId: ID, status: 'PENDING' as const }));
    expect((await smoke(ports)).byName.processed).toMatch(
      /nothing reached the ingest queue: does the bucket notify it of uploads\/\?/,
    );
  });

  it('stops the step under way on Ctrl-C, skips the rest, and still deletes the probe and the subscriber', async () => {
    const interrupt = new AbortController();
    const { ports, calls, closed } = world({ signal: interrupt.signal, timeoutMs: 60_000 });
    ports.api.get = jest.fn(async () => {
      interrupt.abort();
      return { imageId: ID, status: 'PENDING' as const };
    });
    const { lines, outcome, byName } = await smoke(ports);
    expect(byName.processed).toMatch(/^processed {2}FAIL +\d+\.\d s {2}interrupted \(Ctrl-C\)$/);
    expect(lines.filter((line) => line.includes('skip'))).toHaveLength(STEP_NAMES.length - 3);
    expect(outcome).toEqual({ failed: 'processed' });
    expect(calls).toEqual(['POST /uploads', `DELETE /images/${ID}`]);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it("fails at processed with the record's rejection when the probe is REJECTED", async () => {
    const { ports } = world();
    ports.api.get = jest.fn(async () => ({
      imageId: ID,
      status: 'REJECTED' as const,
      rejection: { code: 'UNSUPPORTED_FORMAT', message: 'not an image' },
    }));
    expect((await smoke(ports)).byName.processed).toMatch(/FAIL .* REJECTED: UNSUPPORTED_FORMAT: not an image$/);
  });

  it("fails at processed with the record's error when processing FAILED", async () => {
    const { ports } = world();
    ports.api.get = jest.fn(async () => ({
      imageId: ID,
      status: 'FAILED' as const,
      error: { code: 'PROCESSING_FAILED', message: 'gave up after 5 attempts' },
    }));
    expect((await smoke(ports)).byName.processed).toMatch(
      /FAIL .* FAILED: PROCESSING_FAILED: gave up after 5 attempts: see the processor's logs$/,
    );
  });

  it('fails at event when no Image Processed arrives for the image', async () => {
    const { ports } = world();
    ports.subscriber.waitFor = jest.fn(async () => undefined);
    const { byName, outcome } = await smoke(ports);
    expect(byName.event).toMatch(
      new RegExp(
        `FAIL +\\d+\\.\\d s {2}no Image Processed event for ${ID} on the subscriber queue within 0\\.1 s, though the record is PROCESSED`,
      ),
    );
    expect(outcome).toEqual({ failed: 'event' });
  });

  it('sends the label change again on a 409, and waits for the search to list the image', async () => {
    // A wait long enough for two stale lists on a loaded machine (a fresh-clone run took more than the 0.1 s the
    // failing cases use): what is checked is that it polls until listed, not how fast.
    const { ports, state } = world({ searchWaitMs: 30_000 });
    const call = ports.api.call;
    let conflicts = 1;
    ports.api.call = jest.fn(async (method: string, path: string, body?: unknown) => {
      if (method === 'PATCH' && conflicts-- > 0) throw new ApiError(409, `PATCH ${path}: 409 changed meanwhile`);
      return call(method, path, body);
    });
    const list = ports.api.list;
    let stale = 2;
    ports.api.list = jest.fn(async (query) => (stale-- > 0 ? { items: [] } : list(query)));
    const { byName } = await smoke(ports);
    expect(byName.search).toMatch(`PASS`);
    expect(byName.search).toMatch(`label ${LABEL} added; GET /images?label=${LABEL} lists this image alone`);
    expect(state.labelled).toBe(true);
    expect(ports.api.list).toHaveBeenCalledTimes(3);
    expect(ports.api.list).toHaveBeenCalledWith({ label: LABEL });
  });

  it('fails at search when the label lists another image, or never lists this one', async () => {
    const { ports } = world();
    ports.api.list = jest.fn(async () => ({
      items: [
        { imageId: ID, status: 'PROCESSED' as const },
        { imageId: 'OTHER', status: 'PROCESSED' as const },
      ],
    }));
    expect((await smoke(ports)).byName.search).toMatch(
      `FAIL   0.0 s  GET /images?label=${LABEL} lists ${ID}, OTHER: only ${ID} has that label`,
    );
    const again = world().ports;
    again.api.list = jest.fn(async () => ({ items: [] }));
    expect((await smoke(again)).byName.search).toMatch(
      `GET /images?label=${LABEL} did not list ${ID} within 0.1 s of PATCH /images/${ID}/labels adding it`,
    );
  });

  it('fails at rendition when the signed URL is refused, or answers something other than an image', async () => {
    const { ports } = world();
    ports.fetch = jest.fn(async () => new Response('{"message":"sig: does not match"}', { status: 403 }));
    expect((await smoke(ports)).byName.rendition).toMatch(
      'FAIL   0.0 s  the card rendition (https://renditions.example) answered 403 {"message":"sig: does not match"}: its signature was refused',
    );
    const again = world().ports;
    again.fetch = jest.fn(async () => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    expect((await smoke(again)).byName.rendition).toMatch(
      'the card rendition (https://renditions.example) answered 200 with content-type text/html, not an image',
    );
  });

  it('fails at rendition when the record has no rendition URLs', async () => {
    const { ports, processed } = world();
    delete processed.renditions;
    expect((await smoke(ports)).byName.rendition).toMatch(
      `GET /images/${ID} answered no rendition URLs: are presets configured (renditionPresets)?`,
    );
  });

  it('fails at delete when the image is still there afterwards', async () => {
    const { ports, processed } = world();
    ports.api.delete = jest.fn(async () => undefined);
    const { byName, outcome } = await smoke(ports);
    expect(byName.delete).toMatch(`GET /images/${ID} still answers the image (${processed.status}) after DELETE`);
    expect(outcome).toEqual({ failed: 'delete' });
  });

  it('fails when every step passed but the cleanup left something behind, naming the command that removes it', async () => {
    const left = 'queue smoke-1 (AccessDenied: no; aws sqs delete-queue --queue-url https://sqs/smoke-1)';
    const { ports } = world();
    ports.subscriber.close = jest.fn(async () => [left]);
    const { byName, outcome } = await smoke(ports);
    expect(byName.cleanup).toMatch(`FAIL   0.0 s  left behind: ${left}`);
    expect(outcome).toEqual({ failed: 'cleanup' });
  });
});

describe('image-intel smoke: the command', () => {
  const command = async (ports?: SmokePorts, target?: () => never) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await smokeCommand(
      { api: 'http://localhost:3000', timeout: 5 },
      (line) => out.push(line),
      (line) => err.push(line),
      {
        target:
          target ??
          (async () => ({
            label: 'the local runner at http://localhost:3000',
            apiUrl: 'http://localhost:3000',
            eventBus: 'events',
            queueUrl: 'q',
            dlqUrl: 'd',
            aws: { region: 'us-east-1' },
          })),
        ports: () => ports ?? world().ports,
      },
    );
    return { code, out, err };
  };

  it('names the target first, ends with the verdict, and exits 0 when every step passed', async () => {
    const { code, out, err } = await command();
    expect(out[0]).toBe('image-intel smoke: the local runner at http://localhost:3000, API http://localhost:3000');
    expect(out.at(-1)).toMatch(/^smoke passed: every step in \d+\.\d s$/);
    expect([code, err]).toEqual([EXIT.ok, []]);
  });

  it('exits 1 naming the step that failed', async () => {
    const { ports } = world();
    ports.subscriber.waitFor = jest.fn(async () => undefined);
    const { code, out } = await command(ports);
    expect(out.at(-1)).toMatch(/^smoke FAILED at event after \d+\.\d s$/);
    expect(code).toBe(EXIT.someRejectedOrFailed);
  });

  it('exits 3 with one line on stderr, and runs no step, when the target cannot be read', async () => {
    const { ports } = world();
    const { code, out, err } = await command(ports, () => {
      throw new TargetError('stack Nope not found in eu-west-1: check --stack');
    });
    expect([code, out, err]).toEqual([EXIT.noTarget, [], ['stack Nope not found in eu-west-1: check --stack']]);
    expect(ports.subscriber.open).not.toHaveBeenCalled();
  });
});

describe('image-intel smoke: the command line', () => {
  it('is a usage error, exit 2, without --stack or --api, or with both', async () => {
    const neither = await run('smoke');
    expect([neither.code, neither.stdout]).toEqual([EXIT.usage, '']);
    expect(neither.stderr).toMatch(
      /^error: give --stack NAME \(a deployed stack\) or --api URL \(the local runner\)\n/,
    );
    const both = await run('smoke', '--stack', 'ImageIntel', '--api', 'http://localhost:3000');
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toMatch("error: option '--stack <name>' cannot be used with option '--api <url>'");
  });

  it('lists the steps and the exit codes in its help', async () => {
    const { code, stdout } = await run('smoke', '--help');
    expect(code).toBe(EXIT.ok);
    expect(stdout.replace(/\s+/g, ' ')).toMatch(
      '--timeout <s> seconds to wait for processing, and for the event (default: 120)',
    );
    expect(stdout).toMatch(/^ {2}3 {2}nothing was checked: the stack or its outputs could not be read, or$/m);
  });
});

describe('the probe image', () => {
  it('is a 320x240 PNG of a few KB, new every time', async () => {
    const [first, second] = [await probeImage(), await probeImage()];
    expect(await sharp(first).metadata()).toMatchObject({ format: 'png', width: 320, height: 240 });
    expect(first.length).toBeLessThan(20_000);
    expect(first.equals(second)).toBe(false);
  });
});
