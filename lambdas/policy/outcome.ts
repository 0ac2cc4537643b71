import { z } from 'zod';
import { MODERATION_CATEGORIES } from './categories';
import { MODERATION_ACTIONS } from './policy';

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
