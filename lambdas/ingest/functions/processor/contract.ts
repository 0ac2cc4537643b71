import { z } from 'zod';
import { SINK_USES, SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import type { StepContract, StepDeclarations, StepWiring } from '../../../kit/processor-step-contract';
import { type Use, uses } from '../../../kit/uses';
import type { DeploymentSettings } from '../../../settings';
import { formatSources } from '../../../settings/backfill';
import { type FunctionEnvironment, parseEnv, setting } from '../../../settings/env';
import { imagesInFlight, processorConcurrency } from '../../../settings/processing';
import type { QueueDeclaration } from '../../../settings/resources';
import { rawUploadBytes } from '../../../settings/uploads';
import { PowertoolsEnvSchema, S3EnvSchema } from '../../../shared/contract';
import { UPLOAD_PREFIX } from '../../../store/keys';

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

/** The variables of the processor itself, its steps' aside (each step's contract adds its own). */
const ProcessorBaseEnvShape = {
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
  MAX_PIXELS: setting('maxPixels'),
  MAX_UPLOAD_BYTES: setting('maxUploadBytes'),
  /** A camera RAW's limit: the processor reads up to the larger of the two. */
  MAX_RAW_UPLOAD_BYTES: setting('maxRawUploadBytes'),
  /** A Live Photo's MOV (`.mov`) is read up to its own limit (lambdas/live). */
  MAX_LIVE_PHOTO_VIDEO_BYTES: setting('maxLivePhotoVideoBytes'),
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
  ...SinkEnvShape,
  ...S3EnvSchema.shape,
  ...PowertoolsEnvSchema.shape,
};

const ProcessorBaseEnvSchema = z.object(ProcessorBaseEnvShape);

/**
 * The processor's own variables, as its own code reads them; each step reads its own, which its contract declared,
 * from the same parse.
 */
export type ProcessorConfig = z.output<typeof ProcessorBaseEnvSchema>;

/** What the stack and the local runner wire the processor itself with; each step's contract asks for its part. */
export interface IngestWiring extends SinkWiring, StepWiring {
  readonly tableName: string;
  readonly bucketName: string;
  /** The ingest queue's redrive count. */
  readonly maxReceiveCount: number;
  readonly settings: StepWiring['settings'] &
    Pick<
      DeploymentSettings,
      | 'thumbnailSizes'
      | 'processorTimeoutSeconds'
      | 'maxUploadBytes'
      | 'maxRawUploadBytes'
      | 'maxLivePhotoVideoBytes'
      | 'allowedTypes'
      | 'processorMemoryMb'
      | 'processorBatchSize'
      | 'processorImagesInFlight'
      | 'sourceBuckets'
    >;
}

/**
 * What the processor is, made from its steps' declarations (the registry's list): its variables, environment, uses.
 * `Config` is what its parse reads, its own variables and its steps' (typed by the registry, which knows every step).
 */
export interface ProcessorContract<Wiring, Config extends ProcessorConfig = ProcessorConfig> {
  /** Every variable the processor reads, its own and its steps', with each step's check. No defaults. */
  readonly envSchema: z.ZodType<Config>;
  parse(env: NodeJS.ProcessEnv): Config;
  /** The environment the stack and the local runner give the processor: its own, then each step's part. */
  environmentFor(wiring: Wiring): FunctionEnvironment;
  /**
   * What the processor does with the deployment's resources: its own uses, then each step's, the object actions on
   * one prefix (and the listed prefixes) merged into one use, so each is one statement of its role.
   */
  readonly uses: readonly Use[];
  /** The files its steps read beside the bundle, each once. */
  readonly bundledData: readonly NonNullable<StepContract['bundledData']>[number][];
}

/** The processor's contract, folded over its steps' declarations in the list's order (each contract once). */
export function processorContract<Wiring extends IngestWiring, Config extends ProcessorConfig = ProcessorConfig>(
  steps: StepDeclarations,
): ProcessorContract<Wiring, Config> {
  const contracts = [...new Set(steps.flat().flatMap((step) => (step.contract === undefined ? [] : [step.contract])))];
  const envSchema = contracts
    .reduce<z.ZodObject<z.ZodRawShape>>(
      (schema, contract) => (contract.env ? schema.extend(contract.env) : schema),
      ProcessorBaseEnvSchema,
    )
    .superRefine((env, context) => {
      for (const contract of contracts) contract.check?.(env as never, context);
    }) as unknown as z.ZodType<Config>;
  return {
    envSchema,
    parse: (env) => parseEnv(envSchema, env, 'the processor'),
    environmentFor: (wiring) => ({
      ...ownEnvironment(wiring),
      ...Object.assign({}, ...contracts.map((contract) => contract.environment?.(wiring as never) ?? {})),
    }),
    uses: mergeStorageUses([...OWN_USES, ...contracts.flatMap((contract) => contract.uses ?? [])]),
    bundledData: [...new Set(contracts.flatMap((contract) => contract.bundledData ?? []))],
  };
}

function ownEnvironment(wiring: IngestWiring): FunctionEnvironment {
  const { settings } = wiring;
  return {
    TABLE_NAME: wiring.tableName,
    BUCKET_NAME: wiring.bucketName,
    ...sinkEnvironment(wiring),
    THUMBNAIL_SIZES: settings.thumbnailSizes.join(','),
    MAX_PIXELS: String(settings.maxPixels),
    MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
    MAX_RAW_UPLOAD_BYTES: String(rawUploadBytes(settings)),
    MAX_LIVE_PHOTO_VIDEO_BYTES: String(settings.maxLivePhotoVideoBytes),
    MAX_RECEIVE_COUNT: String(wiring.maxReceiveCount),
    PROCESSOR_TIMEOUT_SECONDS: String(settings.processorTimeoutSeconds),
    IMAGES_IN_FLIGHT: String(imagesInFlight(settings)),
    SOURCE_BUCKETS: formatSources(settings.sourceBuckets).join(','),
  };
}

const OWN_USES: readonly Use[] = [
  uses.objects(UPLOAD_PREFIX, 's3:GetObject'),
  // An upload deleted before it is processed is a MISSING outcome, which S3 can tell only with listing.
  uses.list(UPLOAD_PREFIX),
  uses.resultsItems('GetItem', 'UpdateItem'),
  // Its events, to each sink (events/sinks.ts).
  ...SINK_USES,
  // An image of a source bucket (the `sourceBuckets` setting) is read where it is.
  uses.sourceObjects(),
];

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
