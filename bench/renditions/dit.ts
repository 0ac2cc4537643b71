/**
 * Dynamic Image Transformation for Amazon CloudFront (formerly Serverless Image Handler), the image Lambda's
 * rendering path, re-implemented step by step from its public code for the edits this bench sends:
 *
 * - source/image-handler/image-request.ts (commit 0261985): `getOriginalImage` reads the whole original from S3
 *   with GetObject on every request (charged by the caller).
 * - source/image-handler/image-handler.ts (commit 1a8de92): `process` builds the sharp options
 *   `{ failOnError: false, animated: <GIF>, limitInputPixels }` (`SHARP_SIZE_LIMIT` unset: sharp's default limit),
 *   `instantiateSharpImage` reads the metadata once (validation) and opens the original again with
 *   `.withMetadata()`; `applyEdits` applies the resize, then each edit in the request's key order (allowlisted
 *   sharp calls such as `resize` and `toFormat` directly; `overlayWith` and `smartCrop` by their own code, below);
 *   `modifyImageOutput` calls `toFormat(outputFormat)`, so sharp's default quality applies; then `toBuffer()`.
 * - `applyOverlayWith`: renders the image once (`toBuffer()`) to learn the resized size, reads the overlay from
 *   S3 (`getOverlayImage`), resizes it to `wRatio` % of the image, applies `alpha` with a `dest-in` tile, places it
 *   (`left`/`top`, negative from the far edge) and composites it.
 * - `applySmartCrop`: `getRekognitionCompatibleImage` renders the image twice (once to read its format, once as
 *   JPEG/PNG for Rekognition), DetectFaces finds the face (none: the whole frame), `getCropArea` pads and clamps
 *   it, `extract` cuts it, and `toFormat` restores the format.
 *
 * Nothing else of the solution is here: no request parsing or signing (cheap, and ours has its own), no Rekognition
 * client (the caller supplies DetectFaces and its modelled latency), no S3 client (the caller supplies the bytes
 * and charges the read).
 */
import sharp, { type OverlayOptions, type ResizeOptions, type Sharp } from 'sharp';

/** What the reference pipeline's request parser hands `process` for the requests of this bench. */
export interface DitRequest {
  edits: Record<string, unknown>;
  outputFormat?: 'jpeg' | 'png' | 'webp' | 'avif';
}

/** A face box in fractions of the image, as Rekognition answers. */
export interface FaceBox {
  Left: number;
  Top: number;
  Width: number;
  Height: number;
}

/** The AWS calls the pipeline makes while rendering, supplied by the bench (which charges their I/O). */
export interface DitServices {
  getObject(bucket: string, key: string): Promise<Buffer>;
  detectFaces(image: Buffer): Promise<FaceBox[]>;
}

/** The sharp operations the solution lets a request call by name (its lib/constants.ts allowlist, in part). */
const ALLOWLISTED = new Set(['resize', 'toFormat', 'jpeg', 'png', 'webp', 'avif', 'rotate', 'flip', 'flop', 'blur']);

interface Overlay {
  bucket: string;
  key: string;
  wRatio: string;
  hRatio: string;
  alpha: string;
  options?: { left?: string; top?: string };
}

/** `ImageHandler.process` for a non-animated image with edits: the rendered bytes. */
export async function ditProcess(original: Buffer, request: DitRequest, services: DitServices): Promise<Buffer> {
  const options = { failOnError: false, animated: false, limitInputPixels: true };
  await sharp(original, options).metadata();
  let image = sharp(original, options).withMetadata();
  image = await applyEdits(image, request.edits, services);
  if (request.outputFormat) image.toFormat(request.outputFormat);
  return image.toBuffer();
}

async function applyEdits(image: Sharp, edits: Record<string, unknown>, services: DitServices): Promise<Sharp> {
  validateResize(edits);
  for (const edit of Object.keys(edits)) {
    if (edit === 'overlayWith') await applyOverlayWith(image, edits, services);
    else if (edit === 'smartCrop') await applySmartCrop(image, edits, services);
    else if (ALLOWLISTED.has(edit)) (image[edit as 'resize'] as (value: unknown) => Sharp).call(image, edits[edit]);
  }
  return image;
}

/** `applyResize` / `validateResizeInputs`: whole pixels, and nothing at or under zero. */
function validateResize(edits: Record<string, unknown>): void {
  const resize = edits.resize as ResizeOptions | undefined;
  if (!resize) {
    edits.resize = { fit: 'inside' };
    return;
  }
  if (resize.width) resize.width = Math.round(Number(resize.width));
  if (resize.height) resize.height = Math.round(Number(resize.height));
  if ((resize.width != null && resize.width <= 0) || (resize.height != null && resize.height <= 0)) {
    throw new Error('InvalidResizeException: The image size is invalid.');
  }
}

