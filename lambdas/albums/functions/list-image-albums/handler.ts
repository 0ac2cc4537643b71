import { apiFunction, imageIdParam } from '../../../api/http';
import { imageAlbums } from '../../albums';
import { createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';

const { config, tools, serve } = apiFunction('list-image-albums', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** GET /images/{id}/albums → 200 `{items: [{albumId, name}]}`. */
export const handler = serve(async (event, caller) => ({
  statusCode: 200,
  body: await imageAlbums(imageIdParam(event), caller, deps),
}));
