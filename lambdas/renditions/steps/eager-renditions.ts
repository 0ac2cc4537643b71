import sharp from 'sharp';
import type { Pixels } from '../../core/analysis/raster';
import type { Position } from '../../core/place';
import { planSource, renderImage } from '../../core/render/render';
import type { OutputFormat, RenditionSpec, Watermark } from '../../core/render/rendition';
import { presetSpecOf } from '../../core/render/rendition-spec';
import { type RenditionPresets, renditionLimitsOf } from '../../settings/renditions';
import { BadRequestError } from '../../shared/errors';
import type { IObjectStore } from '../../store/object-store';
import type { RenditionSettings } from '../functions/render-image/contract';
import { renditionKey } from '../query';
import { checkAgainstImage, parseRenditionSpec } from '../spec';
import type { PageCopySource, RenderedPageCopy } from './page-copy';

/** An eager preset, read once at load: its spec within the deployment's limits, and its fixed format. */
export interface EagerPreset {
  name: string;
  spec: RenditionSpec;
  format: OutputFormat;
}

/** What the processor needs to make the eager presets at ingest. */
export interface EagerRenditions {
  presets: readonly EagerPreset[];
  /** `renditionMaxSide`: a preset making a larger output from this image is left out, as get-image leaves it out. */
  maxSide: number;
  /** Sources with more pixels are refused from their header (the `maxPixels` setting), as by the render function. */
  maxPixels: number;
  /** A configured watermark by name, resolved to what the renderer draws. */
  watermark(name: string): Promise<Watermark>;
  /** `renditionsKeepGps`: the renditions carry the image's position as EXIF GPS (the render function's rule). */
  keepGps: boolean;
  /**
   * `renditionsKeepDigitalSourceType`: the renditions declare the image's IPTC digital source type in XMP (the render
   * function's rule).
   */
  keepDigitalSourceType: boolean;
  /** `renditionPageCopy`: the longest side of the JPEG copy larger renditions are made from; 0 or absent: none (page-copy.ts). */
  pageCopy?: number;
}

/**
 * One processed image, as far as its eager renditions need it: as far as its page copy does (the original, the source
 * of a preset larger than `pixels` hold, and the owner's turn and crop, which `pixels` have already), and more.
 */
export interface EagerImage extends PageCopySource {
  bucket: string;
  /** The pixels the thumbnails were encoded from. */
  pixels: Pixels;
  /** The position its renditions carry (with `keepGps`), as `version` names it; none: they carry no metadata. */
  gps?: Position;
  /**
   * The IPTC digital source type's URI its renditions declare in XMP (with `keepDigitalSourceType`), as `version`
   * names it; none: they declare none.
   */
  digitalSourceType?: string;
}

/** One preset rendered, not yet stored: where it goes and what it is. */
export interface RenderedRendition {
  name: string;
  key: string;
  data: Buffer;
  contentType: string;
}

/** What was rendered, and how many presets failed; the page copy, when one was made. */
export interface RenderedEager {
  rendered: RenderedRendition[];
  failed: number;
  pageCopy?: RenderedPageCopy;
}

/**
 * The presets marked `eager`, each parsed as the render function parses it (defaults and limits), so that the key
 * computed here is the one it computes. The settings schema refuses an eager preset without a fixed format or with
 * smart gravity; an environment that still carries one fails the function at start, naming the preset.
 */
export function eagerPresets(settings: RenditionSettings): EagerPreset[] {
  const limits = renditionLimitsOf(settings);
  return Object.entries(settings.renditionPresets as RenditionPresets)
    .filter(([, preset]) => preset.eager)
    .map(([name, preset]) => {
      const spec = parseRenditionSpec(presetSpecOf(preset), limits);
      if (spec.format === 'auto' || spec.gravity === 'smart') {
        throw new Error(`renditionPresets.${name}: an eager preset needs a fixed format and no smart gravity`);
      }
      return { name, spec, format: spec.format };
    });
}

