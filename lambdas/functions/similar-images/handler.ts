import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, imageIdParam, parseRequest } from '../../api/http';
import { SearchIndex } from '../../search/index-table';
import { parseEnv } from '../../settings/env';
import { createDocumentClient } from '../../shared/aws-clients';
import { createPowertools, instrument } from '../../shared/powertools';
import { ImageStore } from '../../store/image-store';
import { SimilarImagesEnvSchema } from './contract';
import { SimilarQuerySchema, similarImages } from './similar-images';

const config = parseEnv(SimilarImagesEnvSchema, process.env, 'similar-images');
const tools = createPowertools(config);
const client = createDocumentClient(tools.tracer);
const store = new ImageStore(client, config.TABLE_NAME);
const index = new SearchIndex(client, config.SEARCH_TABLE_NAME);

/** GET /images/{id}/similar?maxDistance=&limit= → 200 `{imageId, maxDistance, items: [{imageId, distance, duplicate}]}`. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const query = parseRequest(SimilarQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await similarImages(imageId, query, caller, { store, index });
  tools.metrics.addMetric('SimilarImagesFound', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
