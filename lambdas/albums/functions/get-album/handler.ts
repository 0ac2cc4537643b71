import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { peopleIf } from '../../../people/open';
import { SearchIndex } from '../../../search/index-table';
import { meaningIf } from '../../../search/meaning/open';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { presignEach, S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { thumbnailKey } from '../../../store/keys';
import { AlbumStore } from '../../album-store';
import { albumIdParam } from '../album-api';
import { getAlbum } from '../album-read';
import { AlbumReadEnvSchema } from '../albums-contract';
import { AlbumPageQuerySchema } from '../list-albums/route';

const { config, tools, serve } = apiFunction('get-album', AlbumReadEnvSchema);
const client = createDocumentClient(tools.tracer);
const store = new ImageStore(client, config.TABLE_NAME);
const index = new SearchIndex(client, config.SEARCH_TABLE_NAME);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
const smallest = Math.min(...config.THUMBNAIL_SIZES);
/** Presigning is local signing: no S3 call per link. */
const links = {
  sign: (keys: Record<string, string>) =>
    presignEach(objects, config.BUCKET_NAME, keys, config.DOWNLOAD_URL_TTL_SECONDS),
  keysOf: (imageId: string) =>
    Object.fromEntries(config.THUMBNAIL_SIZES.map((size) => [String(size), thumbnailKey(imageId, size)])),
};
const deps = {
  albums: new AlbumStore(client, config.ALBUMS_TABLE),
  images: store,
  links,
  coverUrl: (imageId: string) =>
    objects.presignDownload(config.BUCKET_NAME, thumbnailKey(imageId, smallest), config.DOWNLOAD_URL_TTL_SECONDS),
  // A smart album's search: GET /images's, with what it reads.
  list: {
    store,
    search: (search: Parameters<SearchIndex['search']>[0]) => index.search(search),
    links,
    people: peopleIf(client, config),
    meaning: meaningIf(config),
    meaningFailed: (error: unknown) => {
      tools.logger.error('search by meaning failed: answering by words alone', error as Error);
      tools.metrics.addMetric('MeaningSearchErrors', MetricUnit.Count, 1);
    },
  },
};

/** GET /albums/{id}?limit=&cursor= → 200 `{album, items, cursor?}`. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  const query = parseRequest(AlbumPageQuerySchema, event.queryStringParameters ?? {}, 'query');
  tools.logger.appendKeys({ albumId });
  const answer = await getAlbum(albumId, query, caller, deps);
  tools.metrics.addMetric('AlbumImagesListed', MetricUnit.Count, answer.items.length);
  return { statusCode: 200, body: answer };
});
