import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { createPlaceDeps } from '../place-api';
import { correctPlace } from './correct-place';
import { CorrectPlaceEnvSchema, PlaceChangeSchema } from './route';

const { config, tools, serve } = apiFunction('correct-place', CorrectPlaceEnvSchema);
const deps = createPlaceDeps(config, tools.tracer);

/** PUT /images/{id}/place `{position} | {place} | {cleared}` → 200 `{imageId, position?, place?, placeCorrection}`. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(PlaceChangeSchema, jsonBody(event), 'body');
  const answer = await correctPlace(imageId, change, caller, deps);
  tools.metrics.addMetric('PlacesCorrected', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
