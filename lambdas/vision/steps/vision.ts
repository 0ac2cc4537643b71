import type { Tracer } from '@aws-lambda-powertools/tracer';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { z } from 'zod';
import type { FaceDescriptions } from '../../core/faces';
import { MAX_FACES_PER_IMAGE } from '../../core/faces';
import type { EnrichmentStep } from '../../kit/processor-step';
import { errorDetails, isTransient } from '../../kit/step-helpers';
import { createRekognitionClient, RekognitionProvider } from '../rekognition';
import { visionThumbnail } from '../vision-input';
import { type IVisionProvider, LambdaVision, RekognitionVision } from './providers';
import type { VisionEnvShape } from './vision-contract';

declare module '../../kit/processor-step' {
  interface Analysis {
    /** The faces vision described, for the people step: never stored (their descriptors go to the people table). */
    readonly faceDescriptions?: FaceDescriptions;
  }
}

/** The vision step's own: the provider; undefined when inference is off. */
export interface VisionDeps {
  vision?: IVisionProvider;
}

type VisionConfig = z.output<z.ZodObject<typeof VisionEnvShape>>;

/**
 * Inference (`vision`), on the largest thumbnail, not stored yet (the policy decides on this answer how it is). It is an addition to the core analysis, not a
 * condition of it: a refusal, or a transient failure on the last attempt, is recorded as `visionError` and the
 * image is still PROCESSED. The faces it described are left for the people step, never stored.
 */
export const visionStep: EnrichmentStep<VisionDeps> = {
  name: 'vision',
  when: 'decoded',
  async run({ deps, attempt }, { item, decoded }) {
    if (!deps.vision) return {};
    const { record, thumbnails, raster, original } = decoded;
    // The thumbnail the offline models read (and `image-intel analyze` decodes): vision-input.ts.
    const largest = visionThumbnail(thumbnails);
    try {
      const { faceDescriptions, ...vision } = await deps.vision.analyze({
        imageId: item.imageId,
        // An original its owner turned or cropped is not the picture the record describes: its boxes would be
        // elsewhere. The thumbnail (turned and cut) stands in for it, as for an original Rekognition refuses.
        original:
          item.rotationApplied || item.cropApplied
            ? { bytes: largest.data, format: 'webp' }
            : { bytes: original, format: record.metadata.format },
        thumbnail: { bytes: largest.data },
        raster,
        colour: { palette: record.palette, brightness: record.brightness },
        // A turn its owner chose, even one undone (0), says they looked at which way is up.
        orientationKnown: decoded.orientationTagged === true || item.rotation !== undefined,
      });
      return { item: { vision }, faceDescriptions };
    } catch (error) {
      if (isTransient(error) && !attempt.last) throw error;
      const visionError = errorDetails(error);
      deps.onNote?.('inference failed; recorded on the item', { ...visionError });
      return { item: { visionError } };
    }
  },
  open: (config: VisionConfig, { tracer, instead }) => ({
    vision: (instead?.vision as IVisionProvider | undefined) ?? visionFor(config, tracer),
  }),
  keeps: (deps) => ({ raster: deps.vision?.wantsRaster ?? false }),
};

/** The provider INFERENCE names: Rekognition, the offline models' function, or none. */
function visionFor(config: VisionConfig, tracer: Tracer | undefined): IVisionProvider | undefined {
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
