import { z } from 'zod';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import {
  checkFaceGroupingEnv,
  FaceGroupingEnvSchema,
  faceGroupingEnvironment,
  type PeopleWiring,
} from '../../../people/wiring';
import {
  RenderImageEnvSchema,
  type RenditionSettings,
  renditionSettingsVariable,
  type WatermarkFiles,
} from '../../../renditions/functions/render-image/contract';
import { MeaningEnvShape, type MeaningWiring, meaningEnvironment } from '../../../search/meaning/contract';
import { type DeploymentSettings, DeploymentSettingsSchema, InferenceModeSchema } from '../../../settings';
import { formatSources } from '../../../settings/backfill';
import { type FunctionEnvironment, parseEnv, setting } from '../../../settings/env';
import { imagesInFlight, processorConcurrency } from '../../../settings/processing';
import type { QueueDeclaration } from '../../../settings/resources';
import { PowertoolsEnvSchema, S3EnvSchema } from '../../../shared/contract';

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

/** Every variable the processor reads, parsed once at load. No defaults: each value comes from the stack. */
export const ProcessorEnvSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    /** The search index table (search-index.ts): the processor writes each final image's postings. */
    SEARCH_TABLE_NAME: z.string().min(1),
    /** The owners' moderation policies (lambdas/policy): the image owner's is applied after vision. */
    POLICY_TABLE: z.string().min(1),
    BUCKET_NAME: z.string().min(1),
    INFERENCE: InferenceModeSchema,
    /** The offline vision function, required when INFERENCE=offline. */
    VISION_FUNCTION_NAME: z.string().min(1).optional(),
    THUMBNAIL_SIZES: setting('thumbnailSizes'),
    MAX_PIXELS: setting('maxPixels'),
    MAX_UPLOAD_BYTES: setting('maxUploadBytes'),
    /** The queue's redrive maxReceiveCount: the attempt that reaches it is the last one. */
    MAX_RECEIVE_COUNT: z.coerce.number().int().positive(),
    /**
     * Absent: each provider's default (see the `moderationThreshold` setting); also the default policy's threshold
     * (lambdas/policy/defaults.ts), for an owner without a policy of their own.
     */
    MODERATION_THRESHOLD: DeploymentSettingsSchema.shape.moderationThreshold,
    /** The function's timeout: how long a record whose event is pending may still be another run's to publish. */
    PROCESSOR_TIMEOUT_SECONDS: setting('processorTimeoutSeconds'),
    /** Images of one batch processed at once (derived from the memory and the largest image, `imagesInFlight`). */
    IMAGES_IN_FLIGHT: z.coerce.number().int().min(1),
    /**
     * The render function's own variable, parsed by its schema: the presets marked `eager` are made at ingest with
     * the limits it renders with, and stored at the key it looks for.
     */
    RENDITION_SETTINGS: RenderImageEnvSchema.shape.RENDITION_SETTINGS,
    /**
     * The `sourceBuckets` setting as it is written (`bucket[/prefix][=owner]`, comma-separated): a watched object's
     * owner is its entry's (`watchSourceBuckets`).
     */
    SOURCE_BUCKETS: setting('sourceBuckets'),
  })
  .extend(SinkEnvShape)
  .extend(FaceGroupingEnvSchema.shape)
  .extend(MeaningEnvShape)
  .extend(S3EnvSchema.shape)
  .extend(PowertoolsEnvSchema.shape)
  .refine((env) => env.INFERENCE !== 'offline' || env.VISION_FUNCTION_NAME, {
    message: 'VISION_FUNCTION_NAME is required when INFERENCE=offline',
    path: ['VISION_FUNCTION_NAME'],
  })
  .superRefine((env, context) => checkFaceGroupingEnv(env, env.INFERENCE, context));

export type ProcessorConfig = z.output<typeof ProcessorEnvSchema>;

export function parseProcessorConfig(env: NodeJS.ProcessEnv): ProcessorConfig {
  return parseEnv(ProcessorEnvSchema, env, 'the processor');
}

export interface ProcessorWiring extends SinkWiring {
  readonly tableName: string;
  readonly searchTableName: string;
  readonly policyTableName: string;
  readonly bucketName: string;
  /** The ingest queue's redrive count. */
  readonly maxReceiveCount: number;
  /** The offline vision function's name, with `inference=offline`. */
  readonly visionFunctionName?: string;
  /** Where faces and people are kept, with `faceGrouping` (`faceCollectionId` with `inference=rekognition` only). */
  readonly people?: PeopleWiring;
  /** The vector index and its model, with `semanticSearch` on. */
  readonly meaning?: MeaningWiring;
  readonly settings: Pick<
    DeploymentSettings,
    | 'inference'
    | 'thumbnailSizes'
    | 'processorTimeoutSeconds'
    | 'maxPixels'
    | 'maxUploadBytes'
    | 'moderationThreshold'
    | 'processorMemoryMb'
    | 'processorBatchSize'
    | 'processorImagesInFlight'
    | 'sourceBuckets'
    | 'faceGrouping'
  > &
    RenditionSettings;
  /**
   * Where the eager presets' image watermarks are read, as for the render function: `project` at their configured
   * paths (the local runner), `bundle` copied into the function's asset by the stack. @default 'project'
   */
  readonly watermarkFiles?: WatermarkFiles;
}

/** The environment the stack and the local runner give the processor. */
export function environmentFor(wiring: ProcessorWiring): FunctionEnvironment {
  const { settings } = wiring;
  if (settings.inference === 'offline' && !wiring.visionFunctionName) {
    throw new Error('inference=offline needs the vision function to invoke');
  }
  return {
    TABLE_NAME: wiring.tableName,
    SEARCH_TABLE_NAME: wiring.searchTableName,
    POLICY_TABLE: wiring.policyTableName,
    BUCKET_NAME: wiring.bucketName,
    ...sinkEnvironment(wiring),
    INFERENCE: settings.inference,
    ...(settings.inference === 'offline' && { VISION_FUNCTION_NAME: wiring.visionFunctionName as string }),
    THUMBNAIL_SIZES: settings.thumbnailSizes.join(','),
    MAX_PIXELS: String(settings.maxPixels),
    MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
    MAX_RECEIVE_COUNT: String(wiring.maxReceiveCount),
    ...(settings.moderationThreshold !== undefined && { MODERATION_THRESHOLD: String(settings.moderationThreshold) }),
    PROCESSOR_TIMEOUT_SECONDS: String(settings.processorTimeoutSeconds),
    IMAGES_IN_FLIGHT: String(imagesInFlight(settings)),
    RENDITION_SETTINGS: renditionSettingsVariable(settings, wiring.watermarkFiles ?? 'project'),
    SOURCE_BUCKETS: formatSources(settings.sourceBuckets).join(','),
    ...faceGroupingEnvironment(settings, wiring.people),
    ...meaningEnvironment(wiring.meaning),
  };
}
