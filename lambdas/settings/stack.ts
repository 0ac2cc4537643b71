import { z } from 'zod';
import { flag, list } from './values';

/** The steps of `listIndexMigration`; the table construct holds the indexes of each. */
export const LIST_INDEX_MIGRATION_STEPS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type ListIndexMigrationStep = (typeof LIST_INDEX_MIGRATION_STEPS)[number];

/**
 * Alarm addresses at most: each is an SNS subscription in the root stack, which the largest deployment the settings
 * accept keeps at 400 resources (test/infra/stack-size.test.ts). A mailing list reaches more.
 */
export const MAX_ALARM_EMAILS = 5;

/** The stack as a whole: its name, what happens to its data, who hears of its alarms. */
export const StackSettingsSchema = z.object({
  /**
   * The CloudFormation stack's name, so several deployments (dev, prod) can live in one account and Region: no
   * resource has a fixed physical name. Default `ImageIntel`.
   */
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a letter, then up to 127 letters, digits or hyphens')
    .default('ImageIntel'),
  /**
   * A step (1 to 8) of migrating an existing table to the final indexes (docs/architecture.md): 1-4 from the
   * unsharded list indexes, 5-8 to the owners' indexes (8 is the design before the timeline's index). Each step changes one index, the most one CloudFormation
   * update can. Default none: the final indexes.
   */
  listIndexMigration: z.coerce
    .number()
    .refine(
      (step): step is ListIndexMigrationStep => (LIST_INDEX_MIGRATION_STEPS as readonly number[]).includes(step),
      `must be one of ${LIST_INDEX_MIGRATION_STEPS.join(', ')} (a step of the index migration)`,
    )
    .transform((step) => step as ListIndexMigrationStep)
    .optional(),
  /**
   * Addresses the alarms (a dead letter, an upload waiting too long) notify, through an SNS topic the stack
   * creates; each confirms by a link AWS mails it. Default none: the alarms notify nobody.
   */
  alarmEmail: list(z.email(), (items) =>
    items.max(MAX_ALARM_EMAILS, `at most ${MAX_ALARM_EMAILS} addresses (each is a subscription in the root stack)`),
  ).default([]),
  /** Delete the bucket's images and the table when the stack is deleted. Default false: they are retained. */
  destroyOnRemove: flag(),
});
export type StackSettings = z.output<typeof StackSettingsSchema>;
