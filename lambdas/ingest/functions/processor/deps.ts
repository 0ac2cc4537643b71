import type { Tracer } from '@aws-lambda-powertools/tracer';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RunCounters } from '../../../backfill/run-counters';
import { eventSinks } from '../../../events/sinks';
import { MAX_FACES_PER_IMAGE } from '../../../people/contract';
import { peopleIf } from '../../../people/open';
import { openGeocoder } from '../../../places/open';
import { PolicyStore } from '../../../policy/policy-store';
import { watermarkReader } from '../../../renditions/watermarks';
import { SearchIndex } from '../../../search/index-table';
import { meaningIf } from '../../../search/meaning/open';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import type { S3Env } from '../../../shared/contract';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { S3KeyLister } from '../../../store/object-pages';
import { S3ObjectStore } from '../../../store/object-store';
import { calibratedModeration } from '../../../vision/calibration';
import { createRekognitionClient, RekognitionProvider } from '../../../vision/rekognition';
import type { ProcessorConfig } from './contract';
import { type EagerRenditions, eagerPresets } from './eager-renditions';
import type { IVisionProvider, ProcessorDeps } from './ports';
import { LambdaVision, RekognitionVision } from './vision';

/**
 * The processor's real adapters, built once per container from its config. The SDK reads AWS_ENDPOINT_URL by
 * itself, which is how the local runner points all of them at an emulator; it passes its own `vision` (the
 * offline models in-process) instead of invoking a function.
 */
export function createDeps(
  config: ProcessorConfig & S3Env,
  options: { tracer?: Tracer; vision?: IVisionProvider; root?: string } = {},
): ProcessorDeps {
  const { tracer } = options;
  const s3 = createS3Client(config, tracer);
  const objects = new S3ObjectStore(s3);
  const store = new ImageStore(createDocumentClient(tracer), config.TABLE_NAME);
  return {
    objects,
    heads: objects,
    sources: config.SOURCE_BUCKETS,
    staleRenditions: { lister: new S3KeyLister(s3), remover: new S3ImageObjects(s3) },
    store,
    index: new SearchIndex(createDocumentClient(tracer), config.SEARCH_TABLE_NAME, { records: store }),
    events: eventSinks({ env: config, tracer }),
    vision: options.vision ?? visionFor(config, tracer),
    people: peopleIf(createDocumentClient(tracer), config),
    meaning: meaningIf(config),
    // The places data, read once per container from the file beside the bundle: no network (docs/places.md).
    geocoder: openGeocoder(),
    policies: {
      store: new PolicyStore(createDocumentClient(tracer), config.POLICY_TABLE),
      defaults: {
        moderationThreshold: config.MODERATION_THRESHOLD,
        ...(config.INFERENCE === 'offline' && { calibrated: calibratedModeration() }),
      },
    },
    options: {
      thumbnailSizes: config.THUMBNAIL_SIZES,
      maxPixels: config.MAX_PIXELS,
      maxBytes: config.MAX_UPLOAD_BYTES,
      bucket: config.BUCKET_NAME,
      timeoutSeconds: config.PROCESSOR_TIMEOUT_SECONDS,
    },
    runs: new RunCounters(createDocumentClient(tracer), config.TABLE_NAME),
    renditions: eagerRenditionsFor(config, options.root),
  };
}

/** The eager presets, parsed once per container, and the watermarks they draw (`watermarkReader`, under `root`). */
function eagerRenditionsFor(config: ProcessorConfig, root: string | undefined): EagerRenditions {
  const settings = config.RENDITION_SETTINGS;
  return {
    presets: eagerPresets(settings),
    maxSide: settings.renditionMaxSide,
    maxPixels: config.MAX_PIXELS,
    watermark: watermarkReader(settings.watermarks, root),
    keepGps: settings.renditionsKeepGps,
  };
}

function visionFor(config: ProcessorConfig, tracer: Tracer | undefined): IVisionProvider | undefined {
  const trace = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);
  switch (config.INFERENCE) {
    case 'rekognition':
      return new RekognitionVision(
        new RekognitionProvider(trace(createRekognitionClient()), {
          moderationThreshold: config.MODERATION_THRESHOLD,
          // With face grouping, IndexFaces into the stack's collection replaces DetectFaces.
          ...(config.FACE_COLLECTION_ID && {
            faceCollection: { collectionId: config.FACE_COLLECTION_ID, maxFaces: MAX_FACES_PER_IMAGE },
          }),
        }),
      );
    case 'offline':
      return new LambdaVision(trace(new LambdaClient({})), config.VISION_FUNCTION_NAME as string);
    case 'none':
      return undefined;
  }
}
