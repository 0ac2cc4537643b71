import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { removeAlbumMember } from '../../album-sharing';
import { createAlbumsDeps } from '../album-api';
import { AlbumsEnvSchema } from '../albums-contract';
import { AlbumMemberPathSchema } from '../set-album-member/route';

const { config, tools, serve } = apiFunction('remove-album-member', AlbumsEnvSchema);
const deps = createAlbumsDeps(config, tools.tracer);

/** DELETE /albums/{id}/members/{owner} → 204. */
export const handler = serve(async (event, caller) => {
  const { id, owner } = parseRequest(AlbumMemberPathSchema, event.pathParameters ?? {}, 'path');
  tools.logger.appendKeys({ albumId: id });
  await removeAlbumMember(id, owner, caller, deps);
  tools.metrics.addMetric('AlbumMembersRemoved', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
