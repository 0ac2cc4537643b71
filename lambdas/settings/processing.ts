import { z } from 'zod';
import { largestUploadBytes, type UploadSettings } from './uploads';
import { int } from './values';
import type { VisionSettings } from './vision';

/**
 * How much work one processor invocation takes on, derived from the settings, so the stack, the processor and
 * the local runner agree, and the synth refuses settings that cannot work together.
 */

export const SharpPackagingSchema = z.enum(['layer', 'bundle']);
export type SharpPackaging = z.infer<typeof SharpPackagingSchema>;

/** How the processor takes work from the ingest queue, and with how much memory and time. */
export const ProcessingSettingsSchema = z.object({
  /**
   * Messages the SQS event source hands the processor at once (1-10,000; over 10 needs a batching window).
   * Default 10.
   */
  processorBatchSize: int().min(1).max(10_000).default(10),
  /** Seconds Lambda may wait to fill a batch (0-300). Default 0: an upload is read as soon as it is queued. */
  processorBatchWindowSeconds: int().min(0).max(300).default(0),
  /** The processor's memory in MB (1024-10240); CPU grows with it. Default 3008. */
  processorMemoryMb: int().min(1024).max(10_240).default(3008),
  /** The processor's timeout in seconds (10-900); the ingest queue's visibility timeout is 6x this. Default 60. */
  processorTimeoutSeconds: int().min(10).max(900).default(60),
  /**
   * Processor invocations at once at most (the event source's maximum concurrency, 2-1000). Default: derived, see
   * `processorConcurrency()` (from `rekognitionTps` with `inference=rekognition`, else 200).
   */
  processorMaxConcurrency: int().min(2).max(1000).optional(),
  /**
   * Images of one batch processed at once. Default: derived from `processorMemoryMb`, `maxPixels` and
   * `maxUploadBytes` so that the largest images a batch may hold never exceed the memory (`imagesInFlight()`).
   */
  processorImagesInFlight: int().min(1).max(100).optional(),
  /**
   * Where the processor's sharp (linux-arm64) comes from: `layer`, a Lambda layer shared by its versions, or
   * `bundle`, installed into the function's own asset (for LocalStack's free image, which applies no layers).
   * Default `layer`.
   */
  sharpPackaging: SharpPackagingSchema.default('layer'),
});
export type ProcessingSettings = z.output<typeof ProcessingSettingsSchema>;
/** The settings processing depends on, from this concern and the ones beside it. */
type DeploymentSettings = ProcessingSettings & UploadSettings & VisionSettings;

const MIB = 1024 * 1024;
/** What the Node.js runtime, the SDK clients and libvips' caches hold before any image arrives. */
export const PROCESSOR_BASE_MB = 256;
/**
 * Working memory per decoded pixel at worst: libvips holds whole rows, and a 65,535-px-wide image at 100 MP
 * peaked near 270 MB (the fuzzer's finding). Everyday photos need far less (a 100 MP JPEG or PNG: under 60 MB,
 * `bench/core/README.md`), so this bound is conservative on purpose.
 */
export const WORST_BYTES_PER_PIXEL = 2.7;
/** Thumbnail encoders, the record, the event: a fixed allowance per image. */
const PER_IMAGE_OVERHEAD_MB = 32;

type Sizing = Pick<
  DeploymentSettings,
  'processorMemoryMb' | 'maxPixels' | 'maxUploadBytes' | 'maxRawUploadBytes' | 'allowedTypes' | 'processorBatchSize'
>;

/**
 * Memory one image in flight may take at worst: its upload held in memory (the larger of the two limits: a camera
 * RAW's is held whole while its preview is decoded), its decode, its outputs.
 */
export function worstImageMb(
  settings: Pick<DeploymentSettings, 'maxPixels' | 'maxUploadBytes' | 'maxRawUploadBytes' | 'allowedTypes'>,
): number {
  return Math.ceil(
    largestUploadBytes(settings) / MIB + (settings.maxPixels * WORST_BYTES_PER_PIXEL) / MIB + PER_IMAGE_OVERHEAD_MB,
  );
}

/**
 * Images of one batch processed at once: as many as fit the memory at worst, at most the batch size. 0 means not
 * even one fits (`checkProcessing` refuses that).
 */
export function imagesInFlight(settings: Sizing & Pick<DeploymentSettings, 'processorImagesInFlight'>): number {
  const fit = Math.floor((settings.processorMemoryMb - PROCESSOR_BASE_MB) / worstImageMb(settings));
  return Math.min(settings.processorImagesInFlight ?? fit, fit, settings.processorBatchSize);
}

/**
 * Without Rekognition in the path: room for 1,000 images/s of 12 MP photos (about 112 executions by
 * `npm run bench:capacity`) with headroom, a fifth of an account's default 1,000 concurrent executions.
 */
export const DEFAULT_MAX_CONCURRENCY = 200;
/**
 * Seconds one image keeps a slot busy with Rekognition: its four Detect calls run concurrently and take about
 * 0.3-1 s; 1 s keeps the estimate on the safe side of the quota.
 */
export const REKOGNITION_SECONDS_PER_IMAGE = 1;

/**
 * The event source's maximum concurrency. With Rekognition, each image makes one call to each Detect API, so the
 * pipeline's image rate must stay under `rekognitionTps`: invocations x images in flight / seconds per image
 * <= TPS, so invocations = floor(TPS x seconds per image / images in flight), at least 2. Throttling beyond
 * that is retried by the SDK (adaptive mode) and, at worst, by SQS.
 */
export function processorConcurrency(
  settings: Sizing &
    Pick<DeploymentSettings, 'processorImagesInFlight' | 'processorMaxConcurrency' | 'inference' | 'rekognitionTps'>,
): number {
  if (settings.processorMaxConcurrency !== undefined) return settings.processorMaxConcurrency;
  if (settings.inference !== 'rekognition') return DEFAULT_MAX_CONCURRENCY;
  const perInvocation = Math.max(1, imagesInFlight(settings));
  return Math.max(2, Math.floor((settings.rekognitionTps * REKOGNITION_SECONDS_PER_IMAGE) / perInvocation));
}

/** Settings that cannot work together, each named with what to change; empty when all is well. */
export function processingProblems(
  settings: Sizing & Pick<DeploymentSettings, 'processorBatchWindowSeconds'>,
): string[] {
  const problems: string[] = [];
  const worst = worstImageMb(settings);
  if (settings.processorMemoryMb - PROCESSOR_BASE_MB < worst) {
    problems.push(
      `processorMemoryMb: ${settings.processorMemoryMb} MB cannot hold one image at maxPixels ` +
        `${settings.maxPixels} and uploads of ${largestUploadBytes(settings)} bytes (needs ${worst + PROCESSOR_BASE_MB} MB)`,
    );
  }
  if (settings.processorBatchSize > 10 && settings.processorBatchWindowSeconds < 1) {
    problems.push(
      `processorBatchSize: ${settings.processorBatchSize} is over 10, which SQS allows only with ` +
        'processorBatchWindowSeconds of at least 1',
    );
  }
  return problems;
}
