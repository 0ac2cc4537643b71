import { RenditionError } from '../../../core/render/render';
import type { OutputFormat, RenditionSpec } from '../../../core/render/rendition';
import { BadRequestError, ConflictError, NotFoundError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import { ifNoneMatchHolds, renditionEtag } from '../../cache-headers';
import { isPublicPath, publicAddress } from '../../public';
import { canonicalQuery, negotiateFormat, renditionKey, renditionVersion, specFromQuery } from '../../query';
import { verifyRendition } from '../../signing';
import { checkRenderable } from '../../spec';
import { renderableImage } from '../../urls';
import type { RenderConfig, RenderDeps, RenditionBody } from './deps';
import { gpsOf, isFailure, isInFlight, lookUpOrRender, type StoreOutcome, sourceTypeOf } from './look-up';

/** A rendition request as the function URL hands it over (CloudFront has already sorted the query). */
export interface RenditionRequest {
  /** `/<imageId>` (a signed URL), or `/<imageId>/<preset>.<ext>` (a public preset's, renditions/public.ts). */
  path: string;
  /** The raw query string: the spec, `exp`, `kid` and `sig`; none for a public preset's URL. */
  rawQuery: string;
  /** The client's Accept header, or the format CloudFront negotiated from it (`x-rendition-format`). */
  accept?: string;
  /** How long a render may take before it gives up: what is left of the invocation, less time to answer. */
  timeLimitMs?: number;
  /** The entity tags a cache holds for this URL (CloudFront's revalidation of an expired copy): a 304 if one is it. */
  ifNoneMatch?: string;
}

export interface RenditionResult extends RenditionBody {
  format: OutputFormat;
  /** Unix seconds the URL stops being valid, which bounds how long the answer may be cached; none for a public one. */
  expires?: number;
  /** Made by this request (false: read from the bucket, made earlier, or made by a request it waited for). */
  rendered: boolean;
  /** The rendition's entity tag (renditions/cache-headers.ts), which a cache revalidates its copy with. */
  etag: string;
  /**
   * A rendition made by this request is answered before it is stored: this settles when the store is done or has
   * failed, and never rejects. Wait for it before the invocation ends, or the rendition may never be stored.
   */
  store?: Promise<StoreOutcome>;
}

/** The copy the cache holds is this rendition, and the image is still there: a 304, nothing read from the bucket. */
export interface NotModified {
  notModified: true;
  etag: string;
  /** Unix seconds the URL stops being valid; none for a public one. */
  expires?: number;
}

/**
 * One rendition:
 * 1. verify the URL's signature and expiry (403), then read its spec (400 for anything outside the limits); or, for
 *    a public preset's URL, find the public preset its path names (404 for any other path, 400 for any query);
 * 2. read the image's record: 404 when there is none, 409 unless it is PROCESSED; check the spec against its size
 *    and the render work budget (400: a URL signed before the budget was lowered);
 * 3. settle the format (`auto`: the best the client accepts) and so the rendition's key, `renditions/<id>/<hash>`;
 *    a cache revalidating its copy of that key (`If-None-Match` holds its tag) gets a 304, nothing read from the
 *    bucket: so a cached rendition lives only while its image does;
 * 4. answer the stored rendition when there is one (streamed: no response-size ceiling), or the stored reason an
 *    earlier render gave up (503) while it holds;
 * 5. else render it from the smallest stored source that is big enough (a thumbnail, or the original with
 *    shrink-on-load; read while step 4 looks, `look-up.ts`) within `timeLimitMs`, and answer it while it is being
 *    stored for every other edge location (`store`).
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
  const { imageId, spec, expires } = await addressOf(request, config, deps);
  const item = await readRecord(imageId, deps);
  if (!item) throw new NotFoundError(`image ${imageId} not found`);
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
    renditionVersion({
      sha256: analysis.hashes.sha256,
      analysisVersion: analysis.analysisVersion,
      blurred: item.moderationPolicy?.blurred,
      gps: gpsOf(item, config),
      rotation: item.rotationApplied,
      digitalSourceType: sourceTypeOf(item, config),
    }),
  );
  const etag = renditionEtag(key);
  if (ifNoneMatchHolds(request.ifNoneMatch, etag)) return { notModified: true, etag, expires };

  const joining = isInFlight(key);
  const outcome = await lookUpOrRender({ key, item, spec, format, timeLimitMs: request.timeLimitMs }, config, deps);
  if (outcome.kind === 'stored') {
    // The stored copy's stream is the first request's; one that joined it reads its own.
    const stored = joining ? await deps.objects.open(key) : outcome.stored;
    if (stored && !isFailure(stored)) return { ...stored, format, expires, rendered: false, etag };
    throw new NotFoundError(`rendition of image ${item.imageId} is gone: ask again`);
  }
  const { rendered } = outcome;
  return {
    body: rendered.data,
    contentType: rendered.contentType,
    contentLength: rendered.data.length,
    format,
    expires,
    rendered: !joining,
    etag,
    // Only the request that rendered waits for the store; one that joined it has nothing of its own to wait for.
    store: joining ? undefined : outcome.store,
  };
}

/** What a URL names: the image, the spec, and when the URL expires (a signed one; a public one does not). */
interface RenditionAddress {
  imageId: string;
  spec: RenditionSpec;
  expires?: number;
}

/**
 * A public preset's URL as renditions/public.ts reads it (no signature, no key read), or a signed URL's image and
 * spec once its signature and expiry are good (403) and its spec is canonical (400).
 */
async function addressOf(request: RenditionRequest, config: RenderConfig, deps: RenderDeps): Promise<RenditionAddress> {
  if (isPublicPath(request.path)) {
    return publicAddress(request.path, request.rawQuery, config.presets, config.limits);
  }
  const verified = verifyRendition(request.path, request.rawQuery, await deps.keys(), deps.now(), {
    maxLifetimeSeconds: config.maxLifetimeSeconds,
  });
  const spec = specFromQuery(verified.query, config.limits, config.presets);
  // Only the API signs, and it signs canonical queries: anything else is a signer's bug, not a second spelling.
  if (canonicalQuery(spec) !== verified.query) {
    throw new BadRequestError(
      `query: not the canonical spelling of this rendition (${canonicalQuery(spec) || 'empty'})`,
    );
  }
  return { imageId: verified.imageId, spec, expires: verified.expires };
}

/**
 * The image's record, read once for all the requests that ask for it at the same moment (the local runner serves
 * a page's renditions in one process). Nothing is kept once read: a Lambda instance serves one request at a time,
 * and a record kept across requests would answer for an image deleted or analysed again since.
 */
function readRecord(imageId: string, deps: RenderDeps): Promise<ImageItem | undefined> {
  const pending = reading.get(imageId);
  if (pending) return pending;
  const read = deps.store.get(imageId).finally(() => reading.delete(imageId));
  reading.set(imageId, read);
  return read;
}

const reading = new Map<string, Promise<ImageItem | undefined>>();

export type { RenderConfig, RenderDeps, RenditionBody, RenditionObjects } from './deps';
export { FAILURE_TYPE, RenderGaveUpError } from './look-up';
export { RenditionError };
