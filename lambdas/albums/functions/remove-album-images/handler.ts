import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { removeFromAlbum } from '../../album-sharing';
import { albumIdParam, createAlbumsDeps } from '../album-api';
import { AlbumImagesSchema, AlbumsEnvSchema } from '../albums-contract';

const { config, tools, serve } = apiFunction('remove-album-images', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** DELETE /albums/{id}/images `{imageIds}` → 200 `{removed, album}`. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  const { imageIds } = parseRequest(AlbumImagesSchema, jsonBody(event), 'body');
  return { statusCode: 200, body: await removeFromAlbum(albumId, imageIds, caller, deps) };
});
