import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { presignEach, S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { thumbnailKey } from '../../../store/keys';
import { albumIdParam } from '../album-api';
import { getAlbum } from '../album-read';
import { createAlbumReadDeps } from '../album-read-deps';
import { AlbumReadEnvSchema } from '../albums-contract';
import { AlbumPageQuerySchema } from '../list-albums/route';

const { config, tools, serve } = apiFunction('get-album', AlbumReadEnvSchema);
const client = createDocumentClient(tools.tracer);
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
const smallest = Math.min(...config.THUMBNAIL_SIZES);
const deps = createAlbumReadDeps(config, tools, client, new ImageStore(client, config.TABLE_NAME), {
  // Presigning is local signing: no S3 call per link.
  links: {
    sign: (keys) => presignEach(objects, config.BUCKET_NAME, keys, config.DOWNLOAD_URL_TTL_SECONDS),
    keysOf: (imageId) =>
      Object.fromEntries(config.THUMBNAIL_SIZES.map((size) => [String(size), thumbnailKey(imageId, size)])),
  },
  coverUrl: (imageId) =>
    objects.presignDownload(config.BUCKET_NAME, thumbnailKey(imageId, smallest), config.DOWNLOAD_URL_TTL_SECONDS),
  newestCover: true,
  members: true,
});

/** GET /albums/{id}?limit=&cursor= → 200 `{album, items, cursor?}`. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  const query = parseRequest(AlbumPageQuerySchema, event.queryStringParameters ?? {}, 'query');
  tools.logger.appendKeys({ albumId });
  const answer = await getAlbum(albumId, query, caller, deps);
  tools.metrics.addMetric('AlbumImagesListed', MetricUnit.Count, answer.items.length);
  return { statusCode: 200, body: answer };
});
