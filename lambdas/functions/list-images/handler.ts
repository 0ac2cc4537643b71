import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, parseRequest } from '../../api/http';
import { peopleIf } from '../../people/wiring';
import { searchImages } from '../../search/image-search';
import { parseEnv } from '../../settings/env';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { createPowertools, instrument } from '../../shared/powertools';
import { presignEach, S3ImageObjects } from '../../store/image-objects';
import { ImageStore } from '../../store/image-store';
import { thumbnailKey } from '../../store/keys';
import { ListImagesEnvSchema } from './contract';
import { queryOf } from './filters';
import { ListQuerySchema, listImages, type ThumbnailLinks } from './list-images';

const config = parseEnv(ListImagesEnvSchema, process.env, 'list-images');
const tools = createPowertools(config);
const client = createDocumentClient(tools.tracer);
const store = new ImageStore(client, config.TABLE_NAME);
const people = peopleIf(client, config);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
/** Presigning is local signing: no S3 call per link. */
const links: ThumbnailLinks = {
  sign: (keys) => presignEach(objects, config.BUCKET_NAME, keys, config.DOWNLOAD_URL_TTL_SECONDS),
  keysOf: (imageId) =>
    Object.fromEntries(config.THUMBNAIL_SIZES.map((size) => [String(size), thumbnailKey(imageId, size)])),
};

/**
 * GET /images?status=&owner=&limit=&cursor= and the search filters → 200 `{items, cursor?}`, newest first, the
 * caller's images only.
 */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const query = parseRequest(ListQuerySchema, queryOf(event.multiValueQueryStringParameters ?? {}), 'query');
  const page = await listImages(query, caller, {
    store,
    search: (search) => searchImages(client, config.SEARCH_TABLE_NAME, search),
    links,
    people,
  });
  tools.metrics.addMetric('ImagesListed', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
