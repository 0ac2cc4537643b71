import type { Readable } from 'node:stream';
import { planSource, type Rendered, RenditionError, renderImage, type SourcePlan } from '../../core/render';
import type { OutputFormat, RenditionSpec, Watermark } from '../../core/rendition';
import type { RenditionLimits } from '../../core/rendition-spec';
import { negotiateFormat, renditionKey, specFromQuery } from '../../renditions/query';
import { verifyRendition } from '../../renditions/signing';
import type { SigningKeySet } from '../../renditions/signing-keys';
import { checkAgainstImage } from '../../renditions/spec';
import type { RenditionPresets } from '../../settings/renditions';
import { ConflictError, NotFoundError } from '../../shared/errors';
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
}

/** A rendition's bytes: a stored object streamed as it is read, or one just made. */
export interface RenditionBody {
  body: Readable | Buffer;
  contentType: string;
  contentLength?: number;
}

/** The bucket, as far as renditions need it. */
export interface RenditionObjects {
  /** The whole object, or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
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
  /** Made by this request (false: read from the bucket, made earlier). */
  rendered: boolean;
}

/**
 * One rendition:
 * 1. verify the URL's signature and expiry (403), then read its spec (400 for anything outside the limits);
 * 2. read the image's record: 404 when there is none, 409 unless it is PROCESSED; check the spec against its size;
 * 3. settle the format (`auto`: the best the client accepts) and so the rendition's key, `renditions/<id>/<hash>`;
 * 4. answer the stored rendition when there is one (streamed: no response-size ceiling);
 * 5. else render it from the smallest stored source that is big enough (a thumbnail, or the original with
 *    shrink-on-load), store it for every other edge location, and answer it.
 */
export async function renderRendition(
  request: RenditionRequest,
  config: RenderConfig,
  deps: RenderDeps,
): Promise<RenditionResult> {
  const now = deps.now();
  const verified = verifyRendition(request.path, request.rawQuery, await deps.keys(), now, {
    maxLifetimeSeconds: config.maxLifetimeSeconds,
  });
  const spec = specFromQuery(verified.query, config.limits, config.presets);
  const item = await deps.store.get(verified.imageId);
  if (!item) throw new NotFoundError(`image ${verified.imageId} not found`);
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  if (item.status !== 'PROCESSED' || !analysis) {
    throw new ConflictError(`image ${item.imageId} is ${item.status}: only a PROCESSED image has renditions`);
  }
  const { width, height, hasAlpha, isAnimated } = analysis.metadata;
  checkAgainstImage(spec, width, height, { animated: isAnimated, maxSide: config.limits.maxSide });
  const format = negotiateFormat(spec.format, request.accept, config.limits.formats, hasAlpha);
  const key = renditionKey(item.imageId, spec, format, analysis.hashes.sha256);

  const stored = await deps.objects.open(key);
  if (stored) return { ...stored, format, expires: verified.expires, rendered: false };

  const rendered = await render(item, spec, format, config, deps);
  await deps.objects.write(key, rendered.data, rendered.contentType);
  return {
    body: rendered.data,
    contentType: rendered.contentType,
    contentLength: rendered.data.length,
    format,
    expires: verified.expires,
    rendered: true,
  };
}

/** Render from the source the plan picks; a source that has gone missing is the original's job after all. */
async function render(
  item: ImageItem,
  spec: RenditionSpec,
  format: OutputFormat,
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
  const input = (await deps.objects.read(sourceKey(item, plan))) ?? (await deps.objects.read(item.key));
  if (!input) throw new NotFoundError(`image ${item.imageId} has no stored original`);
  return renderImage(input, spec, {
    format,
    image: { width, height, animated: isAnimated },
    faces: item.vision?.faces.map(({ box, confidence }) => ({ ...box, confidence })),
    objects: item.vision?.objects.map(({ box, confidence }) => ({ ...box, confidence })),
    watermark: spec.watermark === undefined ? undefined : await deps.watermark(spec.watermark),
    maxInputPixels: config.maxPixels,
  });
}

function sourceKey(item: ImageItem, plan: SourcePlan): string {
  return plan.source === 'thumbnail'
    ? (item.thumbnails?.[String(plan.size)] ?? thumbnailKey(item.imageId, plan.size))
    : item.key;
}

export { RenditionError };
