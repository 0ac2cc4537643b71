import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { createEditDeps } from '../edit-api';
import { FavouriteChangeSchema, SetFavouriteEnvSchema } from './route';
import { setFavourite } from './set-favourite';

const { config, tools, serve } = apiFunction('set-favourite', SetFavouriteEnvSchema);
const deps = createEditDeps(config, tools.tracer);

/** PUT /images/{id}/favourite `{favourite}` → 200 `{imageId, favourite}`; `Image Updated` when it changed. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(FavouriteChangeSchema, jsonBody(event), 'body');
  const answer = await setFavourite(imageId, change, caller, deps);
  tools.metrics.addMetric('FavouritesSet', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
