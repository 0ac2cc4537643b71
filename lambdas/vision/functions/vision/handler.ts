import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, Handler } from 'aws-lambda';
import { ImageRejectedError } from '../../../core/errors';
import { parseEnv } from '../../../settings/env';
import { createS3Client } from '../../../shared/aws-clients';
import { createPowertools, instrument } from '../../../shared/powertools';
import { S3ObjectStore } from '../../../store/object-store';
import { analyzeStoredImage } from './analyze-stored-image';
import { PERMANENT_VISION_ERRORS, VisionEnvSchema, type VisionResponse } from './contract';
import { parseVisionRequest } from './refusals';

const config = parseEnv(VisionEnvSchema, process.env, 'vision');
const tools = createPowertools(config);
const objects = new S3ObjectStore(createS3Client(config, tools.tracer));

/**
 * Invoked by the processor (RequestResponse) with a `VisionRequest`; answers the vision result. A refusal is
 * thrown as a named error (see refusals.ts), which Lambda reports as the `errorType` the processor reads.
 */
const visionHandler = async (event: unknown, _context: Context): Promise<VisionResponse> => {
  try {
    const request = parseVisionRequest(event);
    tools.logger.appendKeys({ imageId: request.imageId });
    const vision = await analyzeStoredImage(request, {
      objects,
      maxBytes: config.MAX_UPLOAD_BYTES,
      moderationThreshold: config.MODERATION_THRESHOLD,
      describeFaces: config.FACE_GROUPING,
    });
    // Counts only: a descriptor is biometric and never goes in a log line.
    const described = vision.faceDescriptions?.faces.length;
    tools.logger.info('vision done', {
      durationMs: vision.inference.durationMs,
      labels: vision.labels.length,
      described,
    });
    tools.metrics.addMetric('VisionDuration', MetricUnit.Milliseconds, vision.inference.durationMs);
    return vision;
  } catch (error) {
    const { name, message } = error as Error;
    if (PERMANENT_VISION_ERRORS.has(name)) {
      tools.logger.warn('image refused', { error: name, reason: message, ...codeOf(error) });
      tools.metrics.addMetric('VisionRefused', MetricUnit.Count, 1);
    }
    throw error;
  }
};

const codeOf = (error: unknown) => (error instanceof ImageRejectedError ? { code: error.code } : {});

export const handler = instrument(visionHandler, tools) satisfies Handler<unknown, VisionResponse>;
