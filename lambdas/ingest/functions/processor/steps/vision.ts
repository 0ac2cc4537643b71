import type { Tracer } from '@aws-lambda-powertools/tracer';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { MAX_FACES_PER_IMAGE } from '../../../../people/contract';
import { createRekognitionClient, RekognitionProvider } from '../../../../vision/rekognition';
import { visionThumbnail } from '../../../../vision/vision-input';
import type { ProcessorConfig } from '../contract';
import { errorDetails } from '../error-details';
import type { IVisionProvider } from '../ports';
import type { EnrichmentStep } from '../step';
import { isTransient } from '../transient';
import { LambdaVision, RekognitionVision } from '../vision';

/**
 * Inference (`vision`), on the largest thumbnail, not stored yet (the policy decides on this answer how it is). It is an addition to the core analysis, not a
 * condition of it: a refusal, or a transient failure on the last attempt, is recorded as `visionError` and the
 * image is still PROCESSED. The faces it described are left for the people step, never stored.
 */
export const visionStep: EnrichmentStep = {
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
        original: { bytes: original, format: record.metadata.format },
        thumbnail: { bytes: largest.data },
        raster,
        colour: { palette: record.palette, brightness: record.brightness },
      });
      return { item: { vision }, faceDescriptions };
    } catch (error) {
      if (isTransient(error) && !attempt.last) throw error;
      const visionError = errorDetails(error);
      deps.onNote?.('inference failed; recorded on the item', { ...visionError });
      return { item: { visionError } };
    }
  },
  open: (config, { tracer, vision }) => ({ vision: vision ?? visionFor(config, tracer) }),
};

/** The provider INFERENCE names: Rekognition, the offline models' function, or none. */
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
