import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { NotFoundError } from '../../../shared/errors';
import { createPeopleDeps } from '../people-api';
import { PeopleEnvSchema } from '../people-contract';
import { DismissSchema } from './route';

const { config, tools, serve } = apiFunction('dismiss-merge-suggestion', PeopleEnvSchema);
const { people } = createPeopleDeps(config, tools.tracer);

/** POST /people/suggestions/dismiss `{"personIds": [a, b]}` → 204. */
export const handler = serve(async (event, caller) => {
  const { personIds } = parseRequest(DismissSchema, jsonBody(event), 'body');
  for (const personId of personIds) {
    if (!(await people.get(caller.owner, personId))) throw new NotFoundError(`person ${personId} not found`);
  }
  await people.dismissSuggestion(caller.owner, [personIds[0] as string, personIds[1] as string]);
  tools.metrics.addMetric('MergeSuggestionsDismissed', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
