/**
 * What rendering from a stored WebP copy costs in quality: for every original and every request that ours plans
 * from a copy, the same spec rendered from the original too, both outputs decoded, and SSIM and PSNR of the
 * copy's rendition against the original's (the figure issue 14 asks for).
 *
 * Two lossy renditions differ even when both are good, so for scale both are also scored against the truth: the
 * same spec rendered from the original losslessly (PNG). The gap between the two SSIMs is what the copy costs
 * beyond the loss the requested format and quality cost anyway.
 */
import sharp from 'sharp';
import { planSource, renderImage } from '../../lambdas/core/render/render';
import type { OutputFormat } from '../../lambdas/core/render/rendition';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { psnr } from '../../test/support/stats';
import type { Original, SourceFormat } from './corpus';
import type { MixRequest } from './requests';
import { type RawImage, ssim } from './stats';

export interface FidelityRow {
  original: string;
  format: SourceFormat;
  request: string;
  /** The copy ours rendered from. */
  source: string;
  ssim: number;
  psnrDb: number;
  /** SSIM against the lossless rendition from the original: ours from the copy, and from the original. */
  ssimCopyVsLossless: number;
  ssimOriginalVsLossless: number;
}

/** Decoded RGB pixels of an encoded rendition. */
async function pixels(encoded: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(encoded)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** What renderImage needs besides the bytes, for `request` on `original`; `format` overrides the spec's. */
function contextFor(original: Original, request: MixRequest, logo: Buffer, format?: OutputFormat) {
  return {
    format: format ?? (request.spec.format as OutputFormat),
    image: { width: original.width, height: original.height },
    faces: [],
    objects: [],
    watermark: request.spec.watermark ? ({ kind: 'image', data: logo } as const) : undefined,
    maxInputPixels: DEFAULT_SETTINGS.maxPixels,
  };
}

/** SSIM and PSNR of the copy's rendition against the original's, for each (original, request) ours plans from a copy. */
export async function measureFidelity(
  originals: Original[],
  mix: MixRequest[],
  bytesOf: (file: string) => Buffer,
  logo: Buffer,
): Promise<FidelityRow[]> {
  const rows: FidelityRow[] = [];
  for (const original of originals) {
    for (const request of mix) {
      const plan = planSource(request.spec, original);
      if (plan.source !== 'thumbnail') continue;
      const { copy } = plan;
      const context = contextFor(original, request, logo);
      const [fromCopy, fromOriginal, lossless] = await Promise.all([
        renderImage(bytesOf(copy.file), request.spec, context),
        renderImage(bytesOf(original.file), request.spec, context),
        renderImage(bytesOf(original.file), request.spec, { ...context, format: 'png' }),
      ]);
      const [test, reference, truth] = await Promise.all([fromCopy, fromOriginal, lossless].map((r) => pixels(r.data)));
      if (!test || !reference || !truth) throw new Error('decoding a rendition failed');
      rows.push({
        original: original.id,
        format: original.format,
        request: request.name,
        source: `${copy.size} px WebP copy`,
        ssim: ssim(reference, test),
        psnrDb: psnr(reference.data, test.data),
        ssimCopyVsLossless: ssim(truth, test),
        ssimOriginalVsLossless: ssim(truth, reference),
      });
    }
  }
  return rows;
}

export interface PathFloorRow {
  photo: string;
  request: string;
  ssim: number;
}

/**
 * For scale: how far apart two equally good renditions of the same picture score. Each photo's baseline JPEG and
 * PNG hold the same pixels but for the JPEG's q90 loss, yet the renderer takes different paths for them (JPEG
 * shrinks while decoding, PNG is cut, then resized), so their lossless renditions of one spec differ by
 * resampling and sub-pixel placement. SSIM is unforgiving of both, so a copy's score near this floor is no loss
 * anyone would see.
 */
export async function measurePathFloor(
  originals: Original[],
  mix: MixRequest[],
  bytesOf: (file: string) => Buffer,
  logo: Buffer,
): Promise<PathFloorRow[]> {
  const rows: PathFloorRow[] = [];
  for (const jpeg of originals.filter((o) => o.format === 'jpeg-baseline')) {
    const png = originals.find((o) => o.photo === jpeg.photo && o.format === 'png');
    if (!png) continue;
    for (const request of mix) {
      const [a, b] = await Promise.all(
        [jpeg, png].map(async (o) =>
          pixels((await renderImage(bytesOf(o.file), request.spec, contextFor(o, request, logo, 'png'))).data),
        ),
      );
      if (!a || !b) throw new Error('decoding a rendition failed');
      rows.push({ photo: jpeg.photo, request: request.name, ssim: ssim(a, b) });
    }
  }
  return rows;
}
