import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { addToAlbum } from '../../album-sharing';
import { albumIdParam, createAlbumsDeps } from '../album-api';
import { AlbumImagesSchema, AlbumsEnvSchema } from '../albums-contract';

const { config, tools, serve } = apiFunction('add-album-images', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** POST /albums/{id}/images `{imageIds}` → 200 `{added, album}`. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  const { imageIds } = parseRequest(AlbumImagesSchema, jsonBody(event), 'body');
  const answer = await addToAlbum(albumId, imageIds, caller, deps);
  tools.metrics.addMetric('AlbumImagesAdded', MetricUnit.Count, answer.added);
  return { statusCode: 200, body: answer };
});
