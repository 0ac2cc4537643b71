import type { IObjectStore } from '../../../store/object-store';
import { analyzeOffline } from '../../offline';
import { visionRaster } from '../../vision-input';
import { SourceImageMissingError, SourceImageTooLargeError, type VisionRequest, type VisionResponse } from './contract';

export interface AnalyzeStoredImageDeps {
  objects: IObjectStore;
  /** Largest object read. */
  maxBytes: number;
  moderationThreshold: number;
  /** Describe the faces for the grouping (`FACE_GROUPING`). */
  describeFaces: boolean;
}

/**
 * Offline vision for one stored image.
 *
 * 1. Read the image (the processor passes its vision thumbnail, see vision-input.ts), refusing a missing or
 *    oversized object with a named error.
 * 2. Decode it as `image-intel analyze` does (`visionRaster`), so both run the models on the same pixels.
 * 3. Run the offline provider and return its result in the shared schema (with the faces' descriptors when
 *    grouping is on).
 */
export async function analyzeStoredImage(
  request: VisionRequest,
  deps: AnalyzeStoredImageDeps,
): Promise<VisionResponse> {
  const read = await deps.objects.read(request.bucket, request.key, deps.maxBytes);
  if (read.kind === 'missing')
    throw new SourceImageMissingError(`s3://${request.bucket}/${request.key} does not exist`);
  if (read.kind === 'too-large') {
    throw new SourceImageTooLargeError(
      `s3://${request.bucket}/${request.key} is ${read.size} bytes, over the ${deps.maxBytes}-byte limit`,
    );
  }
  const raster = await visionRaster(read.bytes);
  return analyzeOffline(raster, request.colour, {
    moderationThreshold: deps.moderationThreshold,
    describeFaces: deps.describeFaces,
  });
}
