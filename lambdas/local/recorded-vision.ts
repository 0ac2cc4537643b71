import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseEnv } from '../settings/env';
import { createS3Client } from '../shared/aws-clients';
import { S3ObjectStore } from '../store/object-store';
import type { LambdaHandler } from './lambda-context';

/**
 * The offline models' answers, replayed: with `IMAGE_INTEL_RECORDED_VISION=<file>` the runner's vision function
 * answers an image the recording holds with what the models answered for it, and runs the models on any other. The
 * test suites set it for every runner whose subject is not the models (test/support/recorded-vision.ts makes the
 * file and the models layer checks it against the models), so a suite pays neither the models' load (5 to 10 s a
 * runner) nor their seconds per image, and sees exactly what they would answer.
 *
 * An answer is found by the SHA-256 of the thumbnail the processor hands the vision function (vision-input.ts):
 * the same bytes give the same pixels, so the same answer. A thumbnail made otherwise (other `thumbnailSizes`, a
 * different sharp) is simply not found, and the models run.
 */
export const RECORDED_VISION_ENV = 'IMAGE_INTEL_RECORDED_VISION';

export const VisionRecordingSchema = z.object({
  /** The command that made the file. */
  made: z.string(),
  /** The SHA-256 of the calibration the answers were made at (`calibrationDigest`): at another, the models answer. */
  calibration: z.string(),
  /** By the thumbnail's SHA-256: the fixture it was made from, and the vision function's answer with faces described. */
  answers: z.record(
    z.string(),
    z.object({ file: z.string(), vision: z.object({ faceDescriptions: z.unknown().optional() }).passthrough() }),
  ),
});
export type VisionRecording = z.infer<typeof VisionRecordingSchema>;

export function readVisionRecording(file: string): VisionRecording {
  try {
    return VisionRecordingSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`${RECORDED_VISION_ENV}=${file} is not a vision recording: ${(error as Error).message}`);
  }
}

export const thumbnailDigest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A calibration's digest, as a recording names the one its answers were made at. */
export const calibrationDigest = (calibration: unknown): string =>
  createHash('sha256').update(JSON.stringify(calibration)).digest('hex');

/**
 * The vision function's handler answering from `recording`, and `real` (whose models load on the first image it
 * runs) for anything it cannot answer as the models would: an image not recorded, a request the real one refuses (it
 * reads the object again, and answers with its own error), a moderation threshold other than the calibrated ones, a
 * calibration (`IMAGE_INTEL_CALIBRATION`) other than the recording's.
 */
export function replayingVision(
  recording: VisionRecording,
  real: LambdaHandler<unknown, unknown>,
  log: (line: string) => void,
): LambdaHandler<unknown, unknown> {
  // Loaded here, not at the top: the runner loads the vision modules only when it runs the offline models.
  const { CALIBRATION } = require('../vision/calibration') as typeof import('../vision/calibration');
  if (calibrationDigest(CALIBRATION) !== recording.calibration) {
    log('vision: the recording was made at another calibration than this runner has; the models answer every image');
    return real;
  }
  // The vision function's own contract and store: the settings it reads, and the object read with its limit.
  const { VisionEnvSchema } =
    require('../vision/functions/vision/contract') as typeof import('../vision/functions/vision/contract');
  const config = parseEnv(VisionEnvSchema, process.env, 'vision');
  const objects = new S3ObjectStore(createS3Client(config));
  return async (event, context) => {
    const { image, bucket, key } = (event ?? {}) as { image?: unknown; bucket?: unknown; key?: unknown };
    if (config.MODERATION_THRESHOLD !== undefined) return real(event, context);
    // The image inline (the processor's request), or the object a request names.
    let bytes: Buffer | undefined;
    if (typeof image === 'string') bytes = Buffer.from(image, 'base64');
    else if (typeof bucket === 'string' && typeof key === 'string') {
      const read = await objects.read(bucket, key, config.MAX_UPLOAD_BYTES).catch(() => undefined);
      bytes = read?.kind === 'object' ? read.bytes : undefined;
    }
    const answer = bytes ? recording.answers[thumbnailDigest(bytes)] : undefined;
    if (!answer) {
      if (bytes)
        log(
          `vision: no recorded answer for image ${String((event as { imageId?: unknown }).imageId)}; running the models`,
        );
      return real(event, context);
    }
    return config.FACE_GROUPING ? answer.vision : undescribed(answer.vision);
  };
}

/**
 * An answer made with the faces described, as the models answer without: no descriptors, and the descriptor's
 * model not among those the record says ran (offline.ts; the models layer checks the two agree).
 */
export function undescribed(vision: VisionRecording['answers'][string]['vision']): Record<string, unknown> {
  const { OFFLINE_MODELS } = require('../vision/offline') as typeof import('../vision/offline');
  const {
    faceDescriptions: _descriptions,
    inference,
    ...rest
  } = vision as {
    faceDescriptions?: unknown;
    inference?: { models?: object };
  };
  const models = Object.entries(inference?.models ?? {}).filter(([name]) => !(name in OFFLINE_MODELS.faceDescriptors));
  return { ...rest, inference: { ...inference, models: Object.fromEntries(models) } };
}
