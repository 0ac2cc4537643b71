import { RunCounters } from '../../../backfill/run-counters';
import { eventSinks } from '../../../events/sinks';
import type { OpenOptions, StepList } from '../../../kit/processor-step';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import type { S3Env } from '../../../shared/contract';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { S3KeyLister } from '../../../store/object-pages';
import { S3ObjectStore } from '../../../store/object-store';
import type { ProcessorConfig } from './contract';
import type { ProcessorDeps } from './ports';

/**
 * The processor's real adapters, built once per container from its config: its own, then each step's (its `open`,
 * lambdas/kit/processor-step.ts), from the variables the step's contract declared. The SDK reads AWS_ENDPOINT_URL by itself, which is how the local runner points all of them at an
 * emulator; it passes its own `vision` (the offline models in-process) instead of invoking a function.
 */
export function createDeps(config: ProcessorConfig & S3Env, steps: StepList, options: OpenOptions = {}): ProcessorDeps {
  const { tracer } = options;
  const s3 = createS3Client(config, tracer);
  const objects = new S3ObjectStore(s3);
  const store = new ImageStore(createDocumentClient(tracer), config.TABLE_NAME);
  const own: ProcessorDeps = {
    steps,
    objects,
    heads: objects,
    sources: config.SOURCE_BUCKETS,
    cleanup: { lister: new S3KeyLister(s3), remover: new S3ImageObjects(s3) },
    store,
    events: eventSinks({ env: config, tracer }),
    options: {
      thumbnailSizes: config.THUMBNAIL_SIZES,
      maxPixels: config.MAX_PIXELS,
      // A camera RAW's limit is its own; every other image is held to maxBytes.
      maxBytes: config.MAX_UPLOAD_BYTES,
      maxRawBytes: config.MAX_RAW_UPLOAD_BYTES,
      maxVideoBytes: config.MAX_LIVE_PHOTO_VIDEO_BYTES,
      bucket: config.BUCKET_NAME,
      timeoutSeconds: config.PROCESSOR_TIMEOUT_SECONDS,
    },
    runs: new RunCounters(createDocumentClient(tracer), config.TABLE_NAME),
  };
  return Object.assign(own, ...steps.flat().map((step) => step.open?.(config, options) ?? {}));
}
