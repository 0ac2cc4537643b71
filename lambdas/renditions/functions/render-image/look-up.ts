import type { Readable } from 'node:stream';
import type { Crop } from '../../../core/crop';
import { parseJsonOrUndefined } from '../../../core/json';
import type { Rotation } from '../../../core/options';
import type { Position } from '../../../core/place';
import { planSource, type Rendered, RenderTimeoutError, renderImage } from '../../../core/render/render';
import type { OutputFormat, RenditionSpec } from '../../../core/render/rendition';
import { digitalSourceTypeUri } from '../../../provenance/digital-source-types';
import { AppError, ConflictError, NotFoundError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import { storedCopies } from '../../stored-copies';
import type { RenderConfig, RenderDeps, RenditionBody } from './deps';

/** How the store of a rendition just made went: it never rejects, so it cannot turn a good answer into an error. */
export type StoreOutcome = { stored: true } | { stored: false; error: Error };

export type LookUp =
  | { kind: 'stored'; stored: RenditionBody }
  | { kind: 'rendered'; rendered: Rendered; store: Promise<StoreOutcome> };

/** What a look-up needs to know of the request: the record it was made from, and how long a render may take. */
export interface LookUpRequest {
  key: string;
  item: ImageItem;
  spec: RenditionSpec;
  format: OutputFormat;
  timeLimitMs?: number;
}

/**
 * Looks a key up in the bucket and renders it on a miss, at most once at a time in this process: a request for a
 * key already being looked up, rendered or stored waits for that (the local runner serves every request in one
 * process; a Lambda instance serves one at a time, and CloudFront collapses simultaneous misses of one cache key).
 *
 * On a miss nothing waits that need not: the source is read while the stored copy is looked up (unless the record
 * says the rendition is stored, as for an eager preset), and that read is stopped when the look-up finds it. A new
 * rendition is answered as soon as it is made; its store runs on (`store`), and the caller waits for it before the
 * invocation ends. A render that gives up stores why before answering, so the next request answers that instead of
 * rendering again (FAILURE_TYPE).
 */
export function lookUpOrRender(request: LookUpRequest, config: RenderConfig, deps: RenderDeps): Promise<LookUp> {
  const { key } = request;
  const joined = inFlight.get(key);
  if (joined) return joined;
  const work = lookUp(request, config, deps);
  inFlight.set(key, work);
  // Held until the store is done: a request arriving meanwhile joins this one rather than render again.
  work
    .then((outcome) => (outcome.kind === 'rendered' ? outcome.store : undefined))
    .catch(() => undefined)
    .finally(() => inFlight.delete(key));
  return work;
}

/** Whether a request for `key` is being looked up or rendered in this process (it would join that). */
export const isInFlight = (key: string): boolean => inFlight.has(key);

const inFlight = new Map<string, Promise<LookUp>>();

async function lookUp(request: LookUpRequest, config: RenderConfig, deps: RenderDeps): Promise<LookUp> {
  const { key, item } = request;
  const reading = new AbortController();
  const storedKnown = Object.values(item.eagerRenditions ?? {}).includes(key);
  const source = storedKnown ? undefined : settled(readSource(request, deps, reading.signal));
  try {
    const stored = await deps.objects.open(key);
    if (stored && !isFailure(stored)) {
      // Found: the source is not needed after all, and its read stops where it is.
      reading.abort();
      return { kind: 'stored', stored };
    }
    if (stored) await answerFailure(stored, deps.now());
    const input = source ? unwrap(await source) : await readSource(request, deps);
    const rendered = await render(input.bytes, input, request, config, deps);
    return { kind: 'rendered', rendered, store: store(deps, key, rendered) };
  } catch (error) {
    reading.abort();
    if (!(error instanceof RenderTimeoutError)) throw error;
    const until = new Date(deps.now().getTime() + FAILURE_KEPT_SECONDS * 1000).toISOString();
    const failure = JSON.stringify({ message: error.message, until });
    await deps.objects.write(key, Buffer.from(failure), FAILURE_TYPE);
    throw new RenderGaveUpError(gaveUpMessage(error.message, until));
  }
}

function store(deps: RenderDeps, key: string, rendered: Rendered): Promise<StoreOutcome> {
  return deps.objects.write(key, rendered.data, rendered.contentType).then(
    (): StoreOutcome => ({ stored: true }),
    (error: unknown): StoreOutcome => ({
      stored: false,
      error: error instanceof Error ? error : new Error(String(error)),
    }),
  );
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise started early, whose failure is only an error if it is awaited (a read stopped after a hit is not). */
function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(result: Settled<T>): T {
  if (result.ok) return result.value;
  throw result.error;
}

/**
 * What a render that gave up leaves at its rendition's key, in place of the image: the next request for it
 * answers the same 503 without rendering again, until `until`; then it is tried again (the machine may have been
 * slow). A URL that keeps failing costs one render an hour, whatever it is sent.
 */
export const FAILURE_TYPE = 'application/vnd.image-intel.render-failure+json';
const FAILURE_KEPT_SECONDS = 3600;

/** The render gave up before the function's timeout: a 503 CloudFront keeps briefly, never a 502 after 30 s. */
export class RenderGaveUpError extends AppError {
  override readonly statusCode = 503;
}

function gaveUpMessage(message: string, until: string): string {
  return `${message}; this rendition is not tried again before ${until}: ask for a smaller output, a lower q or fewer filters`;
}

export function isFailure(stored: RenditionBody): boolean {
  return stored.contentType === FAILURE_TYPE;
}

/** Throws the stored failure while it holds; returns when it has lapsed, for the caller to render again. */
async function answerFailure(stored: RenditionBody, now: Date): Promise<void> {
  const text = Buffer.isBuffer(stored.body) ? stored.body.toString('utf8') : await readAll(stored.body);
  const failure = parseJsonOrUndefined(text) as { message?: unknown; until?: unknown } | undefined;
  const until = typeof failure?.until === 'string' ? Date.parse(failure.until) : Number.NaN;
  if (!(until > now.getTime())) return;
  throw new RenderGaveUpError(gaveUpMessage(String(failure?.message ?? 'the render gave up'), String(failure?.until)));
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The record's analysis, which every rendition is made from. */
function analysisOf(item: ImageItem) {
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  if (!analysis) throw new ConflictError(`image ${item.imageId} has no analysis`);
  return analysis;
}

/**
 * The smallest stored source big enough for the spec; a copy that has gone missing is the original's job after all.
 * With the turn and crop it is still to be given: the original's are its owner's, a stored copy's none (made so).
 */
async function readSource(
  { item, spec }: LookUpRequest,
  deps: RenderDeps,
  signal?: AbortSignal,
): Promise<{ bytes: Buffer; turn: Rotation; crop?: Crop }> {
  const { metadata, thumbnails } = analysisOf(item);
  const copies = storedCopies(item, thumbnails);
  const plan = planSource(spec, { width: metadata.width, height: metadata.height, thumbnails: copies });
  const copy = plan.source === 'thumbnail' ? await deps.objects.read(plan.copy.key, { signal }) : undefined;
  if (copy) return { bytes: copy, turn: 0 };
  const original = await deps.objects.read(item.key, { bucket: item.sourceBucket, signal });
  if (!original) throw new NotFoundError(`image ${item.imageId} has no stored original`);
  return { bytes: original, turn: item.rotationApplied ?? 0, crop: item.cropApplied };
}

async function render(
  input: Buffer,
  { turn, crop }: { turn: Rotation; crop?: Crop },
  { item, spec, format, timeLimitMs }: LookUpRequest,
  config: RenderConfig,
  deps: RenderDeps,
): Promise<Rendered> {
  const { width, height, isAnimated } = analysisOf(item).metadata;
  return renderImage(input, spec, {
    format,
    image: { width, height, animated: isAnimated },
    faces: item.vision?.faces.map(({ box, confidence }) => ({ ...box, confidence })),
    objects: item.vision?.objects.map(({ box, confidence }) => ({ ...box, confidence })),
    watermark: spec.watermark === undefined ? undefined : await deps.watermark(spec.watermark),
    maxInputPixels: config.maxPixels,
    // Its owner's moderation policy blurs it: every rendition, public presets included (lambdas/policy).
    censor: item.moderationPolicy?.blurred === true,
    timeLimitMs,
    gps: gpsOf(item, config),
    digitalSourceType: sourceTypeOf(item, config),
    turn,
    crop,
  });
}

/** The position a rendition of `item` carries: its record's, with `renditionsKeepGps` on; else none. */
export function gpsOf(item: ImageItem, config: Pick<RenderConfig, 'keepGps'>): Position | undefined {
  return config.keepGps ? item.position : undefined;
}

/**
 * The IPTC digital source type a rendition of `item` declares: its record's (`provenance`, read from the original at
 * ingest), with `renditionsKeepDigitalSourceType` on and when it is a term of IPTC's list; else none.
 */
export function sourceTypeOf(item: ImageItem, config: Pick<RenderConfig, 'keepDigitalSourceType'>): string | undefined {
  return config.keepDigitalSourceType ? digitalSourceTypeUri(item.provenance?.digitalSourceType) : undefined;
}
