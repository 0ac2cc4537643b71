import { apiFunction, parseRequest } from '../../../api/http';
import { listAlbums } from '../../albums';
import { createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';
import { AlbumPageQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-albums', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** GET /albums?limit=&cursor= → 200 `{items, cursor?}`: the caller's albums, newest first. */
export const handler = serve(async (event, caller) => {
  const query = parseRequest(AlbumPageQuerySchema, event.queryStringParameters ?? {}, 'query');
  return { statusCode: 200, body: await listAlbums(query, caller, deps) };
});
