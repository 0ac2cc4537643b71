import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { createPeopleDeps, PeopleEnvSchema, personIdParam } from '../people-api';

const { config, tools, serve } = apiFunction('delete-person', PeopleEnvSchema);
const { people } = createPeopleDeps(config, tools.tracer);

/** DELETE /people/{id} → 204; its faces are unassigned from then on (people/face-corrections.ts). */
export const handler = serve(async (event, caller) => {
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  await people.deletePerson(caller.owner, personId);
  tools.metrics.addMetric('PeopleDeleted', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
