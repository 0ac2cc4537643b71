import type { Readable } from 'node:stream';
import { parseJsonOrUndefined } from '../../core/json';
import {
  planSource,
  type Rendered,
  RenderTimeoutError,
  RenditionError,
  renderImage,
  type SourcePlan,
} from '../../core/render';
import type { OutputFormat, RenditionSpec, Watermark } from '../../core/rendition';
import type { RenditionLimits } from '../../core/rendition-spec';
import { ifNoneMatchHolds, renditionEtag } from '../../renditions/cache-headers';
import { canonicalQuery, negotiateFormat, renditionKey, renditionVersion, specFromQuery } from '../../renditions/query';
import { verifyRendition } from '../../renditions/signing';
import type { SigningKeySet } from '../../renditions/signing-keys';
import { checkRenderable } from '../../renditions/spec';
import { renderableImage } from '../../renditions/urls';
import type { RenditionPresets } from '../../settings/renditions';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../../shared/errors';
import type { ImageItem } from '../../store/image-item';
import type { ImageStore } from '../../store/image-store';
import { thumbnailKey } from '../../store/keys';

/** A rendition request as the function URL hands it over (CloudFront has already sorted the query). */
export interface RenditionRequest {
  /** `/<imageId>`. */
  path: string;
  /** The raw query string: the spec, `exp`, `kid` and `sig`. */
  rawQuery: string;
  /** The client's Accept header, or the format CloudFront negotiated from it (`x-rendition-format`). */
  accept?: string;
  /** How long a render may take before it gives up: what is left of the invocation, less time to answer. */
  timeLimitMs?: number;
  /** The entity tags a cache holds for this URL (CloudFront's revalidation of an expired copy): a 304 if one is it. */
  ifNoneMatch?: string;
}

/** A rendition's bytes: a stored object streamed as it is read, or one just made. */
export interface RenditionBody {
  body: Readable | Buffer;
  contentType: string;
  contentLength?: number;
}

/** The bucket, as far as renditions need it. */
export interface RenditionObjects {
  /** The whole object, or undefined when there is none; in `bucket` (a backfilled original's own) when given. */
  read(key: string, bucket?: string): Promise<Buffer | undefined>;
  /** The object as a stream (a stored rendition, which may be larger than a response can buffer), or undefined. */
  open(key: string): Promise<RenditionBody | undefined>;
  write(key: string, data: Buffer, contentType: string): Promise<void>;
}

export interface RenderDeps {
  store: Pick<ImageStore, 'get'>;
  objects: RenditionObjects;
  /** The signing key set, cached (the secret is read at most every few minutes). */
  keys(): Promise<SigningKeySet>;
  /** A configured watermark by name, resolved to what the renderer draws. */
  watermark(name: string): Promise<Watermark>;
  now(): Date;
}

export interface RenderConfig {
  limits: RenditionLimits;
  presets: RenditionPresets;
  /** Sources with more pixels are refused from their header (the `maxPixels` setting). */
  maxPixels: number;
  /**
   * The longest a URL this deployment issues lives (`renditionUrlTtlSeconds` + the expiry window): a URL expiring
   * later was not issued by the API, which bounds what a leaked retired key could sign.
   */
  maxLifetimeSeconds: number;
}

export interface RenditionResult extends RenditionBody {
  format: OutputFormat;
  /** Unix seconds the URL stops being valid: how long the answer may be cached. */
  expires: number;
  /** Made by this request (false: read from the bucket, made earlier, or made by a request it waited for). */
  rendered: boolean;
  /** The rendition's entity tag (renditions/cache-headers.ts), which a cache revalidates its copy with. */
  etag: string;
}

/** The copy the cache holds is this rendition, and the image is still there: a 304, nothing read from the bucket. */
export interface NotModified {
  notModified: true;
  etag: string;
  /** Unix seconds the URL stops being valid. */
  expires: number;
}

/**
 * One rendition:
 * 1. verify the URL's signature and expiry (403), then read its spec (400 for anything outside the limits);
 * 2. read the image's record: 404 when there is none, 409 unless it is PROCESSED; check the spec against its size
 *    and the render work budget (400: a URL signed before the budget was lowered);
 * 3. settle the format (`auto`: the best the client accepts) and so the rendition's key, `renditions/<id>/<hash>`;
 *    a cache revalidating its copy of that key (`If-None-Match` holds its tag) gets a 304, nothing read from the
 *    bucket: so a cached rendition lives only while its image does;
 * 4. answer the stored rendition when there is one (streamed: no response-size ceiling), or the stored reason an
 *    earlier render gave up (503) while it holds;
 * 5. else render it from the smallest stored source that is big enough (a thumbnail, or the original with
 *    shrink-on-load) within `timeLimitMs`, store it for every other edge location, and answer it.
 */