async function applyOverlayWith(image: Sharp, edits: Record<string, unknown>, services: DitServices): Promise<void> {
  let size = await image.metadata();
  if (edits.resize) {
    // The solution's way to learn the output size: render the whole pipeline once.
    const rendered = await image.toBuffer();
    size = await sharp(rendered)
      .resize(edits.resize as ResizeOptions)
      .metadata();
  }
  const { bucket, key, wRatio, hRatio, alpha, options } = edits.overlayWith as Overlay;
  const overlay = await overlayImage(services, bucket, key, wRatio, hRatio, alpha, size);
  const overlaySize = await sharp(overlay).metadata();
  const composite: OverlayOptions = { input: overlay };
  const left = overlayOffset(options?.left, size.width ?? 0, overlaySize.width ?? 0);
  if (!Number.isNaN(left)) composite.left = left;
  const top = overlayOffset(options?.top, size.height ?? 0, overlaySize.height ?? 0);
  if (!Number.isNaN(top)) composite.top = top;
  image.composite([composite]);
}

/** `getOverlayImage`: the overlay from S3, sized to a share of the image, its opacity applied. */
async function overlayImage(
  services: DitServices,
  bucket: string,
  key: string,
  wRatio: string,
  hRatio: string,
  alpha: string,
  size: sharp.Metadata,
): Promise<Buffer> {
  const bytes = await services.getObject(bucket, key);
  const zeroToHundred = /^(100|[1-9]?\d)$/;
  const resize: ResizeOptions = { fit: 'inside' };
  if (zeroToHundred.test(wRatio)) resize.width = Math.floor(((size.width ?? 0) * Number.parseInt(wRatio, 10)) / 100);
  if (zeroToHundred.test(hRatio)) {
    resize.height = Math.floor(((size.height ?? 0) * Number.parseInt(hRatio, 10)) / 100);
  }
  const alphaValue = zeroToHundred.test(alpha) ? Number.parseInt(alpha, 10) : 0;
  return sharp(bytes)
    .resize(resize)
    .composite([
      {
        input: Buffer.from([255, 255, 255, 255 * (1 - alphaValue / 100)]),
        raw: { width: 1, height: 1, channels: 4 },
        tile: true,
        blend: 'dest-in',
      },
    ])
    .toBuffer();
}

/** `calcOverlaySizeOption`: pixels or `<n>p` percent; negative counts back from the far edge. */
function overlayOffset(option: string | undefined, imageSize: number, overlaySize: number): number {
  if (option === undefined) return Number.NaN;
  if (option.endsWith('p')) {
    const percent = Number.parseInt(option.replace('p', ''), 10);
    return Math.floor(
      percent < 0 ? imageSize + (imageSize * percent) / 100 - overlaySize : (imageSize * percent) / 100,
    );
  }
  const pixels = Number.parseInt(option, 10);
  return pixels < 0 ? imageSize + pixels - overlaySize : pixels;
}

async function applySmartCrop(image: Sharp, edits: Record<string, unknown>, services: DitServices): Promise<void> {
  const request = edits.smartCrop as { faceIndex?: number; padding?: number } | true;
  const { faceIndex, padding } = request === true ? { faceIndex: undefined, padding: undefined } : request;
  // getRekognitionCompatibleImage: one render to learn the format, one more as JPEG or PNG for Rekognition.
  const format = (await sharp(await image.toBuffer()).metadata()).format;
  const compatible =
    format === 'jpeg' || format === 'png'
      ? await image.toBuffer({ resolveWithObject: true })
      : await image.png().toBuffer({ resolveWithObject: true });
  const faces = await services.detectFaces(compatible.data);
  const box = faceBox(faces, faceIndex ?? 0);
  image.extract(cropArea(box, padding ?? 0, compatible.info));
  if (format && format !== compatible.info.format) image.toFormat(format as keyof sharp.FormatEnum);
}

/** `getBoundingBox` + `handleBounds`: the chosen face clamped to the image, or the whole image when none. */
function faceBox(faces: FaceBox[], index: number): FaceBox {
  const face = faces[index];
  if (faces.length === 0 || !face) return { Left: 0, Top: 0, Width: 1, Height: 1 };
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const box = { Left: clamp(face.Left), Top: clamp(face.Top), Width: clamp(face.Width), Height: clamp(face.Height) };
  if (box.Left + box.Width > 1) box.Width = 1 - box.Left;
  if (box.Top + box.Height > 1) box.Height = 1 - box.Top;
  return box;
}

/** `getCropArea`: the face box in pixels with `padding` around it, clamped to the image. */
function cropArea(box: FaceBox, padding: number, size: { width: number; height: number }) {
  const left = Math.max(0, Math.floor(box.Left * size.width - padding));
  const top = Math.max(0, Math.floor(box.Top * size.height - padding));
  const width = Math.min(Math.floor(box.Width * size.width + padding * 2), size.width - left);
  const height = Math.min(Math.floor(box.Height * size.height + padding * 2), size.height - top);
  return { left, top, width, height };
}
