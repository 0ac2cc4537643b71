import sharp from 'sharp';
import type { Raster } from '../core/analysis/raster';
import { type Box, clampBox } from '../core/vision-schema';
import { letterbox, type Point } from './letterbox';
import { loadSession, MODELS_DIR, ort } from './onnx';
import { MINUS_ONE_TO_ONE, normalise } from './tensor';

export const BLAZEFACE_MODEL = 'blazeface-back-256.onnx';
const INPUT = 256;
/** The back-camera BlazeFace anchor layout: a 16x16 grid with 2 anchors per cell, then 8x8 with 6. */
const GRIDS = [
  { size: 16, anchors: 2 },
  { size: 8, anchors: 6 },
] as const;

export interface FaceOptions {
  /**
   * Keep faces at or above this score (0-1). Default 0.8: at 0.7 the fixture cat scores 0.78 as a face, while
   * the astronaut scores 0.88.
   */
  minConfidence?: number;
  /** Overlap above which the weaker of two detections is dropped. Default 0.3. */
  iouThreshold?: number;
  /** Also look at the tiles (`faceViews`). Default true; false only for `npm run bench:faces`'s baseline. */
  tiles?: boolean;
}

export interface DetectedFace {
  confidence: number;
  box: Box;
}

/** BlazeFace's six keypoints, in fractions of the raster, named for the person (their right eye is on the left). */
export interface FaceKeypoints {
  rightEye: Point;
  leftEye: Point;
  nose: Point;
  mouth: Point;
  rightEar: Point;
  leftEar: Point;
}

/** A face with where its eyes, nose, mouth and ears are: what aligning it for a descriptor needs. */
export interface FaceWithKeypoints extends DetectedFace {
  keypoints: FaceKeypoints;
}

/** The order BlazeFace regresses its keypoints in, after the box. */
const KEYPOINTS = ['rightEye', 'leftEye', 'nose', 'mouth', 'rightEar', 'leftEar'] as const;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A rectangle of the raster, in pixels. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * MediaPipe BlazeFace (full-range "back" model, 256x256): faces as boxes normalised to the raster, looked for at
 * two scales, so that neither a small face nor a resize of the image decides whether a face is there.
 *
 * 1. Run the detector on the whole raster, letterboxed into 256x256 (pixels scaled to [-1, 1]), and on
 *    overlapping square tiles of 0.6 of the raster's longest side (see `faceViews`), each scaled to 256x256: a
 *    face a fifth of the image or smaller lies whole in one tile, 1.7 times as large as in the whole view.
 * 2. Decode each anchor's regression (centre offset, size) and score; keep scores over the threshold, and drop a
 *    tile's face cut by the tile's edge inside the image (the whole view or another tile sees it whole).
 * 3. Suppress overlaps across all views, strongest first, with boxes and keypoints in fractions of the raster.
 */
export async function detectFaces(raster: Raster, options: FaceOptions = {}): Promise<DetectedFace[]> {
  const faces = await detectFaceKeypoints(raster, options);
  return faces.map(({ confidence, box }) => ({ confidence, box }));
}

/**
 * The faces `detectFaces` finds, in the same order, each with its six keypoints (BlazeFace regresses them with
 * the box, relative to the same anchor).
 */
export async function detectFaceKeypoints(raster: Raster, options: FaceOptions = {}): Promise<FaceWithKeypoints[]> {
  const { minConfidence = 0.8, iouThreshold = 0.3, tiles: withTiles = true } = options;
  const session = await loadSession(`${MODELS_DIR}/${BLAZEFACE_MODEL}`);
  const [whole, ...tiles] = faceViews(raster.width, raster.height);
  const boxed = await letterbox(raster, INPUT);
  // One view after another: a run already keeps the session's threads busy.
  const candidates = await detectInView(session, boxed.pixels, minConfidence, {
    toRaster: boxed.toRaster,
    toRasterPoint: boxed.toRasterPoint,
  });
  if (withTiles && whole && tiles.length > 0) {
    const scaled = await scaleForTiles(raster, tiles[0]?.width ?? whole.width);
    for (const tile of tiles) {
      const view = cropTile(scaled, tile);
      candidates.push(...(await detectInView(session, view.pixels, minConfidence, view)));
    }
  }
  return suppressOverlaps(candidates, iouThreshold);
}

/** Tiles smaller than this are not looked at: scaled up to 256 px they would show the detector only blur. */
const MIN_TILE = 96;
/** A tile's side, in fractions of the raster's longest side. */
const TILE = 0.6;
/** How close to a tile's inner edge (in fractions of the tile) a face's box may come before it counts as cut. */
const EDGE_MARGIN = 0.01;

/**
 * Where the detector looks, in raster pixels: the whole raster, then square tiles with a side of 0.6 of its
 * longest side (at most its shortest), a third of a tile or more overlapping, spread evenly from edge to edge.
 * A 1024x640 photo or a 300x300 crop has 1 + 2x2 views, a 1024x300 strip 1 + 4; an image under 160 px only the
 * whole view.
 */
export function faceViews(width: number, height: number): Region[] {
  const whole = { left: 0, top: 0, width, height };
  const side = Math.min(Math.round(Math.max(width, height) * TILE), width, height);
  if (side < MIN_TILE || (side === width && side === height)) return [whole];
  const starts = (length: number) => {
    const count = Math.ceil((length - side) / ((side * 2) / 3)) + 1;
    return Array.from({ length: count }, (_, i) => (count === 1 ? 0 : Math.round((i * (length - side)) / (count - 1))));
  };
  const tiles = starts(height).flatMap((top) =>
    starts(width).map((left) => ({ left, top, width: side, height: side })),
  );
  return [whole, ...tiles];
}

