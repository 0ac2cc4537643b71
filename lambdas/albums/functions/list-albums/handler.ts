import { apiFunction, parseRequest } from '../../../api/http';
import { sharedAlbums } from '../../album-sharing';
import { listAlbums } from '../../albums';
import { createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';
import { AlbumListQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-albums', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** GET /albums?limit=&cursor=&shared= → 200 `{items, cursor?}`: the caller's albums (or those shared with them). */
export const handler = serve(async (event, caller) => {
  const { shared, ...page } = parseRequest(AlbumListQuerySchema, event.queryStringParameters ?? {}, 'query');
  const answer = shared ? await sharedAlbums(page, caller, deps) : await listAlbums(page, caller, deps);
  return { statusCode: 200, body: answer };
});
