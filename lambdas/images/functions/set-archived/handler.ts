import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { createEditDeps } from '../edit-api';
import { ArchivedChangeSchema, SetArchivedEnvSchema } from './route';
import { setArchived } from './set-archived';

const { config, tools, serve } = apiFunction('set-archived', SetArchivedEnvSchema);
const deps = createEditDeps(config, tools.tracer);

/** PUT /images/{id}/archived `{archived}` → 200 `{imageId, archived}`; `Image Updated` when it changed. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(ArchivedChangeSchema, jsonBody(event), 'body');
  const answer = await setArchived(imageId, change, caller, deps);
  tools.metrics.addMetric('ArchivesSet', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
