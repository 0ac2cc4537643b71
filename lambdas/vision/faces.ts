import type { Raster } from '../core';
import type { Box } from '../core/vision-schema';
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

/**
 * MediaPipe BlazeFace (full-range "back" model, 256x256): faces as boxes normalised to the raster.
 *
 * 1. Letterbox the oriented raster into 256x256, pixels scaled to [-1, 1].
 * 2. Decode each anchor's regression (centre offset, size) and score.
 * 3. Keep scores over the threshold, suppress overlaps, map boxes back out of the letterbox.
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
  const { minConfidence = 0.8, iouThreshold = 0.3 } = options;
  const session = await loadSession(`${MODELS_DIR}/${BLAZEFACE_MODEL}`);
  const { pixels, toRaster, toRasterPoint } = await letterbox(raster, INPUT);
  const input = normalise(pixels, { order: 'RGB', layout: 'NHWC', ...MINUS_ONE_TO_ONE });

  const [scoresA, scoresB, boxesA, boxesB] = session.outputNames;
  const out = await session.run({
    [session.inputNames[0] as string]: new ort.Tensor('float32', input, [1, INPUT, INPUT, 3]),
  });
  const layers = [
    { grid: GRIDS[0], scores: out[scoresA as string]?.data, boxes: out[boxesA as string]?.data },
    { grid: GRIDS[1], scores: out[scoresB as string]?.data, boxes: out[boxesB as string]?.data },
  ];

  const candidates: FaceWithKeypoints[] = [];
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
      candidates.push({
        confidence: Math.round(confidence * 10000) / 10000,
        box: toRaster({ left: cx - w / 2, top: cy - h / 2, width: w, height: h }),
        keypoints: Object.fromEntries(
          KEYPOINTS.map((name, k) => [
            name,
            toRasterPoint({
              x: ax + (boxes[i * 16 + 4 + k * 2] as number) / INPUT,
              y: ay + (boxes[i * 16 + 5 + k * 2] as number) / INPUT,
            }),
          ]),
        ) as unknown as FaceKeypoints,
      });
    }
  }
  return suppressOverlaps(candidates, iouThreshold);
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
