import { DETAIL_TYPES } from '../../manifest/events';
import { ApiError, type ImageApiClient, type ImageView, reasonOf, type UploadTicket } from '../api-client';
import { type Backlog, errorText, type ReceivedEvent } from './subscriber';
import { apiErrorText, elapsed, INTERRUPTED, StepFailure, safeOrigin, seconds, stepLine } from './text';

/** The steps, in the order they run. */
export const STEP_NAMES = ['subscribe', 'upload', 'processed', 'event', 'search', 'rendition', 'delete'] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** What the steps need of the world, so that tests can hand them fakes. */
export interface SmokePorts {
  api: Pick<ImageApiClient, 'call' | 'get' | 'list' | 'delete'>;
  /** The presigned POST to the bucket (api-client's `postToS3`). */
  postToBucket(ticket: UploadTicket, bytes: Buffer): Promise<void>;
  subscriber: {
    open(): Promise<string>;
    waitFor(imageId: string, detailType: string, timeoutMs: number): Promise<ReceivedEvent | undefined>;
    /** What could not be removed, each with the command that removes it. */
    close(): Promise<string[]>;
  };
  /** The ingest queue's and its DLQ's counts, read when an image stays PENDING. */
  backlog(): Promise<Backlog>;
  /** The ingest queue's name, for messages. */
  queueName: string;
  fetch: typeof fetch;
  /** A throwaway image, never seen before. */
  probe(): Promise<Buffer>;
  /** A label no other image has. */
  label: string;
  /** How long to wait for processing, and for the event. */
  timeoutMs: number;
  /** What the stack says of its auth, added to a 401 or 403. */
  authHint?: string;
  pollMs?: number;
  /** Aborted on Ctrl-C: the step under way fails, the rest are skipped, and the cleanup still runs. */
  signal?: AbortSignal;
  /** How long the search may take to list a label just added (its index is read eventually consistently). */
  searchWaitMs?: number;
}

interface State {
  imageId?: string;
  image?: ImageView;
  /** Who deleted the probe image: the delete step, or the cleanup after a failure. */
  deletedBy?: 'step' | 'cleanup';
}

export interface SmokeOutcome {
  /** The step that failed, or `cleanup` when every step passed but something the run made is left behind. */
  failed?: StepName | 'cleanup';
}

/**
 * A post-deploy check, end to end, one printed line per step:
 * 1. subscribe: a temporary rule and queue on the bus, for `Image Processed`;
 * 2. upload: a probe image through `POST /uploads` and its presigned POST;
 * 3. processed: poll `GET /images/{id}` until PROCESSED, within the timeout;
 * 4. event: its `Image Processed` reached the subscriber;
 * 5. search: a unique label added with `PATCH /images/{id}/labels` finds this image, and only it;
 * 6. rendition: one of its signed preset URLs answers an image;
 * 7. delete: `DELETE /images/{id}?permanently=true`, then `GET` is a 404.
 * The first failure skips the rest. Whatever happens, the subscriber is removed and the probe image deleted.
 */
export async function runSmoke(ports: SmokePorts, print: (line: string) => void): Promise<SmokeOutcome> {
  const state: State = {};
  const run: Record<StepName, () => Promise<string>> = {
    subscribe: () => ports.subscriber.open(),
    upload: () => upload(ports, state),
    processed: () => processed(ports, state),
    event: () => event(ports, state),
    search: () => search(ports, state),
    rendition: () => rendition(ports, state),
    delete: () => remove(ports, state),
  };
  let failed: StepName | undefined;
  // Every step catches its own failure, so the cleanup below always runs.
  for (const name of STEP_NAMES) {
    if (failed) {
      print(stepLine(name, 'skip', undefined, `not run: ${failed} failed`));
      continue;
    }
    const started = performance.now();
    try {
      if (ports.signal?.aborted) throw new StepFailure(INTERRUPTED);
      const text = await run[name]();
      print(stepLine(name, 'PASS', performance.now() - started, text));
    } catch (error) {
      failed = name;
      print(stepLine(name, 'FAIL', performance.now() - started, failureText(error, ports)));
    }
  }
  const started = performance.now();
  const left = await cleanUp(ports, state);
  const text = left.length > 0 ? `left behind: ${left.join('; ')}` : cleanupText(state);
  print(stepLine('cleanup', left.length > 0 ? 'FAIL' : 'PASS', performance.now() - started, text));
  return { failed: failed ?? (left.length > 0 ? 'cleanup' : undefined) };
}

