import { MODERATION_CATEGORIES, type ModerationCategory } from '../core/moderation';

/**
 * The one place the default thresholds are read: today every category's is the deployment's `moderationThreshold`
 * (docs/deploy.md). The calibration (bench/accuracy) will give each category its own; change this function then.
 */
export function defaultThresholds(settings: { moderationThreshold: number }): Record<ModerationCategory, number> {
  return Object.fromEntries(
    MODERATION_CATEGORIES.map((category) => [category, settings.moderationThreshold]),
  ) as Record<ModerationCategory, number>;
}
