import { z } from 'zod';

/*
 * The moderation vocabulary the record, the policy (lambdas/policy) and both vision providers share.
 */

/**
 * The moderation categories a policy names (docs/vision.md, "Moderation"): the top-level (L1) categories of
 * Rekognition's moderation taxonomy, under the names the offline model's labels already use, so one policy means the
 * same with either provider. Rekognition's taxonomy has three levels (L1 > L2 > L3); a policy acts on L1 only, which
 * is what AWS advises moderating on, and a label of a lower level counts towards the category of its top level.
 */
export const MODERATION_CATEGORIES = [
  'Explicit Nudity',
  'Suggestive',
  'Violence',
  'Visually Disturbing',
  'Drugs & Tobacco',
  'Alcohol',
  'Rude Gestures',
  'Gambling',
  'Hate Symbols',
] as const;
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

/**
 * The categories the offline model (nsfwjs, lambdas/vision/moderation.ts) can report: its Porn and Hentai classes
 * are `Explicit Nudity`, its Sexy class `Suggestive`. The others only Rekognition reports; offline, a rule on them
 * never triggers.
 */
export const OFFLINE_CATEGORIES: readonly ModerationCategory[] = ['Explicit Nudity', 'Suggestive'];

/**
 * What a rule does to an image whose category reaches its threshold:
 * - `flag`: `vision.moderation.flagged` (the image is shown as flagged, subscribers see it);
 * - `blur`: every thumbnail, rendition and public preset of it is blurred (the original is kept as it is);
 * - `reject`: the image is REJECTED (`MODERATION_POLICY`), its thumbnails blurred, its original kept.
 * A rule of any action also flags: a blurred or rejected image is a flagged one.
 */
export const MODERATION_ACTIONS = ['flag', 'blur', 'reject'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** What an owner's policy did to one image, as its record keeps it (`moderationPolicy`). */
export const ModerationPolicyOutcomeSchema = z
  .object({
    source: z.enum(['owner', 'default']).meta({ description: "The owner's own policy, or the deployment's default" }),
    triggered: z
      .array(
        z.object({
          category: z.enum(MODERATION_CATEGORIES),
          confidence: z.number().min(0).max(1),
          threshold: z.number().min(0).max(1),
          action: z.enum(MODERATION_ACTIONS),
        }),
      )
      .meta({ description: 'Each rule whose category reached its threshold, with the confidence it had' }),
    blurred: z.boolean().meta({ description: 'Its thumbnails, renditions and public presets are blurred' }),
  })
  .meta({ id: 'ModerationPolicyOutcome' });
export type ModerationPolicyOutcome = z.output<typeof ModerationPolicyOutcomeSchema>;