interface Scaled {
  data: Buffer;
  width: number;
  height: number;
  /** Pixels of `data` per raster pixel. */
  scale: number;
}

/** The raster scaled once so that a tile of `side` px is 256 px: each tile is then a plain crop of it. */
async function scaleForTiles(raster: Raster, side: number): Promise<Scaled> {
  const scale = INPUT / side;
  const width = Math.max(INPUT, Math.round(raster.width * scale));
  const height = Math.max(INPUT, Math.round(raster.height * scale));
  const data = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data, width, height, scale: width / raster.width };
}

/** A tile's 256x256 pixels out of the scaled raster, how to map its fractions back, and which faces it cuts. */
function cropTile(scaled: Scaled, tile: Region): ViewMapping & { pixels: Buffer } {
  const left = Math.min(Math.round(tile.left * scaled.scale), scaled.width - INPUT);
  const top = Math.min(Math.round(tile.top * scaled.scale), scaled.height - INPUT);
  const pixels = Buffer.alloc(INPUT * INPUT * 3);
  for (let row = 0; row < INPUT; row++) {
    const from = ((top + row) * scaled.width + left) * 3;
    scaled.data.copy(pixels, row * INPUT * 3, from, from + INPUT * 3);
  }
  const toRasterPoint = ({ x, y }: Point): Point => ({
    x: (left + x * INPUT) / scaled.width,
    y: (top + y * INPUT) / scaled.height,
  });
  const inner = {
    left: left > 0,
    top: top > 0,
    right: left + INPUT < scaled.width,
    bottom: top + INPUT < scaled.height,
  };
  return {
    pixels,
    toRaster: (box) => {
      const corner = toRasterPoint({ x: box.left, y: box.top });
      return clampBox({
        left: corner.x,
        top: corner.y,
        width: (box.width * INPUT) / scaled.width,
        height: (box.height * INPUT) / scaled.height,
      });
    },
    toRasterPoint,
    cut: (box) =>
      (inner.left && box.left < EDGE_MARGIN) ||
      (inner.top && box.top < EDGE_MARGIN) ||
      (inner.right && box.left + box.width > 1 - EDGE_MARGIN) ||
      (inner.bottom && box.top + box.height > 1 - EDGE_MARGIN),
  };
}

/** How a view's fractions map to the raster's, and (for a tile) which boxes its edge cuts. */
interface ViewMapping {
  toRaster(box: Box): Box;
  toRasterPoint(point: Point): Point;
  cut?(box: Box): boolean;
}

/** One view's faces over the threshold, boxes and keypoints in fractions of the raster. */
async function detectInView(
  session: ort.InferenceSession,
  pixels: Buffer,
  minConfidence: number,
  view: ViewMapping,
): Promise<FaceWithKeypoints[]> {
  const input = normalise(pixels, { order: 'RGB', layout: 'NHWC', ...MINUS_ONE_TO_ONE });
  const [scoresA, scoresB, boxesA, boxesB] = session.outputNames;
  const out = await session.run({
    [session.inputNames[0] as string]: new ort.Tensor('float32', input, [1, INPUT, INPUT, 3]),
  });
  const layers = [
    { grid: GRIDS[0], scores: out[scoresA as string]?.data, boxes: out[boxesA as string]?.data },
    { grid: GRIDS[1], scores: out[scoresB as string]?.data, boxes: out[boxesB as string]?.data },
  ];
  const found: FaceWithKeypoints[] = [];
  for (const { grid, scores, boxes } of layers) {
    if (!(scores instanceof Float32Array) || !(boxes instanceof Float32Array))
      throw new Error('unexpected BlazeFace outputs');
    for (let i = 0; i < scores.length; i++) {
      const confidence = sigmoid(scores[i] as number);
      if (confidence < minConfidence) continue;
      const cell = Math.floor(i / grid.anchors);
      const ax = ((cell % grid.size) + 0.5) / grid.size;
      const ay = (Math.floor(cell / grid.size) + 0.5) / grid.size;
      const cx = ax + (boxes[i * 16] as number) / INPUT;
      const cy = ay + (boxes[i * 16 + 1] as number) / INPUT;
      const w = (boxes[i * 16 + 2] as number) / INPUT;
      const h = (boxes[i * 16 + 3] as number) / INPUT;
      const box = { left: cx - w / 2, top: cy - h / 2, width: w, height: h };
      if (view.cut?.(box)) continue;
      found.push({
        confidence: Math.round(confidence * 10000) / 10000,
        box: view.toRaster(box),
        keypoints: Object.fromEntries(
          KEYPOINTS.map((name, k) => [
            name,
            view.toRasterPoint({
              x: ax + (boxes[i * 16 + 4 + k * 2] as number) / INPUT,
              y: ay + (boxes[i * 16 + 5 + k * 2] as number) / INPUT,
            }),
          ]),
        ) as unknown as FaceKeypoints,
      });
    }
  }
  return found;
}

/** Greedy non-maximum suppression, strongest first. */
export function suppressOverlaps<T extends { confidence: number; box: Box }>(items: T[], iouThreshold: number): T[] {
  const kept: T[] = [];
  for (const item of [...items].sort((a, b) => b.confidence - a.confidence)) {
    if (kept.every((other) => iou(other.box, item.box) <= iouThreshold)) kept.push(item);
  }
  return kept;
}

export function iou(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left));
  const y = Math.max(0, Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top));
  const overlap = x * y;
  const union = a.width * a.height + b.width * b.height - overlap;
  return union > 0 ? overlap / union : 0;
}
