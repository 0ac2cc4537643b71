import type { IObjectStore } from '../../../store/object-store';
import { analyzeOffline, type OfflineOptions, type OfflineVision } from '../../offline';
import { visionRaster } from '../../vision-input';
import type { VisionRequest, VisionResponse } from './contract';
import { SourceImageMissingError, SourceImageTooLargeError } from './refusals';

export interface AnalyzeStoredImageDeps {
  objects: IObjectStore;
  /** Largest object read. */
  maxBytes: number;
  /** One flag threshold for every moderation class; default each class's calibrated one. */
  moderationThreshold?: number;
  /** Describe the faces for the grouping (`FACE_GROUPING`). */
  describeFaces: boolean;
}

/**
 * Offline vision for one requested image.
 *
 * 1. Take the image the request carries (the processor's vision thumbnail, see vision-input.ts), or read the object
 *    it names, refusing a missing or oversized one with a named error.
 * 2. Decode it as `image-intel analyze` does (`visionRaster`), so both run the models on the same pixels.
 * 3. Run the offline provider and return its result in the shared schema (with the faces' descriptors when
 *    grouping is on).
 */
export async function analyzeStoredImage(
  request: VisionRequest,
  deps: AnalyzeStoredImageDeps,
): Promise<VisionResponse> {
  const bytes = await requestedBytes(request, deps);
  return analyzeThumbnail(bytes, request.colour, {
    moderationThreshold: deps.moderationThreshold,
    describeFaces: deps.describeFaces,
    orientationKnown: request.orientationKnown ?? true,
  });
}

/** The bytes a request carries, or those of the object it names (at most `maxBytes`). */
export async function requestedBytes(
  request: VisionRequest,
  deps: Pick<AnalyzeStoredImageDeps, 'objects' | 'maxBytes'>,
): Promise<Buffer> {
  if (request.image !== undefined) return Buffer.from(request.image, 'base64');
  const { bucket, key } = request as Required<Pick<VisionRequest, 'bucket' | 'key'>>;
  const read = await deps.objects.read(bucket, key, deps.maxBytes);
  if (read.kind === 'missing') throw new SourceImageMissingError(`s3://${bucket}/${key} does not exist`);
  if (read.kind === 'too-large') {
    throw new SourceImageTooLargeError(
      `s3://${bucket}/${key} is ${read.size} bytes, over the ${deps.maxBytes}-byte limit`,
    );
  }
  return read.bytes;
}

/**
 * The offline models on a thumbnail's bytes as the pipeline runs them, decoded as `image-intel analyze` decodes it
 * (`visionRaster`). `npm run bench:accuracy` measures the models through this too, so it sees the same pixels.
 */
export async function analyzeThumbnail(
  bytes: Buffer,
  colour: VisionRequest['colour'],
  options: OfflineOptions,
): Promise<OfflineVision> {
  return analyzeOffline(await visionRaster(bytes), colour, options);
}
