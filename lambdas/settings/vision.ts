import { z } from 'zod';
import { flag, int } from './values';

export const InferenceModeSchema = z.enum(['rekognition', 'offline', 'none']);
export type InferenceMode = z.infer<typeof InferenceModeSchema>;
/** Old names still accepted for a setting's value, with the name that replaced them. */
export const DEPRECATED_INFERENCE_MODES: Readonly<Record<string, InferenceMode>> = { onnx: 'offline' };

/** Where labels, text, faces and moderation come from, and how hard that source may be pressed. */
export const VisionSettingsSchema = z.object({
  /**
   * Where labels, text, faces and moderation come from: `rekognition`, `offline` (the models shipped with the
   * project, in a container-image function) or `none`. `onnx` is the old name of `offline`. Default `rekognition`
   * (no container build needed).
   */
  inference: z
    .preprocess(
      (value) => (typeof value === 'string' && DEPRECATED_INFERENCE_MODES[value]) || value,
      InferenceModeSchema,
    )
    .default('rekognition'),
  /**
   * Moderation labels at or above this confidence flag an image, whatever their class. Default: offline, each class's
   * calibrated threshold (lambdas/vision/calibration.json, `npm run bench:accuracy`); with Rekognition, 0.8.
   */
  moderationThreshold: z.coerce.number().min(0).max(1).optional(),
  /**
   * Rekognition calls per second this deployment may make per API (the account's quota for DetectLabels,
   * DetectText, DetectFaces and DetectModerationLabels, the lowest of the four). Default 50.
   */
  rekognitionTps: int().min(1).max(10_000).default(50),
  /**
   * Group the faces of each owner's photos into people (docs/people.md). Off by default: a face descriptor is
   * biometric data (GDPR art. 9, Illinois BIPA), to be stored only where its owner has a basis to. Default false.
   */
  faceGrouping: flag(false),
});
export type VisionSettings = z.output<typeof VisionSettingsSchema>;

/** What the input says in a way that still works but should change, one sentence each (shown by `cdk synth`). */
export function deprecatedVisionSettings(input: Record<string, unknown>): string[] {
  const inference = input.inference;
  const replacement = typeof inference === 'string' ? DEPRECATED_INFERENCE_MODES[inference] : undefined;
  return replacement ? [`inference=${inference} is deprecated: use inference=${replacement} (same behaviour)`] : [];
}
