import { RenditionError } from '../../../core/render/render';
import type { OutputFormat, RenditionSpec } from '../../../core/render/rendition';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../../shared/errors';
import { assertOpen } from '../../../shares/share';
import type { ImageItem } from '../../../store/image-item';
import { ifNoneMatchHolds, renditionEtag } from '../../cache-headers';
import { isPublicPath, publicAddress } from '../../public';
import { canonicalQuery, negotiateFormat, renditionKey, renditionVersion, specFromQuery } from '../../query';
import { type RenditionShareScope, verifyRendition } from '../../signing';
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
  /** Handed out by a share link: cached briefly (SHARED_CACHE_SECONDS), so a revoke reaches the edge's copies. */
  shared?: boolean;
  /**
   * A rendition made by this request is answered before it is stored: this settles when the store is done or has
   * failed, and never rejects. Wait for it before the invocation ends, or the rendition may never be stored.
   */
  store?: Promise<StoreOutcome>;
}

/** A share link's original: where to fetch it, presigned for a moment, once the link was found open and allowing it. */
export interface Redirect {
  redirect: string;
}

/** How long the presigned GET a link's download redirects to lives: long enough to start, no longer. */
export const SHARED_DOWNLOAD_SECONDS = 30;

/** The copy the cache holds is this rendition, and the image is still there: a 304, nothing read from the bucket. */
export interface NotModified {
  notModified: true;
  etag: string;
  shared?: boolean;
  /** Unix seconds the URL stops being valid; none for a public one. */
  expires?: number;
}

/**
 * One rendition:
 * 1. verify the URL's signature and expiry (403), then read its spec (400 for anything outside the limits); or, for
 *    a public preset's URL, find the public preset its path names (404 for any other path, 400 for any query);
 * 2. a URL a share link handed out: the link must be open (404 unknown, 410 revoked or expired: checked here on every
 *    request that reaches the origin, a 304 too) and the image still its owner's and PROCESSED (404); what it renders
 *    carries no metadata whatever the deployment keeps (no GPS, no source type); its original (`download`, if the
 *    link allows it, else 403) is a redirect to a GET presigned for SHARED_DOWNLOAD_SECONDS;
 *    read the image's record: 404 when there is none, 409 unless it is PROCESSED; check the spec against its size
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
  const answer = await answerRendition(request, config, deps);
  if ('redirect' in answer) throw new BadRequestError("a share link's download is answered by answerRendition");
  return answer;
}

/** renderRendition, or for a share link's download URL, where its original is (the function URL's handler). */
export async function answerRendition(
  request: RenditionRequest,
  config: RenderConfig,
  deps: RenderDeps,
): Promise<RenditionResult | NotModified | Redirect> {
  const { imageId, spec, expires, share, locked } = await addressOf(request, config, deps);
  if (share) return renderShared(request, { imageId, spec, expires, share }, config, deps);
  return renderOf(request, { imageId, spec, expires, locked }, await readRecord(imageId, deps), config, deps);
}

/** Step 2 for a link's URL: the link open, the image its owner's, no metadata; or its original's redirect. */
async function renderShared(
  request: RenditionRequest,
  address: RenditionAddress & { share: RenditionShareScope },
  config: RenderConfig,
  deps: RenderDeps,
): Promise<RenditionResult | NotModified | Redirect> {
  const { shares } = deps;
  if (!shares) throw new ForbiddenError('share: share links are not served here');
  const [link, item] = await Promise.all([shares.links.get(address.share.hash), readRecord(address.imageId, deps)]);
  if (!link) throw new NotFoundError('share link not found');
  assertOpen(link, deps.now());
  // Given to another owner, trashed or deleted since: no longer the link's to show (a 404 that names nothing).
  if (!item || item.owner !== link.owner || item.status !== 'PROCESSED') throw new NotFoundError('photo not found');
  if (address.share.download) {
    if (!link.allowDownload) throw new ForbiddenError('this share link does not allow downloading originals');
    const extension = /\.[A-Za-z0-9]{1,5}$/.exec(item.key)?.[0] ?? '';
    const name = `${request.path.slice(1)}${extension}`;
    const options = { bucket: item.sourceBucket, seconds: SHARED_DOWNLOAD_SECONDS, filename: name };
    return { redirect: await shares.presignDownload(item.key, options) };
  }
  const bare = { ...config, keepGps: false, keepDigitalSourceType: false };
  return renderOf(request, address, item, bare, deps, true);
}

async function renderOf(
  request: RenditionRequest,
  { imageId, spec, expires, locked }: RenditionAddress,
  item: ImageItem | undefined,
  config: RenderConfig,
  deps: RenderDeps,
  shared = false,
): Promise<RenditionResult | NotModified> {
  if (!item) throw new NotFoundError(`image ${imageId} not found`);
  // In the locked folder: only a URL signed for it (`lk`, handed out with an unlock token) shows it, so one issued
  // before the lock, a public preset's and a share link's stop at the next request that reaches here (a 304 too).
  if (item.locked === true && !locked) {
    throw new ForbiddenError(
      `image ${imageId} is locked: send X-Unlock-Token to GET /images/{id} for a URL that shows it`,
    );
  }
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
      crop: item.cropApplied,
      digitalSourceType: sourceTypeOf(item, config),
    }),
  );
  const etag = renditionEtag(key, shared);
  if (ifNoneMatchHolds(request.ifNoneMatch, etag))
    return { notModified: true, etag, expires, ...(shared && { shared }) };

  const joining = isInFlight(key);
  const outcome = await lookUpOrRender({ key, item, spec, format, timeLimitMs: request.timeLimitMs }, config, deps);
  if (outcome.kind === 'stored') {
    // The stored copy's stream is the first request's; one that joined it reads its own.
    const stored = joining ? await deps.objects.open(key) : outcome.stored;
    if (stored && !isFailure(stored)) {
      return { ...stored, format, expires, rendered: false, etag, ...(shared && { shared }) };
    }
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
    ...(shared && { shared }),
    // Only the request that rendered waits for the store; one that joined it has nothing of its own to wait for.
    store: joining ? undefined : outcome.store,
  };
}

/** What a URL names: the image, the spec, and when the URL expires (a signed one; a public one does not). */
interface RenditionAddress {
  imageId: string;
  spec: RenditionSpec;
  expires?: number;
  /** The share link that handed the URL out. */
  share?: RenditionShareScope;
  /** Signed for a photo in the locked folder (`lk`). */
  locked?: boolean;
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
  return {
    imageId: verified.imageId,
    spec,
    expires: verified.expires,
    ...(verified.share && { share: verified.share }),
    ...(verified.locked && { locked: true }),
  };
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
