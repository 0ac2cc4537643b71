import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { createAlbum } from '../../albums';
import { createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';
import { CreateAlbumSchema } from './route';

const { config, tools, serve } = apiFunction('create-album', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** POST /albums `{name, smart?, order?}` → 201 the album. */
export const handler = serve(async (event, caller) => {
  const input = parseRequest(CreateAlbumSchema, jsonBody(event), 'body');
  const album = await createAlbum(input, caller, deps);
  tools.logger.info('album made', { albumId: album.albumId, kind: album.kind });
  tools.metrics.addMetric('AlbumsCreated', MetricUnit.Count, 1);
  return { statusCode: 201, body: album };
});
