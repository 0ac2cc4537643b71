import { z } from 'zod';
import { SinkEnvShape, sinkEnvironment } from '../../../events/wiring';
import { type Use, uses } from '../../../manifest/uses';
import { formatSources } from '../../../settings/backfill';
import { type FunctionEnvironment, parseEnv, setting } from '../../../settings/env';
import { imagesInFlight, processorConcurrency } from '../../../settings/processing';
import type { QueueDeclaration } from '../../../settings/resources';
import { PowertoolsEnvSchema, S3EnvSchema } from '../../../shared/contract';
import { UPLOAD_PREFIX } from '../../../store/keys';
import type { ProcessorWiring } from './step-contract';
import { DUPLICATES_STEP } from './steps/duplicates-contract';
import { EMBED_STEP } from './steps/embed-contract';
import { PEOPLE_STEP } from './steps/people-contract';
import { POLICY_STEP } from './steps/policy-contract';
import { PROVENANCE_STEP } from './steps/provenance-contract';
import { RENDITIONS_STEP } from './steps/renditions-contract';
import { STALE_RENDITIONS_STEP } from './steps/stale-renditions-contract';
import { THUMBNAILS_STEP } from './steps/thumbnails-contract';
import { VISION_STEP } from './steps/vision-contract';

/** Redrive for the ingest queue: the processor also reads this to know a message's last attempt. */
export const INGEST_QUEUE_DESIGN = {
  maxReceiveCount: 5,
  dlqRetentionDays: 14,
  /** Visibility timeout = this many times the processor's timeout (AWS's guidance for SQS event sources). */
  visibilityTimeoutFactor: 6,
} as const;

/** The ingest queue: S3's and the backfills' notices, fed to the processor in batches with partial failures. */
export const INGEST_QUEUE: QueueDeclaration = {
  name: 'ingest',
  ownConstruct: true,
  redrive: INGEST_QUEUE_DESIGN,
  consumer: {
    function: 'processor',
    timeoutSeconds: (settings) => settings.processorTimeoutSeconds,
    batchSize: (settings) => settings.processorBatchSize,
    batchWindowSeconds: (settings) => settings.processorBatchWindowSeconds,
    concurrency: processorConcurrency,
    // Plus the batching window: a message waits in a batch being gathered before the function sees it.
    visibilityTimeoutSeconds: (settings) =>
      INGEST_QUEUE_DESIGN.visibilityTimeoutFactor * settings.processorTimeoutSeconds +
      settings.processorBatchWindowSeconds,
  },
  wiring: (ingestQueueUrl) => ({ ingestQueueUrl }),
  outputs: {
    queue: { name: 'QueueUrl', description: 'Upload notifications waiting for the processor' },
    deadLetterQueue: { name: 'DlqUrl', description: 'Uploads that failed processing 5 times' },
  },
};

/** The variables of the processor itself, its steps' aside (each step's contract adds its own: PROCESSOR_STEP_CONTRACTS). */
const ProcessorBaseEnvShape = {
  TABLE_NAME: z.string().min(1),
  /** The search index table (search-index.ts): the processor writes each final image's postings. */
  SEARCH_TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
  MAX_PIXELS: setting('maxPixels'),
  MAX_UPLOAD_BYTES: setting('maxUploadBytes'),
  /** The queue's redrive maxReceiveCount: the attempt that reaches it is the last one. */
  MAX_RECEIVE_COUNT: z.coerce.number().int().positive(),
  /** The function's timeout: how long a record whose event is pending may still be another run's to publish. */
  PROCESSOR_TIMEOUT_SECONDS: setting('processorTimeoutSeconds'),
  /** Images of one batch processed at once (derived from the memory and the largest image, `imagesInFlight`). */
  IMAGES_IN_FLIGHT: z.coerce.number().int().min(1),
  /**
   * The `sourceBuckets` setting as it is written (`bucket[/prefix][=owner]`, comma-separated): a watched object's
   * owner is its entry's (`watchSourceBuckets`).
   */
  SOURCE_BUCKETS: setting('sourceBuckets'),
};

/**
 * The contracts of the processing steps that need something of the deployment (steps.ts lists the steps): each
 * adds its variables, its part of the environment and its uses to the processor's.
 */