export async function renderRendition(
  request: RenditionRequest & { ifNoneMatch?: undefined },
  config: RenderConfig,
  deps: RenderDeps,
): Promise<RenditionResult>;
/** With `ifNoneMatch`, the answer may be that the cache's copy is still good. */
export async function renderRendition(
  request: RenditionRequest,
  config: RenderConfig,
  deps: RenderDeps,
): Promise<RenditionResult | NotModified>;
export async function renderRendition(
  request: RenditionRequest,
  config: RenderConfig,
  deps: RenderDeps,
): Promise<RenditionResult | NotModified> {
  const now = deps.now();
  const verified = verifyRendition(request.path, request.rawQuery, await deps.keys(), now, {
    maxLifetimeSeconds: config.maxLifetimeSeconds,
  });
  const spec = specFromQuery(verified.query, config.limits, config.presets);
  // Only the API signs, and it signs canonical queries: anything else is a signer's bug, not a second spelling.
  if (canonicalQuery(spec) !== verified.query) {
    throw new BadRequestError(
      `query: not the canonical spelling of this rendition (${canonicalQuery(spec) || 'empty'})`,
    );
  }
  const item = await deps.store.get(verified.imageId);
  if (!item) throw new NotFoundError(`image ${verified.imageId} not found`);
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  const image = renderableImage(item);
  if (!image || !analysis) {
    throw new ConflictError(`image ${item.imageId} is ${item.status}: only a PROCESSED image has renditions`);
  }
  const { hasAlpha } = analysis.metadata;
  checkRenderable(spec, image, config.limits);
  const format = negotiateFormat(spec.format, request.accept, config.limits.formats, hasAlpha);
  const key = renditionKey(
    item.imageId,
    spec,
    format,
    renditionVersion({ sha256: analysis.hashes.sha256, analysisVersion: analysis.analysisVersion }),
  );
  const etag = renditionEtag(key);
  if (ifNoneMatchHolds(request.ifNoneMatch, etag)) return { notModified: true, etag, expires: verified.expires };

  const joined = inFlight.get(key);
  const outcome = await (joined ?? lookUpOrRender(key, item, spec, format, request, config, deps));
  if (outcome.kind === 'stored') {
    // The stored copy's stream is the first request's; one that joined it reads its own.
    const stored = joined ? await deps.objects.open(key) : outcome.stored;
    if (stored && !isFailure(stored)) return { ...stored, format, expires: verified.expires, rendered: false, etag };
    throw new NotFoundError(`rendition of image ${item.imageId} is gone: ask again`);
  }
  const { rendered } = outcome;
  return {
    body: rendered.data,
    contentType: rendered.contentType,
    contentLength: rendered.data.length,
    format,
    expires: verified.expires,
    rendered: joined === undefined,
    etag,
  };
}

type LookUp = { kind: 'stored'; stored: RenditionBody } | { kind: 'rendered'; rendered: Rendered };

/**
 * Looks a key up in the bucket and renders it on a miss, at most once at a time in this process: a request for a
 * key already being looked up or rendered waits for that (the local runner, which serves every request in one
 * process; a Lambda instance serves one at a time, and CloudFront collapses simultaneous misses of one cache key).
 * The look-up is part of it: a request whose own look-up missed just before another's render was stored would
 * render a second time. The result is stored before anyone gets it, and a render that gives up stores why, so the
 * next request answers that instead of rendering again (FAILURE_TYPE).
 */
function lookUpOrRender(
  key: string,
  item: ImageItem,
  spec: RenditionSpec,
  format: OutputFormat,
  request: RenditionRequest,
  config: RenderConfig,
  deps: RenderDeps,
): Promise<LookUp> {
  const work = (async (): Promise<LookUp> => {
    try {
      const stored = await deps.objects.open(key);
      if (stored && !isFailure(stored)) return { kind: 'stored', stored };
      if (stored) await answerFailure(stored, deps.now());
      const rendered = await render(item, spec, format, request.timeLimitMs, config, deps);
      await deps.objects.write(key, rendered.data, rendered.contentType);
      return { kind: 'rendered', rendered };
    } catch (error) {
      if (!(error instanceof RenderTimeoutError)) throw error;
      const until = new Date(deps.now().getTime() + FAILURE_KEPT_SECONDS * 1000).toISOString();
      const failure = JSON.stringify({ message: error.message, until });
      await deps.objects.write(key, Buffer.from(failure), FAILURE_TYPE);
      throw new RenderGaveUpError(gaveUpMessage(error.message, until));
    } finally {
      inFlight.delete(key);
    }
  })();
  inFlight.set(key, work);
  return work;
}

const inFlight = new Map<string, Promise<LookUp>>();

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

function isFailure(stored: RenditionBody): boolean {
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

/** Render from the source the plan picks; a source that has gone missing is the original's job after all. */
async function render(
  item: ImageItem,
  spec: RenditionSpec,
  format: OutputFormat,
  timeLimitMs: number | undefined,
  config: RenderConfig,
  deps: RenderDeps,
): Promise<Rendered> {
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  if (!analysis) throw new ConflictError(`image ${item.imageId} has no analysis`);
  const { width, height, isAnimated } = analysis.metadata;
  const plan = planSource(spec, {
    width,
    height,
    thumbnails: analysis.thumbnails.map(({ size, width: w, height: h }) => ({ size, width: w, height: h })),
  });
  const original = () => deps.objects.read(item.key, item.sourceBucket);
  const input =
    (plan.source === 'thumbnail' ? await deps.objects.read(sourceKey(item, plan)) : undefined) ?? (await original());
  if (!input) throw new NotFoundError(`image ${item.imageId} has no stored original`);
  return renderImage(input, spec, {
    format,
    image: { width, height, animated: isAnimated },
    faces: item.vision?.faces.map(({ box, confidence }) => ({ ...box, confidence })),
    objects: item.vision?.objects.map(({ box, confidence }) => ({ ...box, confidence })),
    watermark: spec.watermark === undefined ? undefined : await deps.watermark(spec.watermark),
    maxInputPixels: config.maxPixels,
    timeLimitMs,
  });
}

function sourceKey(item: ImageItem, plan: SourcePlan & { source: 'thumbnail' }): string {
  return item.thumbnails?.[String(plan.size)] ?? thumbnailKey(item.imageId, plan.size);
}

export { RenditionError };
