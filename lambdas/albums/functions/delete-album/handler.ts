import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { createSqsClient } from '../../../shared/aws-clients';
import { deleteAlbum } from '../../albums';
import { SqsDeletedAlbumsQueue } from '../../deleted-albums';
import { albumIdParam, createAlbumsDeps } from '../album-api';
import { DeleteAlbumEnvSchema } from '../albums-contract';

const { config, tools, serve } = apiFunction('delete-album', DeleteAlbumEnvSchema);
const deps = {
  ...createAlbumsDeps(config, tools.tracer),
  deletedAlbums: new SqsDeletedAlbumsQueue(createSqsClient(tools.tracer), config.DELETED_ALBUMS_QUEUE_URL),
};

/** DELETE /albums/{id} → 204: the album goes now, its members by the deleted albums' queue. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  await deleteAlbum(albumId, caller, deps);
  tools.logger.info('album deleted', { albumId });
  tools.metrics.addMetric('AlbumsDeleted', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