async function upload(ports: SmokePorts, state: State): Promise<string> {
  const bytes = await ports.probe();
  const ticket = (await ports.api.call('POST', '/uploads', {
    contentType: 'image/png',
    size: bytes.length,
    filename: 'image-intel-smoke.png',
    tags: ['image-intel-smoke'],
  })) as UploadTicket;
  state.imageId = ticket.imageId;
  try {
    await ports.postToBucket(ticket, bytes);
  } catch (error) {
    const origin = safeOrigin(ticket.upload.url);
    throw new StepFailure(`the presigned POST to ${origin} failed: ${apiErrorText(error)}`);
  }
  return `image ${ticket.imageId} (a PNG of ${bytes.length} bytes, tag image-intel-smoke)`;
}

async function processed(ports: SmokePorts, state: State): Promise<string> {
  const imageId = state.imageId as string;
  const started = Date.now();
  for (;;) {
    const image = await ports.api.get(imageId);
    if (!image) throw new StepFailure(`GET /images/${imageId} answered 404: the record POST /uploads made is gone`);
    if (image.status === 'PROCESSED') {
      state.image = image;
      const metadata = (image.analysis as { metadata?: { width?: number; height?: number; format?: string } })
        ?.metadata;
      return `PROCESSED after ${elapsed(Date.now() - started)} (${metadata?.width}x${metadata?.height} ${metadata?.format})`;
    }
    const problem = (image.rejection ?? image.error) as { code?: string; message?: string } | undefined;
    if (image.status === 'REJECTED') throw new StepFailure(`REJECTED: ${problem?.code}: ${problem?.message}`);
    if (image.status === 'FAILED') {
      throw new StepFailure(`FAILED: ${problem?.code}: ${problem?.message}: see the processor's logs`);
    }
    if (Date.now() - started >= ports.timeoutMs) {
      throw new StepFailure(`still ${image.status} after ${seconds(ports.timeoutMs)}: ${await backlogText(ports)}`);
    }
    await pause(ports);
  }
}

/** Why an image may still be PENDING, from the ingest queue's counts. */
async function backlogText(ports: SmokePorts): Promise<string> {
  let backlog: Backlog;
  try {
    backlog = await ports.backlog();
  } catch (error) {
    return `is the processor running? (the ingest queue ${ports.queueName} could not be read: ${errorText(error)})`;
  }
  const { waiting, inFlight, deadLettered } = backlog;
  const counts =
    `${waiting} ${waiting === 1 ? 'message' : 'messages'} waiting in the ingest queue ${ports.queueName}, ` +
    `${inFlight} in flight, ${deadLettered} in its DLQ`;
  if (inFlight > 0)
    return `the processor has taken uploads and not finished: see its logs, or give a longer --timeout; ${counts}`;
  if (waiting > 0) return `is the processor running? ${counts}`;
  if (deadLettered > 0) return `uploads failed processing 5 times: see the processor's logs; ${counts}`;
  return `nothing reached the ingest queue: does the bucket notify it of uploads/? ${counts}`;
}

async function event(ports: SmokePorts, state: State): Promise<string> {
  const imageId = state.imageId as string;
  const received = await ports.subscriber.waitFor(imageId, DETAIL_TYPES.processed, ports.timeoutMs);
  if (ports.signal?.aborted) throw new StepFailure(INTERRUPTED);
  if (!received) {
    throw new StepFailure(
      `no ${DETAIL_TYPES.processed} event for ${imageId} on the subscriber queue within ${seconds(ports.timeoutMs)}, ` +
        'though the record is PROCESSED: does the processor publish to this bus (its EVENT_BUS_NAME)?',
    );
  }
  return `${received.detailType} for ${imageId} arrived (status ${received.detail.status})`;
}

