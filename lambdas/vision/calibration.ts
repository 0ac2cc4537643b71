import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OFFLINE_CATEGORIES } from '../core/moderation';
import calibrationFile from './calibration.json';

const unit = z.number().min(0).max(1);
/**
 * One source's thresholds: `pooled` over all its classes together, `rare` for every class not listed (those with too
 * few tuning photos for one of their own, calibrated together, and those never seen), and one per listed class.
 */
const ThresholdsSchema = z.object({ pooled: unit, rare: unit.optional(), classes: z.record(z.string(), unit) });

/**
 * The thresholds the offline provider shows results at, per source and class, written by `npm run bench:accuracy`
 * (bench/accuracy): for each class, the lowest score whose precision on the evaluation set's tuning half reached
 * `target`. Below its threshold a result is not shown; its score is kept in the record's `candidates`.
 */
export const CalibrationSchema = z.object({
  made: z.object({ command: z.string(), set: z.string(), date: z.string() }),
  /** The precision each threshold was chosen to reach on the tuning half. */
  target: unit,
  /** Object classes, by COCO name (`dog`, `dining table`). */
  objects: ThresholdsSchema,
  faces: unit,
  /** The derived labels (Text, Document, Monochrome, Dark, Bright, Vegetation, Illustration). */
  labels: ThresholdsSchema,
  /** Moderation classes, by Rekognition's top-level names: the default flag thresholds. */
  moderation: ThresholdsSchema,
  /**
   * What a search finds: the retrieval thresholds of objects and derived labels, chosen for precision `target` (at
   * least 0.7) on the tuning half, never above the shown ones. A candidate between its retrieval and its shown
   * threshold is a likely match: searchable, ranked after the sure ones and marked as such, never shown as a label.
   */
  found: z.object({ target: unit, objects: ThresholdsSchema, labels: ThresholdsSchema }),
});
export type Calibration = z.infer<typeof CalibrationSchema>;
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/**
 * The environment variable naming a calibration file of your own (the same format, as `npm run bench:accuracy --
 * --set <your labelled set> --calibration <file>` writes it), for the CLI and the local runner.
 */
export const CALIBRATION_ENV = 'IMAGE_INTEL_CALIBRATION';

/** The calibration in use: the file `IMAGE_INTEL_CALIBRATION` names, else the committed lambdas/vision/calibration.json. */
export const CALIBRATION: Calibration = loadCalibration(process.env[CALIBRATION_ENV]);

function loadCalibration(file: string | undefined): Calibration {
  if (!file) return CalibrationSchema.parse(calibrationFile);
  const parsed = CalibrationSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${CALIBRATION_ENV}=${file} is not a calibration: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Scores below these are not kept at all, not even as candidates; the bench's predictions use the same floors, so
 * every threshold it can choose is one the product can apply.
 */
export const FLOORS = { objects: 0.05, faces: 0.3, labels: 0.05 } as const;

/** A class's threshold: its own when the set calibrated it, else the rare classes' (or the source's pooled) one. */
export function thresholdOf(thresholds: Thresholds, name: string): number {
  return thresholds.classes[name] ?? thresholds.rare ?? thresholds.pooled;
}

/**
 * A class's retrieval threshold (the score from which a search finds it): its own or the rare classes', never above
 * the threshold it is shown at.
 */
export function foundThresholdOf(calibration: Calibration, source: 'objects' | 'labels', name: string): number {
  return Math.min(thresholdOf(calibration.found[source], name), thresholdOf(calibration[source], name));
}

/** The categories the offline moderation model reports, with their calibrated flag thresholds: the default policy's. */
export function calibratedModeration(): Record<string, number> {
  return Object.fromEntries(
    OFFLINE_CATEGORIES.map((category) => [category, thresholdOf(CALIBRATION.moderation, category)]),
  );
}
