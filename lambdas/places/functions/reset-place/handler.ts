import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam } from '../../../api/http';
import { createPlaceDeps } from '../place-api';
import { resetPlace } from './reset-place';
import { ResetPlaceEnvSchema } from './route';

const { config, tools, serve } = apiFunction('reset-place', ResetPlaceEnvSchema);
const deps = createPlaceDeps(config, tools.tracer);

/** DELETE /images/{id}/place → 200 `{imageId, position?, place?}`: back to what the photo's GPS says. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const answer = await resetPlace(imageId, caller, deps);
  tools.metrics.addMetric('PlaceCorrectionsDropped', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
