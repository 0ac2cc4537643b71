import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerSource } from '../../shared/api-env';
import { createDocumentClient } from '../../shared/aws-clients';
import { callerOf } from '../../shared/caller';
import { parseEnv } from '../../shared/config';
import { type HttpRoute, httpHandler, parseRequest } from '../../shared/http';
import { ImageStore } from '../../shared/image-store';
import { createPowertools, instrument } from '../../shared/powertools';
import { ListImagesEnvSchema } from './contract';
import { ListQuerySchema, listImages } from './list-images';

const config = parseEnv(ListImagesEnvSchema, process.env, 'list-images');
const tools = createPowertools(config);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);

/** GET /images?status=&owner=&limit=&cursor= → 200 `{items, cursor?}`, newest first, the caller's images only. */
const route: HttpRoute = async (event) => {
  const caller = callerOf(event, callerSource(config));
  const query = parseRequest(ListQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await listImages(query, caller, store);
  tools.metrics.addMetric('ImagesListed', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
