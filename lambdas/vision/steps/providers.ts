import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import sharp from 'sharp';
import type { Raster } from '../../core/analysis/raster';
import type { FaceDescriptions } from '../../core/faces';
import { parseJsonOrUndefined } from '../../core/json';
import type { ProcessedRecord } from '../../core/record';
import type { Vision } from '../../core/vision-schema';
import {
  MAX_INLINE_IMAGE_BYTES,
  PERMANENT_VISION_ERRORS,
  type VisionRequest,
  type VisionResponse,
  VisionResponseSchema,
} from '../functions/vision/contract';
import type { RekognitionProvider, RekognitionResult } from '../rekognition';
import { visionRaster } from '../vision-input';

/** What a vision provider may look at; each uses what suits it. */
export interface VisionInput {
  imageId: string;
  original: { bytes: Buffer; format: string };
  /** The largest thumbnail (`visionThumbnail`), not yet stored: the policy decides on the answer how it is stored. */
  thumbnail: { bytes: Buffer };
  /** The oriented RGB raster the thumbnails came from, when the provider asked for it. */
  raster?: Raster;
  colour: Pick<ProcessedRecord, 'palette' | 'brightness'>;
  /** Which way is up is known: the file's EXIF names an orientation, or its owner turned it. */
  orientationKnown: boolean;
}

/**
 * What a provider sees: the vision result and, with face grouping on, its faces described for grouping (never
 * stored as they are: the descriptors go to the people table only).
 */
export type VisionResult = Vision & { faceDescriptions?: FaceDescriptions };

export interface IVisionProvider {
  /** Whether `analyze` needs `raster` (the core then keeps it). */
  readonly wantsRaster: boolean;
  analyze(input: VisionInput): Promise<VisionResult>;
}

/** Amazon Rekognition, called from the processor with the original (or a JPEG of the largest thumbnail). */
export class RekognitionVision implements IVisionProvider {
  readonly wantsRaster = false;

  constructor(private readonly provider: RekognitionProvider) {}

  /** With face grouping, the answer carries `faceDescriptions` (IndexFaces' faces) beside the vision result. */
  analyze(input: VisionInput): Promise<RekognitionResult> {
    return this.provider.analyze({
      imageId: input.imageId,
      bytes: input.original.bytes,
      format: input.original.format,
      // Over 5 MB or not JPEG/PNG: the oriented 1024 px thumbnail as a JPEG is well inside every limit.
      downscaledJpeg: () => sharp(input.thumbnail.bytes).jpeg({ quality: 90 }).toBuffer(),
    });
  }
}

/** The vision function refused the request or crashed; `transient` when a retry may help. */
export class InferenceError extends Error {
  override readonly name = 'InferenceError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/**
 * The offline models in their container-image function (functions/vision), invoked synchronously with the vision
 * thumbnail inline: nothing is stored before the owner's policy has read the answer (lambdas/policy/steps/policy.ts).
 */
export class LambdaVision implements IVisionProvider {
  readonly wantsRaster = false;

  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  /**
   * The vision result; with the function's `FACE_GROUPING=true`, also `faceDescriptions` (the faces'
   * descriptors, for the grouping: take them off before the result goes into the record).
   */
  async analyze(input: VisionInput): Promise<VisionResponse> {
    const request: VisionRequest = {
      imageId: input.imageId,
      image: (await inlineImage(input.thumbnail.bytes)).toString('base64'),
      colour: input.colour,
      orientationKnown: input.orientationKnown,
    };
    const response = await this.client.send(
      new InvokeCommand({ FunctionName: this.functionName, Payload: Buffer.from(JSON.stringify(request)) }),
    );
    const payload = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    if (response.FunctionError) {
      // Lambda reports the function's own error here, named as its contract says: those refusals will fail
      // again, timeouts and out-of-memory ("Runtime.*") may not.
      const { errorType = 'Unknown', errorMessage = payload } = (parseJsonOrUndefined(payload) ?? {}) as {
        errorType?: string;
        errorMessage?: string;
      };
      const permanent = PERMANENT_VISION_ERRORS.has(errorType);
      throw new InferenceError(`vision function failed: ${errorType}: ${errorMessage}`, !permanent);
    }
    const vision = VisionResponseSchema.safeParse(parseJsonOrUndefined(payload));
    if (!vision.success) throw new InferenceError('vision function answered something that is not a result', false);
    return vision.data;
  }
}

/**
 * The thumbnail's bytes, or when they are too many to send inline (a `thumbnailSizes` entry past 1024 px on a very
 * detailed photo), the pixels the models would take from them (`visionRaster`: at most 1024 px) as a lossless PNG.
 */
export async function inlineImage(bytes: Buffer): Promise<Buffer> {
  if (bytes.length <= MAX_INLINE_IMAGE_BYTES) return bytes;
  const { data, width, height, channels } = await visionRaster(bytes);
  return sharp(data, { raw: { width, height, channels } }).png().toBuffer();
}
