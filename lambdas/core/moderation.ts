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
 * The categories a policy reads from the image's provenance (its record's `provenance`, docs/provenance.md), not
 * from vision: each has a fixed confidence, so a policy on them means the same with every inference provider, `none`
 * included (the provenance step runs with each, before the policy).
 * - `AI Generated`: 1 when the image says it was made by a generative model (`ai-generated`), 0.5 when it was partly
 *   made by one (`ai-edited`), so a rule at 0.5 or below takes both and one above 0.5 only the first.
 * - `Tampered Credentials`: 1 when its Content Credentials fail their check (`invalid`): changed after signing, or
 *   forged. An untrusted signer is not tampering: the manifest is intact, only its signer is unknown here.
 */
export const PROVENANCE_CATEGORIES = ['AI Generated', 'Tampered Credentials'] as const;
export type ProvenanceCategory = (typeof PROVENANCE_CATEGORIES)[number];

/** Every category a policy's rule may name: vision's moderation categories, then provenance's. */
export const POLICY_CATEGORIES = [...MODERATION_CATEGORIES, ...PROVENANCE_CATEGORIES] as const;
export type PolicyCategory = (typeof POLICY_CATEGORIES)[number];

/**
 * The categories the offline model (nsfwjs, lambdas/vision/moderation.ts) can report: its Porn and Hentai classes
 * are `Explicit Nudity`, its Sexy class `Suggestive`. The others only Rekognition reports; offline, a rule on them
 * never triggers.
 */
export const OFFLINE_CATEGORIES: readonly ModerationCategory[] = ['Explicit Nudity', 'Suggestive'];

/**
 * What a rule does to an image whose category reaches its threshold:
 * - `flag`: the image is flagged (`flaggedOf`: shown as flagged, found by `flagged=true`, subscribers see it);
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
          category: z.enum(POLICY_CATEGORIES),
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

/**
 * Whether the image is flagged, as every reader of it says so (the `flagged=` filter, the `Image Processed` event's
 * `moderationFlagged`, the web app): true when its owner's policy flagged it on any category (a rule of any action
 * flags), vision's or provenance's, which `vision.moderation.flagged` also says when there is vision; false when
 * moderation checked it and nothing flagged it; undefined when nothing did, so an image never looked at matches
 * neither `flagged=true` nor `flagged=false`. An image with no vision (`inference=none`) is flagged by provenance's
 * categories alone, and has no `vision.moderation` to say so: `moderationPolicy.triggered` does.
 */
export function flaggedOf(item: {
  vision?: { moderation: { checked: boolean; flagged: boolean } };
  moderationPolicy?: { triggered: readonly unknown[] };
}): boolean | undefined {
  if ((item.moderationPolicy?.triggered.length ?? 0) > 0 || item.vision?.moderation.flagged) return true;
  return item.vision?.moderation.checked ? false : undefined;
}
