import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { setAlbumMember } from '../../album-sharing';
import { createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';
import { AlbumMemberChangeSchema, AlbumMemberPathSchema } from './route';

const { config, tools, serve } = apiFunction('set-album-member', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** PUT /albums/{id}/members/{owner} `{role}` → 200 `{albumId, member, role, addedAt}`. */
export const handler = serve(async (event, caller) => {
  const { id, owner } = parseRequest(AlbumMemberPathSchema, event.pathParameters ?? {}, 'path');
  const { role } = parseRequest(AlbumMemberChangeSchema, jsonBody(event), 'body');
  tools.logger.appendKeys({ albumId: id });
  const answer = await setAlbumMember(id, owner, role, caller, deps);
  tools.metrics.addMetric('AlbumMembersSet', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