async function search(ports: SmokePorts, state: State): Promise<string> {
  const imageId = state.imageId as string;
  const { label } = ports;
  // A 409 says the record changed while the labels were being written: the API asks to send it again.
  for (let attempt = 1; ; attempt++) {
    try {
      await ports.api.call('PATCH', `/images/${imageId}/labels`, { add: [label] });
      break;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409 && attempt < 3)) throw error;
      await pause(ports);
    }
  }
  const started = Date.now();
  const waitMs = ports.searchWaitMs ?? 10_000;
  for (;;) {
    const ids = (await ports.api.list({ label })).items.map((item) => item.imageId);
    if (ids.length === 1 && ids[0] === imageId)
      return `label ${label} added; GET /images?label=${label} lists this image alone`;
    if (ids.some((id) => id !== imageId)) {
      throw new StepFailure(`GET /images?label=${label} lists ${ids.join(', ')}: only ${imageId} has that label`);
    }
    if (Date.now() - started >= waitMs) {
      throw new StepFailure(
        `GET /images?label=${label} did not list ${imageId} within ${seconds(waitMs)} of PATCH /images/${imageId}/labels ` +
          "adding it: is the search index (the stack's SearchTableName) written?",
      );
    }
    await pause(ports);
  }
}

async function rendition(ports: SmokePorts, state: State): Promise<string> {
  const imageId = state.imageId as string;
  const presets = Object.entries(state.image?.renditions ?? {});
  const [preset, signed] = presets.find(([name]) => name === 'card') ?? presets[0] ?? [];
  if (!preset || !signed) {
    throw new StepFailure(
      `GET /images/${imageId} answered no rendition URLs: are presets configured (renditionPresets)?`,
    );
  }
  let response: Response;
  try {
    const timeout = AbortSignal.timeout(ports.timeoutMs);
    response = await ports.fetch(signed.url, {
      signal: ports.signal ? AbortSignal.any([timeout, ports.signal]) : timeout,
    });
  } catch (error) {
    throw new StepFailure(`the ${preset} rendition at ${safeOrigin(signed.url)} did not answer: ${reasonOf(error)}`);
  }
  const body = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const what = `the ${preset} rendition (${safeOrigin(signed.url)})`;
  if (response.status !== 200) {
    const hint =
      response.status === 403
        ? 'its signature was refused: do the API and the render function read the same signing secret?'
        : response.status >= 500
          ? "see the render function's logs"
          : "see the stack's RenditionsUrl and docs/renditions.md";
    throw new StepFailure(`${what} answered ${response.status} ${body.toString('utf8', 0, 200)}: ${hint}`);
  }
  if (!type.startsWith('image/'))
    throw new StepFailure(`${what} answered 200 with content-type ${type || 'none'}, not an image`);
  return `${preset}: 200 ${type}, ${body.length} bytes`;
}

async function remove(ports: SmokePorts, state: State): Promise<string> {
  const imageId = state.imageId as string;
  // For good: a smoke test leaves nothing behind, not even in the trash.
  await ports.api.delete(imageId, { permanently: true });
  state.deletedBy = 'step';
  const after = await ports.api.get(imageId);
  if (after) throw new StepFailure(`GET /images/${imageId} still answers the image (${after.status}) after DELETE`);
  return `DELETE /images/${imageId} answered; GET now answers 404`;
}

/** Remove the subscriber, and the probe image unless the delete step did; answers what is left behind. */
async function cleanUp(ports: SmokePorts, state: State): Promise<string[]> {
  const left: string[] = [];
  if (state.imageId && !state.deletedBy) {
    try {
      await ports.api.delete(state.imageId, { permanently: true });
      state.deletedBy = 'cleanup';
    } catch (error) {
      // A 404: it is gone already, nothing is left.
      if (!(error instanceof ApiError && error.status === 404))
        left.push(`probe image ${state.imageId} (${apiErrorText(error)}; DELETE /images/${state.imageId})`);
    }
  }
  left.push(...(await ports.subscriber.close()));
  return left;
}

function cleanupText(state: State): string {
  const image = state.deletedBy === 'cleanup' ? `; probe image ${state.imageId} deleted` : '';
  return `subscriber removed (the rule's target, the rule, the queue)${image}`;
}

/** The reason on a FAIL line: the step's own words, or the API's answer with what to look at. */
function failureText(error: unknown, ports: SmokePorts): string {
  if (error instanceof StepFailure) return error.message;
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    return `${apiErrorText(error)}: check --token/--api-key${ports.authHint ? ` (${ports.authHint})` : ''}`;
  }
  return apiErrorText(error);
}

/** Waits between polls; on Ctrl-C, ends the step. */
async function pause(ports: SmokePorts): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ports.pollMs ?? 500));
  if (ports.signal?.aborted) throw new StepFailure(INTERRUPTED);
}
