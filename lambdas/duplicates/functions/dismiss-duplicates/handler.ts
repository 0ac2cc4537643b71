import { apiFunction } from '../../../api/http';
import { dismissDuplicates } from '../../review';
import { clusterIdParam, createDuplicatesDeps } from '../duplicates-api';
import { DuplicatesEnvSchema } from '../duplicates-contract';

const { config, tools, serve } = apiFunction('dismiss-duplicates', DuplicatesEnvSchema);
const deps = createDuplicatesDeps(config, tools.tracer);

/** POST /duplicates/{id}/dismiss → 200 `{clusterId, dismissed}`. */
export const handler = serve(async (event, caller) => {
  return { statusCode: 200, body: await dismissDuplicates(clusterIdParam(event), caller, deps) };
});
