import { z } from 'zod';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import type { QueueDeclaration, ScheduleDeclaration } from '../../../settings/resources';
import { PowertoolsEnvSchema, S3EnvSchema } from '../../../shared/contract';

/** The trash queue: redrive, batching, and the purge function's timeout. */
export const TRASH_QUEUE_DESIGN = {
  /** A message whose handling failed this often goes to the DLQ, under its alarm. */
  maxReceiveCount: 5,
  dlqRetentionDays: 14,
  /** Purges at once per invocation: each is a dozen calls (objects, renditions, postings, vector, faces, record). */
  batchSize: 10,
  /** A batch of ten purges, each listing an image's renditions a page at a time: a minute is ample. */
  timeoutSeconds: 60,
  /** Visibility timeout = this many times the function's timeout (AWS's guidance for SQS event sources). */
  visibilityTimeoutFactor: 6,
  /** The schedule's sweep: images are purged within a day of their `purgeAt`. */
  sweepEvery: 'rate(1 day)',
} as const;

/** The trash queue: the sweeps, an owner's pages and the images' purges, for purge-trash. */
export const TRASH_QUEUE: QueueDeclaration = {
  name: 'trash',
  redrive: TRASH_QUEUE_DESIGN,
  consumer: {
    function: 'purge-trash',
    timeoutSeconds: () => TRASH_QUEUE_DESIGN.timeoutSeconds,
    batchSize: () => TRASH_QUEUE_DESIGN.batchSize,
    visibilityTimeoutSeconds: () => TRASH_QUEUE_DESIGN.visibilityTimeoutFactor * TRASH_QUEUE_DESIGN.timeoutSeconds,
  },
  wiring: (trashQueueUrl) => ({ trashQueueUrl }),
};

/** The sweep: every image past its `purgeAt` is purged within a day (`image-intel trash purge` sends one now). */
export const TRASH_SWEEP: ScheduleDeclaration = {
  name: 'trash-sweep',
  description: 'Daily: the trash purge sweeps every shard of the trash for images past their purgeAt',
  queue: 'trash',
  message: { kind: 'sweep' },
  every: TRASH_QUEUE_DESIGN.sweepEvery,
  localEveryMs: 3600 * 1000,
  localPath: '/_local/trash/sweep',
};

/** Every variable purge-trash reads: its queue, and what today's delete reads (delete-image/route.ts) to purge. */
export const PurgeTrashEnvSchema = PowertoolsEnvSchema.extend(S3EnvSchema.shape)
  .extend({
    TABLE_NAME: z.string().min(1),
    /** Its own queue: each shard's pages and purges go there. */
    TRASH_QUEUE_URL: z.string().min(1),
    TRASH_DAYS: setting('trashDays'),
  })
  // (What each room that keeps data about an image reads to remove it is its cleanup's: lambdas/manifest/cleanups.ts.)
  .extend(SinkEnvShape);
export type PurgeTrashEnv = z.output<typeof PurgeTrashEnvSchema>;

export type PurgeTrashWiring = SinkWiring & {
  readonly tableName: string;
  readonly trashQueueUrl: string;
  readonly settings: Pick<DeploymentSettings, 'trashDays'>;
};

/** The environment the stack and the local runner give purge-trash. */
export function environmentFor(wiring: PurgeTrashWiring): FunctionEnvironment {
  return {
    TABLE_NAME: wiring.tableName,
    TRASH_QUEUE_URL: wiring.trashQueueUrl,
    TRASH_DAYS: String(wiring.settings.trashDays),
    ...sinkEnvironment(wiring),
  };
}
