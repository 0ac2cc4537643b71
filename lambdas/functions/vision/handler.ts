import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Handler } from 'aws-lambda';
import { ImageRejectedError } from '../../core';
import type { Vision } from '../../vision/schema';
import { parseConfig } from './config';
import { InferRequestSchema, type IObjectReader, infer } from './infer';

const config = parseConfig(process.env);
const logger = new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME });
const s3 = new S3Client({});

const reader: IObjectReader = {
  async read(bucket, key) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!object.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return Buffer.from(await object.Body.transformToByteArray());
  },
};

/**
 * Invoked by the processor (RequestResponse) with `{ imageId, bucket, key, colour? }`; answers the vision result.
 * A malformed request or an image the core refuses is answered as an error the caller records, not retried.
 */
const inferHandler: Handler<unknown, Vision> = async (event) => {
  const request = InferRequestSchema.parse(event);
  logger.appendKeys({ imageId: request.imageId });
  try {
    const vision = await infer(request, reader, { moderationThreshold: config.MODERATION_THRESHOLD });
    logger.info('inference done', { durationMs: vision.inference.durationMs, labels: vision.labels.length });
    return vision;
  } catch (error) {
    if (error instanceof ImageRejectedError) logger.warn('image refused', { code: error.code, reason: error.message });
    throw error;
  }
};

export const handler = middy(inferHandler).use(injectLambdaContext(logger, { resetKeys: true }));
