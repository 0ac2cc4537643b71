import { apiFunction, parseRequest } from '../../../api/http';
import { listDuplicates } from '../../review';
import { createDuplicatesDeps } from '../duplicates-api';
import { DuplicatesEnvSchema } from '../duplicates-contract';
import { DuplicatesQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-duplicates', DuplicatesEnvSchema);
const deps = createDuplicatesDeps(config, tools.tracer);

/** GET /duplicates?limit=&cursor= → 200 `{items, cursor?}`: the caller's open clusters, newest first. */
export const handler = serve(async (event, caller) => {
  const page = parseRequest(DuplicatesQuerySchema, event.queryStringParameters ?? {}, 'query');
  return { statusCode: 200, body: await listDuplicates(page, caller, deps) };
});
