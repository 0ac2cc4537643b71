import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { updateAlbum } from '../../albums';
import { albumIdParam, createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';
import { AlbumChangeSchema } from './route';

const { config, tools, serve } = apiFunction('update-album', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** PATCH /albums/{id} `{name?, coverImageId?, order?}` → 200 the album. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  const change = parseRequest(AlbumChangeSchema, jsonBody(event), 'body');
  return { statusCode: 200, body: await updateAlbum(albumId, change, caller, deps) };
});
