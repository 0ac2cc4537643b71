import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { createPeopleDeps, peopleQueryOf } from '../people-api';
import { PeopleEnvSchema } from '../people-contract';
import { listPeople } from './list-people';
import { ListPeopleQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-people', PeopleEnvSchema);
const deps = createPeopleDeps(config, tools.tracer);

/** GET /people?limit=&cursor= → 200 `{items, cursor?}`: the caller's people, most faces first. */
export const handler = serve(async (event, caller) => {
  const multi = event.multiValueQueryStringParameters ?? {};
  const query = parseRequest(ListPeopleQuerySchema, peopleQueryOf(multi), 'query');
  const page = await listPeople(query, caller, deps);
  tools.metrics.addMetric('PeopleListed', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
});
