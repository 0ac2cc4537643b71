import type { RenditionSpec } from '../core/render/rendition';
import { presetSpecOf, type RenditionLimits } from '../core/render/rendition-spec';
import type { RenditionPresets } from '../settings/renditions';
import { BadRequestError } from '../shared/errors';
import type { ImageItem } from '../store/image-item';
import { publicFileOf, publicRenditionUrl } from './public';
import { canonicalQuery } from './query';
import { type RenditionShareScope, renditionExpiry, signRendition } from './signing';
import { type SigningKeySet, signingKey } from './signing-keys';
import { checkRenderable, parseRenditionSpec, type SpecImage } from './spec';

/**
 * Issuing rendition URLs, for the API functions that hand them out (get-image: one per preset; create-rendition:
 * one for any spec). The URL is the renditions' origin (CloudFront in AWS, the local runner locally) followed by
 * `signRendition`'s path and query: the spec in its canonical spelling, so two spellings of one rendition get one
 * URL, one cache entry and one stored object.
 */

/** A signed rendition URL and when it stops working. */
export interface SignedRendition {
  url: string;
  /** ISO 8601; the URL is refused with a 403 from then on. */
  expiresAt: string;
}

/** A preset's URLs for one image: signed, and, for a `public` preset, its stable unsigned address too. */
export interface PresetRendition extends SignedRendition {
  /** `<renditions URL>/<imageId>/<preset>.<ext>`: no signature, no expiry; it stops working once the image is deleted. */
  publicUrl?: string;
}

/** What signing needs: the keys, where the URLs point, how long they live. */
export interface RenditionSigner {
  /** The signing key set, cached (`secretKeySet`: the secret is read at most every `KEY_CACHE_SECONDS`). */
  keys(): Promise<SigningKeySet>;
  /** The renditions' origin, such as `https://d111111abcdef8.cloudfront.net` or `http://localhost:3000`. */
  baseUrl: string;
  /** `renditionUrlTtlSeconds`: the expiry is this much later, rounded up to the expiry window. */
  ttlSeconds: number;
  now?: () => Date;
}

/** A PROCESSED image as far as renditions care: its oriented size, frames, and what rendering it costs. */
export interface RenderableImage extends SpecImage {
  imageId: string;
  animated: boolean;
}

/** What a PROCESSED record says about its image, or undefined for any other: only those have renditions. */
export function renderableImage(item: ImageItem): RenderableImage | undefined {
  const analysis = item.status === 'PROCESSED' && item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  if (!analysis) return undefined;
  const { width, height, isAnimated, format, bitDepth } = analysis.metadata;
  const thumbnails = analysis.thumbnails.map(({ size, width: w, height: h }) => ({ size, width: w, height: h }));
  return { imageId: item.imageId, width, height, animated: isAnimated, format, bitDepth, thumbnails };
}

/** A URL handed out by a share link: the link it names, and when the link expires (no URL outlives it). */
export interface SharedUrlScope extends RenditionShareScope {
  /** The link's expiry (ISO 8601), if it has one: the URL's own is no later. */
  until?: string;
}

/** A URL of a photo in the locked folder, handed out with an unlock token: it lives no longer than the token. */
export interface LockedUrlScope {
  /** The token's expiry, unix seconds. */
  until: number;
}

/**
 * One URL for a checked spec, signed with the key signers use now (`signingKey`); with `share`, one a share link
 * hands out (its photo named by the link's id for it, the link checked on every request: share-scope.ts).
 */
export async function signRenditionUrl(
  imageId: string,
  spec: RenditionSpec,
  signer: RenditionSigner,
  share?: SharedUrlScope,
): Promise<SignedRendition> {
  return signWith(await signer.keys(), imageId, spec, signer, share);
}

/**
 * A URL per configured preset that applies to this image, keyed by preset name, with a public preset's stable URL
 * beside it. A preset that cannot (a crop outside a smaller image, a watermark on an animated one, an output over
 * `renditionMaxSide` from a panorama) is left out rather than signed: its URLs would only ever answer 400.
 */
export async function presetRenditions(
  image: RenderableImage,
  presets: RenditionPresets,
  limits: RenditionLimits,
  signer: RenditionSigner,
  locked?: LockedUrlScope,
): Promise<Record<string, PresetRendition>> {
  const specs: { name: string; spec: RenditionSpec; file?: string }[] = [];
  for (const [name, preset] of Object.entries(presets)) {
    // The settings schema already checked every preset against the limits; only the image can refuse one here.
    const spec = parseRenditionSpec(presetSpecOf(preset), limits);
    if (appliesTo(spec, image, limits)) specs.push({ name, spec, file: publicFileOf(name, preset) });
  }
  if (specs.length === 0) return {};
  const keys = await signer.keys();
  return Object.fromEntries(
    specs.map(({ name, spec, file }) => {
      const signed = signWith(keys, image.imageId, spec, signer, undefined, locked);
      // A locked photo has no stable public address: the render function refuses it one.
      const open = file && !locked;
      return [name, open ? { ...signed, publicUrl: publicRenditionUrl(signer.baseUrl, image.imageId, file) } : signed];
    }),
  );
}

function appliesTo(spec: RenditionSpec, image: RenderableImage, limits: RenditionLimits): boolean {
  try {
    checkRenderable(spec, image, limits);
    return true;
  } catch (error) {
    if (error instanceof BadRequestError) return false;
    throw error;
  }
}

function signWith(
  keys: SigningKeySet,
  imageId: string,
  spec: RenditionSpec,
  signer: RenditionSigner,
  share?: SharedUrlScope,
  locked?: LockedUrlScope,
): SignedRendition {
  const now = signer.now?.() ?? new Date();
  const windowed = renditionExpiry(now, signer.ttlSeconds);
  // A link's URL stops with the link, at the edge too (which refuses an expired URL before its cache); a locked
  // photo's with the unlock token.
  const linked = share?.until === undefined ? windowed : Math.min(windowed, Math.floor(Date.parse(share.until) / 1000));
  const expires = locked === undefined ? linked : Math.min(linked, locked.until);
  const scope = share && { hash: share.hash, ...(share.download && { download: true }) };
  const path = signRendition({
    imageId,
    query: canonicalQuery(spec),
    expires,
    key: signingKey(keys, now),
    ...(scope && { share: scope }),
    ...(locked && { locked: true }),
  });
  return { url: `${signer.baseUrl.replace(/\/+$/, '')}${path}`, expiresAt: new Date(expires * 1000).toISOString() };
}
