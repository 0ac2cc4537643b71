import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerSource } from '../../shared/api-env';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { callerOf } from '../../shared/caller';
import { parseEnv } from '../../shared/config';
import { type HttpRoute, httpHandler, imageIdParam } from '../../shared/http';
import { S3ImageObjects } from '../../shared/image-objects';
import { ImageStore } from '../../shared/image-store';
import { createPowertools, instrument } from '../../shared/powertools';
import { GetImageEnvSchema } from './contract';
import { getImage } from './get-image';

const config = parseEnv(GetImageEnvSchema, process.env, 'get-image');
const tools = createPowertools(config);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));

/** GET /images/{id} → 200 the image with `urls: {original?, thumbnails}`; 400 malformed id, 404 unknown. */
const route: HttpRoute = async (event) => {
  const caller = callerOf(event, callerSource(config));
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const image = await getImage(imageId, caller, {
    store,
    presigner: objects,
    urlTtlSeconds: config.DOWNLOAD_URL_TTL_SECONDS,
  });
  const urls = Object.keys(image.urls.thumbnails).length + (image.urls.original ? 1 : 0);
  tools.metrics.addMetric('DownloadUrlsIssued', MetricUnit.Count, urls);
  return { statusCode: 200, body: image };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
