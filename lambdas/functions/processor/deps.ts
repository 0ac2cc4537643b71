import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Watermark } from '../../core/rendition';
import { EventBridgePublisher } from '../../events/publisher';
import { SearchIndex } from '../../search/index-table';
import { createDocumentClient, createEventBridgeClient, createS3Client, type S3Env } from '../../shared/aws-clients';
import { ImageStore } from '../../store/image-store';
import { S3ObjectStore } from '../../store/object-store';
import { createRekognitionClient, RekognitionProvider } from '../../vision/rekognition';
import type { ProcessorConfig } from './contract';
import { type EagerRenditions, eagerPresets } from './eager-renditions';
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
  options: { tracer?: Tracer; vision?: IVisionProvider; root?: string } = {},
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
    renditions: eagerRenditionsFor(config, options.root ?? process.env.LAMBDA_TASK_ROOT ?? process.cwd()),
  };
}

/**
 * The eager presets, parsed once per container, and their watermarks, read once each when first drawn: image
 * watermarks from `root` (the function's asset in AWS, where the stack bundles them; the project locally).
 */
function eagerRenditionsFor(config: ProcessorConfig, root: string): EagerRenditions {
  const settings = config.RENDITION_SETTINGS;
  const watermarks = new Map<string, Promise<Watermark>>();
  const load = async (name: string): Promise<Watermark> => {
    const mark = settings.watermarks[name];
    if (mark?.text !== undefined) return { kind: 'text', text: mark.text };
    if (mark?.image !== undefined) return { kind: 'image', data: await readFile(path.join(root, mark.image)) };
    throw new Error(`watermark: no watermark ${name} is configured`);
  };
  return {
    presets: eagerPresets(settings),
    maxSide: settings.renditionMaxSide,
    maxPixels: config.MAX_PIXELS,
    watermark: (name) => {
      let loading = watermarks.get(name);
      if (!loading) {
        loading = load(name);
        watermarks.set(name, loading);
        // A failed read is tried again for the next image rather than remembered.
        loading.catch(() => watermarks.delete(name));
      }
      return loading;
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
