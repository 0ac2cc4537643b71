import type { Tracer } from '@aws-lambda-powertools/tracer';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createDocumentClient, createEventBridgeClient, createS3Client, type S3Env } from '../../shared/aws-clients';
import { EventBridgePublisher } from '../../shared/event-bridge-publisher';
import { ImageStore } from '../../shared/image-store';
import { S3ObjectStore } from '../../shared/object-store';
import { SearchIndex } from '../../shared/search-index';
import { createRekognitionClient, RekognitionProvider } from '../../vision/rekognition';
import type { ProcessorConfig } from './contract';
import type { IVisionProvider } from './ports';
import type { ProcessorDeps } from './process-upload';
import { LambdaVision, RekognitionVision } from './vision';

/**
 * The processor's real adapters, built once per container from its config. The SDK reads AWS_ENDPOINT_URL by
 * itself, which is how the local runner points all of them at an emulator; it passes its own `vision` (the
 * offline models in-process) instead of invoking a function.
 */
export function createDeps(
  config: ProcessorConfig & S3Env,
  options: { tracer?: Tracer; vision?: IVisionProvider } = {},
): ProcessorDeps {
  const { tracer } = options;
  return {
    objects: new S3ObjectStore(createS3Client(config, tracer)),
    store: new ImageStore(createDocumentClient(tracer), config.TABLE_NAME),
    index: new SearchIndex(createDocumentClient(tracer), config.SEARCH_TABLE_NAME),
    events: new EventBridgePublisher(createEventBridgeClient(tracer), config.EVENT_BUS_NAME),
    vision: options.vision ?? visionFor(config, tracer),
    options: {
      thumbnailSizes: config.THUMBNAIL_SIZES,
      maxPixels: config.MAX_PIXELS,
      maxBytes: config.MAX_UPLOAD_BYTES,
    },
  };
}

function visionFor(config: ProcessorConfig, tracer: Tracer | undefined): IVisionProvider | undefined {
  const trace = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);
  switch (config.INFERENCE) {
    case 'rekognition':
      return new RekognitionVision(
        new RekognitionProvider(trace(createRekognitionClient()), { moderationThreshold: config.MODERATION_THRESHOLD }),
      );
    case 'offline':
      return new LambdaVision(trace(new LambdaClient({})), config.VISION_FUNCTION_NAME as string);
    case 'none':
      return undefined;
  }
}
