import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { createEditDeps } from '../edit-api';
import { DateTakenChangeSchema, SetDateTakenEnvSchema } from './route';
import { setDateTaken } from './set-date-taken';

const { config, tools, serve } = apiFunction('set-date-taken', SetDateTakenEnvSchema);
const deps = createEditDeps(config, tools.tracer);

/** PUT /images/{id}/taken `{takenAt}` → 200 `{imageId, takenAt, takenCorrection, exifTakenAt?}`; `Image Updated`. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(DateTakenChangeSchema, jsonBody(event), 'body');
  const answer = await setDateTaken(imageId, change, caller, deps);
  tools.metrics.addMetric('DatesTakenSet', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
