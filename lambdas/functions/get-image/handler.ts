import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { z } from 'zod';
import { ApiEnvSchema, urlTtlSeconds } from '../../shared/api-env';
import { createDocumentClient, createS3Client, S3EnvSchema } from '../../shared/aws-clients';
import { parseEnv } from '../../shared/config';
import { type HttpRoute, httpHandler, imageIdParam } from '../../shared/http';
import { S3ImageObjects } from '../../shared/image-objects';
import { ImageStore } from '../../shared/image-store';
import { createPowertools, instrument } from '../../shared/powertools';
import { getImage } from './get-image';

const config = parseEnv(
  ApiEnvSchema.extend(S3EnvSchema.shape).extend({
    // Unused: items name their own bucket (this one). Parsed to keep the environment the stack wires checked.
    BUCKET_NAME: z.string().min(1),
    DOWNLOAD_URL_TTL_SECONDS: urlTtlSeconds(300),
  }),
  process.env,
  'get-image',
);
const tools = createPowertools(config);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));

/** GET /images/{id} → 200 the image with `urls: {original?, thumbnails}`; 400 malformed id, 404 unknown. */
const route: HttpRoute = async (event) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const image = await getImage(imageId, { store, presigner: objects, urlTtlSeconds: config.DOWNLOAD_URL_TTL_SECONDS });
  const urls = Object.keys(image.urls.thumbnails).length + (image.urls.original ? 1 : 0);
  tools.metrics.addMetric('DownloadUrlsIssued', MetricUnit.Count, urls);
  return { statusCode: 200, body: image };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
