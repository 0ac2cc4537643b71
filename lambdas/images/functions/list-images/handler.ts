import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, header, parseRequest } from '../../../api/http';
import { requireUnlocked, UNLOCK_TOKEN_HEADER } from '../../../locked/lock-check';
import { LockStore } from '../../../locked/lock-store';
import { PartnerReads } from '../../../partners/partner-reads';
import { peopleIf } from '../../../people/open';
import { secretKeySet } from '../../../renditions/key-secret';
import { SearchIndex } from '../../../search/index-table';
import { meaningIf } from '../../../search/meaning/open';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { presignEach, S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { thumbnailKey } from '../../../store/keys';
import { queryOf } from './filters';
import { listImages, type ThumbnailLinks } from './list-images';
import { ListImagesEnvSchema, ListQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-images', ListImagesEnvSchema);
const client = createDocumentClient(tools.tracer);
const store = new ImageStore(client, config.TABLE_NAME);
const index = new SearchIndex(client, config.SEARCH_TABLE_NAME);
const people = peopleIf(client, config);
const meaning = meaningIf(config);
const unlock = {
  locks: new LockStore(client, config.LOCKED_TABLE_NAME),
  keys: secretKeySet(config.SIGNING_SECRET_ARN),
};
const partners = new PartnerReads(client, {
  results: config.TABLE_NAME,
  partners: config.PARTNERS_TABLE,
  albums: config.ALBUMS_TABLE,
});
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
/** Presigning is local signing: no S3 call per link. */
const links: ThumbnailLinks = {
  sign: (keys) => presignEach(objects, config.BUCKET_NAME, keys, config.DOWNLOAD_URL_TTL_SECONDS),
  keysOf: (imageId) =>
    Object.fromEntries(config.THUMBNAIL_SIZES.map((size) => [String(size), thumbnailKey(imageId, size)])),
};

/**
 * GET /images?status=&owner=&limit=&cursor= and the search filters → 200 `{items, cursor?}`, newest first, the
 * caller's images only; `partner=` or `partners=all`, the photos others share with the caller.
 */
export const handler = serve(async (event, caller) => {
  const query = parseRequest(ListQuerySchema, queryOf(event.multiValueQueryStringParameters ?? {}), 'query');
  const page = await listImages(query, caller, {
    store,
    search: (search) => index.search(search),
    links,
    people,
    meaning,
    unlocked: (owner) =>
      requireUnlocked({ owner, signIn: caller.signIn }, header(event, UNLOCK_TOKEN_HEADER), unlock, 'locked'),
    partners,
    meaningFailed: (error) => {
      tools.logger.error('search by meaning failed: answering by words alone', error as Error);
      tools.metrics.addMetric('MeaningSearchErrors', MetricUnit.Count, 1);
    },
  });
  tools.metrics.addMetric('ImagesListed', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
});
