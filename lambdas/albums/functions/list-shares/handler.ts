import { apiFunction, parseRequest } from '../../../api/http';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ShareStore } from '../../../shares/share-store';
import { ListSharesQuerySchema } from '../share-schemas';
import { listShares } from './list-shares';
import { ListSharesEnvSchema } from './route';

const { config, tools, serve } = apiFunction('list-shares', ListSharesEnvSchema);
const shares = new ShareStore(createDocumentClient(tools.tracer), config.SHARES_TABLE);

/** GET /shares → 200 `{items, cursor?}`: the caller's links, newest first. */
export const handler = serve(async (event, caller) => {
  const asked = parseRequest(ListSharesQuerySchema, event.queryStringParameters ?? {}, 'query');
  return { statusCode: 200, body: await listShares(caller, asked, { shares }) };
});
