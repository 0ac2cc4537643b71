import { z } from 'zod';
import { MODERATION_ACTIONS, POLICY_CATEGORIES } from '../core/moderation';
import { storableNumber } from '../store/client-text';

/*
 * A moderation policy's rules (docs/vision.md): what `PUT /policy` takes and the policy routes answer, the policy
 * table keeps, and the processor decides with (policy.ts).
 */

export const ModerationRuleSchema = z
  .strictObject({
    category: z.enum(POLICY_CATEGORIES).meta({
      description:
        "A top-level moderation category (vision's), or `AI Generated` or `Tampered Credentials` (provenance's)",
    }),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .check(storableNumber)
      .meta({ description: "The category's confidence (0-1) at which it acts" }),
    action: z.enum(MODERATION_ACTIONS),
  })
  .meta({ id: 'ModerationRule' });
export type ModerationRule = z.output<typeof ModerationRuleSchema>;

/** At most one rule per category and action: a category may blur at one confidence and reject at a higher one. */
export const ModerationRulesSchema = z
  .array(ModerationRuleSchema)
  .max(POLICY_CATEGORIES.length * MODERATION_ACTIONS.length)
  .refine((rules) => new Set(rules.map((r) => `${r.category}/${r.action}`)).size === rules.length, {
    message: 'at most one rule per category and action',
  });
