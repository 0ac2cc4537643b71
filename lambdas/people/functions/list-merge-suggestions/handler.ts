import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { createPeopleDeps, peopleQueryOf } from '../people-api';
import { PeopleEnvSchema } from '../people-contract';
import { listMergeSuggestions } from './list-merge-suggestions';
import { SuggestionsQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-merge-suggestions', PeopleEnvSchema);
const deps = createPeopleDeps(config, tools.tracer);

/** GET /people/suggestions?limit=&cursor= → 200 `{items, cursor?}`. */
export const handler = serve(async (event, caller) => {
  const query = parseRequest(
    SuggestionsQuerySchema,
    peopleQueryOf(event.multiValueQueryStringParameters ?? {}),
    'query',
  );
  const page = await listMergeSuggestions(query, caller, deps);
  tools.metrics.addMetric('MergeSuggestions', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
});