/**
 * Make the eager presets of one image, so that its first view of them is a stored object.
 *
 * 1. Leave out a preset that cannot apply to this image (a crop past its edge, a watermark on an animated image,
 *    an output over the largest side): get-image signs no URL for it either.
 * 2. Render from the pixels the thumbnails were encoded from when they hold enough for the output (the render
 *    function's own rule, `planSource`, with them as the one stored copy); else from the original's bytes, already
 *    in memory, as the render function would. One preset at a time: at most one extra decode in memory.
 * 3. Key it at `renditionKey`, where the render function looks before rendering; `storeEagerRenditions` stores
 *    it there once the owner's policy has said the image is shown as it is.
 *
 * A preset that fails is reported and left out, never failing the image: it is rendered on its first request.
 */
export async function renderEagerRenditions(
  image: EagerImage,
  eager: EagerRenditions,
  onFailure: (preset: string, error: unknown) => void,
): Promise<RenderedEager> {
  const { width, height, isAnimated } = image.metadata;
  const rendered: RenderedRendition[] = [];
  let failed = 0;
  let tiff: Promise<Buffer> | undefined;
  const pixelsAsTiff = () => {
    tiff ??= asTiff(image.pixels);
    return tiff;
  };
  for (const { name, spec, format } of eager.presets) {
    try {
      if (!appliesTo(spec, image.metadata, eager.maxSide)) continue;
      const fromPixels = pixelsSuffice(spec, image);
      const input = fromPixels ? await pixelsAsTiff() : image.original;
      const output = await renderImage(input, spec, {
        turn: fromPixels ? 0 : (image.turn ?? 0),
        crop: fromPixels ? undefined : image.crop,
        format,
        image: { width, height, animated: isAnimated },
        watermark: spec.watermark === undefined ? undefined : await eager.watermark(spec.watermark),
        maxInputPixels: eager.maxPixels,
        gps: image.gps,
        digitalSourceType: image.digitalSourceType,
      });
      const { data, contentType } = output;
      rendered.push({ name, key: renditionKey(image.imageId, spec, format, image.version), data, contentType });
    } catch (error) {
      failed++;
      onFailure(name, error);
    }
  }
  return { rendered, failed };
}

/**
 * Store what `renderEagerRenditions` made, all at once. One that cannot be stored is reported and left out, as a
 * preset that fails to render is: it is rendered on its first request.
 */
export async function storeEagerRenditions(
  bucket: string,
  { rendered }: RenderedEager,
  objects: Pick<IObjectStore, 'write'>,
  onFailure: (preset: string, error: unknown) => void,
): Promise<RenderedEager & { keys: Record<string, string> }> {
  const stored = await Promise.all(
    rendered.map(({ name, key, data, contentType }) =>
      objects.write(bucket, key, data, contentType).then(
        () => true,
        (error: unknown) => {
          onFailure(name, error);
          return false;
        },
      ),
    ),
  );
  const kept = rendered.filter((_, i) => stored[i]);
  const keys = Object.fromEntries(kept.map(({ name, key }) => [name, key]));
  return { rendered: kept, failed: rendered.length - kept.length, keys };
}

function appliesTo(spec: RenditionSpec, metadata: EagerImage['metadata'], maxSide: number): boolean {
  try {
    checkAgainstImage(spec, { ...metadata, animated: metadata.isAnimated }, { maxSide });
    return true;
  } catch (error) {
    if (error instanceof BadRequestError) return false;
    throw error;
  }
}

/** The pixels hold the whole original, or as much of it as the render function would want from a stored copy. */
function pixelsSuffice(spec: RenditionSpec, image: EagerImage): boolean {
  const { width, height } = image.metadata;
  const { pixels } = image;
  if (pixels.width * pixels.height >= width * height) return true;
  const copy = { size: Math.max(pixels.width, pixels.height), width: pixels.width, height: pixels.height };
  return planSource(spec, { width, height, thumbnails: [copy] }).source === 'thumbnail';
}

/**
 * `renderImage` reads encoded bytes. An uncompressed TIFF is the cheapest encoding of the pixels that it reads:
 * written in about 3 ms for a 1024 x 768 raster and read back as a copy, where starting from the 1024 px WebP
 * thumbnail instead cost about 7 ms more per card on 2 cores, for a copy 0.3-0.6 dB further from the original.
 */
function asTiff(pixels: Pixels): Promise<Buffer> {
  const { data, width, height, channels } = pixels;
  return sharp(data, { raw: { width, height, channels } }).tiff({ compression: 'none' }).toBuffer();
}
