import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam } from '../../../api/http';
import { createEditDeps } from '../edit-api';
import { clearDateTaken } from './clear-date-taken';
import { ClearDateTakenEnvSchema } from './route';

const { config, tools, serve } = apiFunction('clear-date-taken', ClearDateTakenEnvSchema);
const deps = createEditDeps(config, tools.tracer);

/** DELETE /images/{id}/taken → 200 `{imageId, takenAt?}`: the photo's own date again; `Image Updated`. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const answer = await clearDateTaken(imageId, caller, deps);
  tools.metrics.addMetric('DatesTakenCleared', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
