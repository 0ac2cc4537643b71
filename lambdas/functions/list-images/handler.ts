import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerSource } from '../../shared/api-env';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { callerOf } from '../../shared/caller';
import { parseEnv } from '../../shared/config';
import { BadRequestError, type HttpRoute, httpHandler, parseRequest } from '../../shared/http';
import { S3ImageObjects } from '../../shared/image-objects';
import { searchImages } from '../../shared/image-search';
import { ImageStore } from '../../shared/image-store';
import { thumbnailKey } from '../../shared/keys';
import { createPowertools, instrument } from '../../shared/powertools';
import { ListImagesEnvSchema } from './contract';
import { REPEATABLE } from './filters';
import { ListQuerySchema, listImages, type ThumbnailLinks } from './list-images';

const config = parseEnv(ListImagesEnvSchema, process.env, 'list-images');
const tools = createPowertools(config);
const client = createDocumentClient(tools.tracer);
const store = new ImageStore(client, config.TABLE_NAME);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
/** Presigning is local signing: no S3 call per link. */
const links: ThumbnailLinks = {
  sign: async (keys) =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(keys).map(
          async ([size, key]) =>
            [size, await objects.presignDownload(config.BUCKET_NAME, key, config.DOWNLOAD_URL_TTL_SECONDS)] as const,
        ),
      ),
    ),
  keysOf: (imageId) =>
    Object.fromEntries(config.THUMBNAIL_SIZES.map((size) => [String(size), thumbnailKey(imageId, size)])),
};
/** More distinct parameters than any real query has: refused before anything is parsed. */
const MAX_PARAMETERS = 30;

/**
 * GET /images?status=&owner=&limit=&cursor= and the search filters → 200 `{items, cursor?}`, newest first, the
 * caller's images only.
 */
const route: HttpRoute = async (event) => {
  const caller = callerOf(event, callerSource(config));
  const query = parseRequest(ListQuerySchema, queryOf(event.multiValueQueryStringParameters ?? {}), 'query');
  const page = await listImages(
    query,
    caller,
    store,
    (search) => searchImages(client, config.SEARCH_TABLE_NAME, search),
    links,
  );
  tools.metrics.addMetric('ImagesListed', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
};

/** The query string as the schema takes it: repeatable parameters as arrays, any other given twice refused. */
function queryOf(multi: Record<string, string[] | undefined>): Record<string, string | string[]> {
  const names = Object.keys(multi);
  if (names.length > MAX_PARAMETERS) {
    throw new BadRequestError(`query: ${names.length} parameters, at most ${MAX_PARAMETERS}`);
  }
  const query: Record<string, string | string[]> = {};
  for (const [name, values = []] of Object.entries(multi)) {
    if (REPEATABLE.has(name)) query[name] = values;
    else if (values.length > 1) throw new BadRequestError(`${name}: given ${values.length} times, at most once`);
    else if (values[0] !== undefined) query[name] = values[0];
  }
  return query;
}

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
