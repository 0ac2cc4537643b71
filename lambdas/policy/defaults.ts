import { MODERATION_CATEGORIES, type ModerationCategory, type ProvenanceCategory } from '../core/moderation';

/** The default policy's threshold for a category nothing else sets: Rekognition's and the offline models' usual 0.8. */
export const DEFAULT_MODERATION_THRESHOLD = 0.8;

export interface PolicyDefaults {
  /** The deployment's `moderationThreshold`: when set, every category's. */
  moderationThreshold?: number;
  /** The offline models' calibrated flag thresholds (lambdas/vision/calibration.json), by category. */
  calibrated?: Partial<Record<string, number>>;
}

/**
 * The one place the default thresholds are read: the deployment's `moderationThreshold` when set (docs/deploy.md),
 * else the category's calibrated threshold where the offline models were calibrated for it, else 0.8.
 */
export function defaultThresholds(defaults: PolicyDefaults): Record<ModerationCategory, number> {
  return Object.fromEntries(
    MODERATION_CATEGORIES.map((category) => [
      category,
      defaults.moderationThreshold ?? defaults.calibrated?.[category] ?? DEFAULT_MODERATION_THRESHOLD,
    ]),
  ) as Record<ModerationCategory, number>;
}

/**
 * The default policy's thresholds on provenance's categories, which no setting changes (their confidences are fixed,
 * not a model's): `Tampered Credentials` at 1, so a manifest that fails its check is flagged, never trusted. `AI
 * Generated` has none: an AI-generated image is not one to moderate by itself (its badge and `provenance=` show it),
 * so it is flagged, blurred or rejected only by an owner's policy that says so.
 */
export const DEFAULT_PROVENANCE_FLAGS: ReadonlyArray<{ category: ProvenanceCategory; threshold: number }> = [
  { category: 'Tampered Credentials', threshold: 1 },
];
