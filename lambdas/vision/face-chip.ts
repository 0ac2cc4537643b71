import type { Raster } from '../core/analysis/raster';
import type { FaceKeypoints } from './faces';
import type { Point } from './letterbox';

/** The side of the square the face recognition model reads: dlib's 150 px face chip. */
export const CHIP_SIZE = 150;

/**
 * Where dlib's chips put the eyes' centres, the nose tip and the mouth's centre, in chip pixels: its mean face
 * shape (`get_face_chip_details`, landmarks 36-41, 42-47, 30 and 48-67 averaged) with 0.25 padding on each side,
 * the layout the model was trained on. Named for the person: their right eye is on the chip's left.
 */
const TEMPLATE: Readonly<Record<'rightEye' | 'leftEye' | 'nose' | 'mouth', Point>> = {
  rightEye: { x: 47.549, y: 46.599 },
  leftEye: { x: 100.476, y: 46.599 },
  nose: { x: 74.013, y: 76.563 },
  mouth: { x: 74.013, y: 105.422 },
};
const ALIGNED = ['rightEye', 'leftEye', 'nose', 'mouth'] as const;

/** A similarity transform (rotation, uniform scale, shift): x' = a x - b y + tx, y' = b x + a y + ty. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** The least-squares similarity taking `from` onto `to` (Umeyama without reflection), point for point. */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  const mean = (points: readonly Point[]) => ({
    x: points.reduce((sum, p) => sum + p.x, 0) / points.length,
    y: points.reduce((sum, p) => sum + p.y, 0) / points.length,
  });
  const cf = mean(from);
  const ct = mean(to);
  let dot = 0;
  let cross = 0;
  let norm = 0;
  from.forEach((p, i) => {
    const q = to[i] as Point;
    const fx = p.x - cf.x;
    const fy = p.y - cf.y;
    const qx = q.x - ct.x;
    const qy = q.y - ct.y;
    dot += fx * qx + fy * qy;
    cross += fx * qy - fy * qx;
    norm += fx * fx + fy * fy;
  });
  if (norm === 0) throw new Error('cannot align a face whose keypoints coincide');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: ct.x - (a * cf.x - b * cf.y), ty: ct.y - (b * cf.x + a * cf.y) };
}

/** Distance between the eyes in raster pixels: the face's size as the model will see it. */
export function eyeDistancePx(raster: Pick<Raster, 'width' | 'height'>, keypoints: FaceKeypoints): number {
  return Math.hypot(
    (keypoints.leftEye.x - keypoints.rightEye.x) * raster.width,
    (keypoints.leftEye.y - keypoints.rightEye.y) * raster.height,
  );
}

/**
 * The face cut out as dlib's 150x150 RGB chip: rotated so the eyes are level, scaled to the template's eye
 * distance and centred as dlib centres it, from BlazeFace's eyes, nose and mouth (its ears are too unsteady).
 *
 * Each chip pixel averages n x n bilinear samples of its footprint on the raster, n the raster pixels a chip
 * pixel spans (so a large face is shrunk without aliasing, as dlib does with its pyramid); outside the raster
 * is black, as in dlib's chips.
 */
export function faceChip(raster: Raster, keypoints: FaceKeypoints): Uint8Array {
  // Raster keypoints in pixel-index coordinates (a pixel's centre is at i + 0.5 in fractions times size).
  const onRaster = ALIGNED.map((name) => ({
    x: keypoints[name].x * raster.width - 0.5,
    y: keypoints[name].y * raster.height - 0.5,
  }));
  const toRaster = fitSimilarity(
    ALIGNED.map((name) => TEMPLATE[name]),
    onRaster,
  );
  const scale = Math.hypot(toRaster.a, toRaster.b);
  const n = Math.max(1, Math.ceil(scale - 0.01));
  const chip = new Uint8Array(CHIP_SIZE * CHIP_SIZE * 3);
  const sum = [0, 0, 0];
  for (let v = 0; v < CHIP_SIZE; v++) {
    for (let u = 0; u < CHIP_SIZE; u++) {
      sum[0] = sum[1] = sum[2] = 0;
      for (let j = 0; j < n; j++) {
        const cv = v + (j + 0.5) / n - 0.5;
        for (let i = 0; i < n; i++) {
          const cu = u + (i + 0.5) / n - 0.5;
          sampleInto(
            raster,
            toRaster.a * cu - toRaster.b * cv + toRaster.tx,
            toRaster.b * cu + toRaster.a * cv + toRaster.ty,
            sum,
          );
        }
      }
      const at = (v * CHIP_SIZE + u) * 3;
      for (let c = 0; c < 3; c++) chip[at + c] = Math.round((sum[c] as number) / (n * n));
    }
  }
  return chip;
}

/** Add the bilinear sample of the raster at (x, y) (pixel-index coordinates) to `sum`; black outside. */
function sampleInto(raster: Raster, x: number, y: number, sum: number[]): void {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const { data, width, height } = raster;
  for (let dy = 0; dy < 2; dy++) {
    const yy = y0 + dy;
    if (yy < 0 || yy >= height) continue;
    const wy = dy ? fy : 1 - fy;
    for (let dx = 0; dx < 2; dx++) {
      const xx = x0 + dx;
      if (xx < 0 || xx >= width) continue;
      const w = wy * (dx ? fx : 1 - fx);
      const at = (yy * width + xx) * 3;
      sum[0] = (sum[0] as number) + w * (data[at] as number);
      sum[1] = (sum[1] as number) + w * (data[at + 1] as number);
      sum[2] = (sum[2] as number) + w * (data[at + 2] as number);
    }
  }
}
