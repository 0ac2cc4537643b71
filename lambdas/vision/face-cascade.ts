import type { Raster } from '../core/analysis/raster';
import { detectFaceBoxes } from './face-boxes';
import { type DetectedFace, detectFaceKeypoints, type FaceOptions, type FaceWithKeypoints, iou } from './faces';

/**
 * BlazeFace's uncertain band: a face scored in [lower, upper) is checked by FaceBoxes; one at `upper` or over is
 * sure, one under `lower` is left as BlazeFace scored it, unchecked, so no faces threshold may go under `lower`
 * (bench/accuracy calibrates from there). Chosen on the labelled set's tuning half only (bench/faces-cascade):
 * `upper` 0.02 or more past the strongest BlazeFace score on a photo without a face (a gibbon, 0.8625: the same
 * photo resampled scores 0.868), then the highest recall and precision, checking the fewest photos.
 */
export const UNCERTAIN = { lower: 0.75, upper: 0.9 } as const;
/** How much a FaceBoxes box must overlap a BlazeFace one (intersection over union) to speak for the same face. */
const SAME_FACE = 0.3;

/** The two detectors, as functions, so that a test can count the second one's runs. */
export interface CascadeDetectors {
  /** BlazeFace, every face from the options' floor, with its keypoints. */
  first(raster: Raster, options: FaceOptions): Promise<FaceWithKeypoints[]>;
  /** The second opinion, over the whole raster. */
  second(raster: Raster): Promise<DetectedFace[]>;
}

const DETECTORS: CascadeDetectors = { first: detectFaceKeypoints, second: detectFaceBoxes };

/** What the cascade did on one picture: for the record's timing and for tests. */
export interface CascadeRun {
  faces: FaceWithKeypoints[];
  /** Whether the second detector ran (only when BlazeFace had a face in the uncertain band). */
  checked: boolean;
}

/**
 * Faces as a cascade: BlazeFace on every picture, FaceBoxes only where BlazeFace is unsure.
 *
 * 1. Run BlazeFace (whole picture and tiles, faces.ts) down to `minConfidence`.
 * 2. With no face in the uncertain band, stop: the faces are BlazeFace's, scores unchanged.
 * 3. Otherwise run FaceBoxes once over the whole picture, and give each uncertain face the geometric mean of its
 *    BlazeFace score and the best FaceBoxes score on an overlapping box (none: 0). Either model alone can be fooled
 *    by an animal's face (FaceBoxes scores a dog 0.88, BlazeFace a gibbon 0.86); the two together are rarely sure of
 *    the same wrong face. A face the mean drops under `minConfidence` is not kept, not even as a candidate.
 * 4. Sort strongest first, as BlazeFace's faces come: the calibration thresholds these scores (`faces`), and the
 *    band's lower bound is where it can go no lower, since the faces under it were never checked.
 */
export async function cascadeFaces(
  raster: Raster,
  options: FaceOptions = {},
  detectors: CascadeDetectors = DETECTORS,
): Promise<CascadeRun> {
  const { minConfidence = 0.8 } = options;
  const found = await detectors.first(raster, { ...options, minConfidence: Math.min(minConfidence, UNCERTAIN.lower) });
  const uncertain = (face: DetectedFace) => face.confidence >= UNCERTAIN.lower && face.confidence < UNCERTAIN.upper;
  if (!found.some(uncertain)) return { faces: found.filter((f) => f.confidence >= minConfidence), checked: false };
  const seconds = await detectors.second(raster);
  const faces = found
    .map((face) => {
      if (!uncertain(face)) return face;
      const second = Math.max(0, ...seconds.filter((s) => iou(s.box, face.box) >= SAME_FACE).map((s) => s.confidence));
      return { ...face, confidence: Math.round(Math.sqrt(face.confidence * second) * 10000) / 10000 };
    })
    .filter((face) => face.confidence >= minConfidence)
    .sort((a, b) => b.confidence - a.confidence);
  return { faces, checked: true };
}
