import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { NotFoundError } from '../../../shared/errors';
import { createPeopleDeps, personIdParam } from '../people-api';
import { PeopleEnvSchema } from '../people-contract';

const { config, tools, serve } = apiFunction('delete-person', PeopleEnvSchema);
const { people } = createPeopleDeps(config, tools.tracer);

/** DELETE /people/{id} → 204; its faces are unassigned from then on (people/face-corrections.ts). */
export const handler = serve(async (event, caller) => {
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  const person = await people.get(caller.owner, personId);
  // A merged id answers the person it was merged into: deleting through it would delete someone else.
  if (!person || person.personId !== personId) throw new NotFoundError(`person ${personId} not found`);
  await people.deletePerson(caller.owner, personId);
  tools.metrics.addMetric('PeopleDeleted', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
