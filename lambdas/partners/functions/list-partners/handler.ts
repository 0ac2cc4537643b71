import { apiFunction } from '../../../api/http';
import { listPartners } from '../../partners';
import { createPartnersDeps } from '../partners-api';
import { PartnersEnvSchema } from '../partners-contract';

const { config, tools, serve } = apiFunction('list-partners', PartnersEnvSchema);
const deps = createPartnersDeps(config, tools.tracer);

/** GET /partners → 200 `{granted, received}`. */
export const handler = serve(async (_event, caller) => {
  return { statusCode: 200, body: await listPartners(caller, deps) };
});
