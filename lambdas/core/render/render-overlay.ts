/**
 * Watermarks: a configured image or text, drawn as an overlay the size the output calls for. Text is drawn with
 * a stroke font as SVG paths (text-svg.ts), so it needs no system font: AWS Lambda's runtime has none.
 */
import sharp from 'sharp';
import { GRAVITY } from './render-frame';
import { atLeastOne, clamp, type ImageSize } from './render-layout';
import type { RenditionSpec, Watermark } from './rendition';
import { textSvg } from './text-svg';

/** An image watermark fits in this fraction of the output's width and height (scaled up or down to it). */
const WATERMARK_FRACTION = 0.25;
/** A text watermark's line height (ascenders to descenders), as a fraction of the output's shorter side. */
const TEXT_HEIGHT = 0.06;
/** Distance from the output's edges, as a fraction of its shorter side. */
const WATERMARK_MARGIN = 0.02;
/** Watermarks are operator assets, but decoding is bounded all the same. */
const WATERMARK_MAX_PIXELS = 25_000_000;

/**
 * The watermark as a raw RGBA overlay for sharp's composite, scaled to the output, its alpha multiplied by
 * `watermarkOpacity`, placed at `watermarkGravity` inside a margin of WATERMARK_MARGIN of the shorter side. An
 * image fits in WATERMARK_FRACTION of each side; a text is TEXT_HEIGHT of the shorter side tall, narrower than
 * the output less its margins.
 */
export async function watermarkOverlay(
  watermark: Watermark,
  out: ImageSize,
  spec: Pick<RenditionSpec, 'watermarkGravity' | 'watermarkOpacity'>,
): Promise<sharp.OverlayOptions> {
  const margin = Math.round(Math.min(out.width, out.height) * WATERMARK_MARGIN);
  const options = { limitInputPixels: WATERMARK_MAX_PIXELS, failOn: 'warning' } as const;
  let art: sharp.Sharp;
  if (watermark.kind === 'image') {
    const box = {
      width: atLeastOne(out.width * WATERMARK_FRACTION),
      height: atLeastOne(out.height * WATERMARK_FRACTION),
    };
    art = sharp(watermark.data, options).resize(box.width, box.height, { fit: 'inside' });
  } else {
    // Drawn at its final size: strokes stay sharp, and nothing is resampled.
    const { svg } = textSvg(watermark.text, {
      height: atLeastOne(Math.min(out.width, out.height) * TEXT_HEIGHT),
      maxWidth: Math.max(1, out.width - 2 * margin),
    });
    art = sharp(svg, options);
  }
  const { data, info } = await art.ensureAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  let drawn = false;
  for (let alpha = 3; alpha < data.length; alpha += 4) {
    drawn ||= (data[alpha] as number) > 0;
    data[alpha] = Math.round((data[alpha] as number) * spec.watermarkOpacity);
  }
  // Fail loudly rather than serve images that were meant to be marked and are not.
  if (!drawn) throw new Error(`the ${watermark.kind} watermark has no visible pixel`);
  const [gx, gy] = GRAVITY[spec.watermarkGravity];
  const left = clamp(Math.round(margin + (out.width - 2 * margin - info.width) * gx), 0, out.width - info.width);
  const top = clamp(Math.round(margin + (out.height - 2 * margin - info.height) * gy), 0, out.height - info.height);
  return { input: data, raw: { width: info.width, height: info.height, channels: 4 }, left, top };
}
