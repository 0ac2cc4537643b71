import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { outputSize } from '../../../core/render/render-layout';
import { presetSpecOf, type RenditionLimits } from '../../../core/render/rendition-spec';
import type { RenditionPresets } from '../../../settings/renditions';
import { BadRequestError, ConflictError, NotFoundError } from '../../../shared/errors';
import type { ImageStore } from '../../../store/image-store';
import { type Caller, mayAccess } from '../../../store/owner';
import type { RenditionQuota } from '../../../store/rendition-quota';
import { canonicalQuery } from '../../query';
import { checkRenderable, parseRenditionSpec } from '../../spec';
import { type RenditionSigner, renderableImage, type SignedRendition, signRenditionUrl } from '../../urls';
import { type CreatedRenditionSchema, MAX_SPEC_BYTES } from './route';

/** The signed URL, and the size its rendition will be: smaller than asked when the image has fewer pixels. */
export interface CreatedRendition extends SignedRendition {
  /** The rendition's width and height in device pixels, as the render function will make it. */
  width: number;
  height: number;
  /**
   * The size asked for (`w`, `h` times `dpr`) is larger than the image (or its crop) allows without `enlarge`, so
   * `width` x `height` is smaller than asked: a rendition never scales an image up unless told to.
   */
  capped: boolean;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<CreatedRendition, z.output<typeof CreatedRenditionSchema>> = true;

export interface CreateRenditionDeps {
  store: Pick<ImageStore, 'get'>;
  /** The caller's signings per minute and the image's custom specs (store/rendition-quota.ts). */
  quota: Pick<RenditionQuota, 'countSigning' | 'admitSpec'>;
  signer: RenditionSigner;
  limits: RenditionLimits;
  presets: RenditionPresets;
}

/**
 * A signed URL for one rendition of an image:
 * 1. read the spec (400 naming each field outside the grammar or the deployment's limits), before any read;
 * 2. read the image (404 when there is none, or it is another owner's, as for a GET; 409 unless it is PROCESSED:
 *    only a PROCESSED image has a known size and renditions);
 * 3. check the spec against the image (400: a crop outside it, an output over the largest side, a watermark on an
 *    animated image), so a URL the API issues never answers 400;
 * 4. unless the spec is one of the deployment's presets, count the signing against the caller's per-minute limit
 *    (429) and the spec against the image's cap on custom specs (409; one it has already is free);
 * 5. sign the spec's canonical form with the current key: `{url, expiresAt}`, with the size the rendition will have
 *    and whether that is less than asked (`capped`: a larger size than the image without `enlarge`).
 * Signing makes nothing: the rendition is rendered, and stored, when the URL is first fetched.
 */
export async function createRendition(
  imageId: string,
  input: unknown,
  caller: Caller,
  deps: CreateRenditionDeps,
): Promise<CreatedRendition> {
  const spec = parseRenditionSpec(input, deps.limits, deps.presets);
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  const image = renderableImage(item);
  if (!image) {
    throw new ConflictError(`image ${imageId} is ${item.status}: only a PROCESSED image has renditions`);
  }
  checkRenderable(spec, image, deps.limits);
  const query = canonicalQuery(spec);
  if (!presetQueries(deps).has(query)) {
    await deps.quota.countSigning(caller.owner);
    await deps.quota.admitSpec(item, specHash(query));
  }
  const signed = await signRenditionUrl(imageId, spec, deps.signer);
  const size = outputSize(spec, image);
  const unbounded = spec.enlarge ? size : outputSize({ ...spec, enlarge: true }, image);
  const capped = size.width !== unbounded.width || size.height !== unbounded.height;
  return { ...signed, width: size.width, height: size.height, capped };
}

/**
 * The request body as JSON, bounded before it is parsed: a 10 KB spec is a 400 unread. API Gateway passes binary
 * bodies base64-encoded, so their size is checked before decoding too.
 */
export function readSpecBody(body: string | null | undefined, isBase64Encoded = false): unknown {
  if (body === null || body === undefined || body === '') throw new BadRequestError('body: a JSON spec is required');
  const bytes = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
  if (bytes > MAX_SPEC_BYTES) {
    throw new BadRequestError(`body: ${bytes} bytes, over the ${MAX_SPEC_BYTES} a rendition spec may take`);
  }
  try {
    return JSON.parse(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body);
  } catch {
    throw new BadRequestError('body: not valid JSON');
  }
}

/** The canonical query of each preset: a spec that is one of them is the deployment's, not the caller's. */
function presetQueries(deps: Pick<CreateRenditionDeps, 'limits' | 'presets'>): Set<string> {
  return new Set(
    Object.values(deps.presets).map((preset) => canonicalQuery(parseRenditionSpec(presetSpecOf(preset), deps.limits))),
  );
}

/** A spec's short name on the image's record: the first 64 bits of the SHA-256 of its canonical query. */
export function specHash(query: string): string {
  return createHash('sha256').update(query).digest('hex').slice(0, 16);
}
