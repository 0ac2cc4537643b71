import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { NotFoundError } from '../../../shared/errors';
import { createPeopleDeps, personIdParam, withCover } from '../people-api';
import { PeopleEnvSchema } from '../people-contract';
import { RenameSchema } from './route';

const { config, tools, serve } = apiFunction('rename-person', PeopleEnvSchema);
const { people, covers } = createPeopleDeps(config, tools.tracer);

/**
 * PATCH /people/{id} `{"name"?: string | null, "hidden"?: boolean}` → 200 the person, named (or its name taken
 * away), hidden or shown; an unknown or another owner's person is a 404. The name is never logged.
 */
export const handler = serve(async (event, caller) => {
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  const { name, hidden } = parseRequest(RenameSchema, jsonBody(event), 'body');
  let person = await people.get(caller.owner, personId);
  if (!person) throw new NotFoundError(`person ${personId} not found`);
  // A merged person's id names the person it was merged into, as GET answers it: that one is renamed.
  if (name !== undefined) {
    person = await people.rename(caller.owner, person.personId, name);
    tools.metrics.addMetric('PeopleRenamed', MetricUnit.Count, 1);
  }
  if (hidden !== undefined) {
    person = await people.setHidden(caller.owner, person.personId, hidden);
    tools.metrics.addMetric(hidden ? 'PeopleHidden' : 'PeopleShown', MetricUnit.Count, 1);
  }
  return { statusCode: 200, body: await withCover(person, covers) };
});
