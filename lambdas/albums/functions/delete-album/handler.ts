import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { deleteAlbum } from '../../albums';
import { albumIdParam, createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';

const { config, tools, serve } = apiFunction('delete-album', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** DELETE /albums/{id} → 204. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  await deleteAlbum(albumId, caller, deps);
  tools.logger.info('album deleted', { albumId });
  tools.metrics.addMetric('AlbumsDeleted', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