export const PROCESSOR_STEP_CONTRACTS = [
  VISION_STEP,
  DUPLICATES_STEP,
  RENDITIONS_STEP,
  EMBED_STEP,
  POLICY_STEP,
  PROVENANCE_STEP,
  THUMBNAILS_STEP,
  PEOPLE_STEP,
  STALE_RENDITIONS_STEP,
] as const;

/**
 * Every variable the processor reads, its own and its steps', parsed once at load, with each step's check. No
 * defaults: each value comes from the stack.
 */
export const ProcessorEnvSchema = z
  .object(ProcessorBaseEnvShape)
  .extend(VISION_STEP.env)
  .extend(RENDITIONS_STEP.env)
  .extend(EMBED_STEP.env)
  .extend(POLICY_STEP.env)
  .extend(PROVENANCE_STEP.env)
  .extend(PEOPLE_STEP.env)
  .extend(SinkEnvShape)
  .extend(S3EnvSchema.shape)
  .extend(PowertoolsEnvSchema.shape)
  .superRefine((env, context) => {
    for (const step of PROCESSOR_STEP_CONTRACTS) {
      if ('check' in step) (step.check as (env: unknown, context: z.RefinementCtx) => void)(env, context);
    }
  });

export type ProcessorConfig = z.output<typeof ProcessorEnvSchema>;

export function parseProcessorConfig(env: NodeJS.ProcessEnv): ProcessorConfig {
  return parseEnv(ProcessorEnvSchema, env, 'the processor');
}

export type { ProcessorWiring } from './step-contract';

/** The environment the stack and the local runner give the processor: its own, then each step's part. */
export function environmentFor(wiring: ProcessorWiring): FunctionEnvironment {
  const { settings } = wiring;
  return {
    TABLE_NAME: wiring.tableName,
    SEARCH_TABLE_NAME: wiring.searchTableName,
    BUCKET_NAME: wiring.bucketName,
    ...sinkEnvironment(wiring),
    THUMBNAIL_SIZES: settings.thumbnailSizes.join(','),
    MAX_PIXELS: String(settings.maxPixels),
    MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
    MAX_RECEIVE_COUNT: String(wiring.maxReceiveCount),
    PROCESSOR_TIMEOUT_SECONDS: String(settings.processorTimeoutSeconds),
    IMAGES_IN_FLIGHT: String(imagesInFlight(settings)),
    SOURCE_BUCKETS: formatSources(settings.sourceBuckets).join(','),
    ...Object.assign(
      {},
      ...PROCESSOR_STEP_CONTRACTS.map((step) => ('environment' in step ? step.environment(wiring) : {})),
    ),
  };
}

/**
 * What the processor does with the deployment's resources: its own uses, then each step's, the object actions on one
 * prefix (and the listed prefixes) merged into one use, so each is one statement of its role.
 */
export const PROCESSOR_USES: readonly Use[] = mergeStorageUses([
  uses.objects(UPLOAD_PREFIX, 's3:GetObject'),
  // An upload deleted before it is processed is a MISSING outcome, which S3 can tell only with listing.
  uses.list(UPLOAD_PREFIX),
  uses.resultsItems('GetItem', 'UpdateItem'),
  // Its postings, and those of a failure it records, and of a record it finds stored with its event pending.
  uses.search('write'),
  uses.putEvents(),
  // With webhooks on, each event also goes to the webhooks' queue (events/sinks.ts).
  uses.webhookQueue(),
  // A backfilled image is read where it is, in its source bucket.
  uses.backfill('source-reads'),
  ...PROCESSOR_STEP_CONTRACTS.flatMap((step) => ('uses' in step ? step.uses : [])),
]);

function mergeStorageUses(all: readonly Use[]): Use[] {
  const merged: Use[] = [];
  for (const use of all) {
    const at = merged.findIndex(
      (one) =>
        one.kind === use.kind && (use.kind !== 'objects' || (one.kind === 'objects' && one.prefix === use.prefix)),
    );
    const same = merged[at];
    if (same?.kind === 'objects' && use.kind === 'objects') {
      merged[at] = { ...same, actions: [...new Set([...same.actions, ...use.actions])] };
    } else if (same?.kind === 'list' && use.kind === 'list') {
      merged[at] = { ...same, prefixes: [...new Set([...same.prefixes, ...use.prefixes])] };
    } else merged.push(use);
  }
  return merged;
}
