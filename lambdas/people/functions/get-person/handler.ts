import { apiFunction } from '../../../api/http';
import { NotFoundError } from '../../../shared/errors';
import { createPeopleDeps, personIdParam, withCover } from '../people-api';
import { PeopleEnvSchema } from '../people-contract';

const { config, tools, serve } = apiFunction('get-person', PeopleEnvSchema);
const deps = createPeopleDeps(config, tools.tracer);

/**
 * GET /people/{id} → 200 one of the caller's people, with its cover's link; 400 malformed id. A merged person's id
 * answers the person it was merged into (the store resolves it); an unknown id and another owner's person are the
 * same 404, so ids reveal nothing.
 */
export const handler = serve(async (event, caller) => {
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  const person = await deps.people.get(caller.owner, personId);
  if (!person) throw new NotFoundError(`person ${personId} not found`);
  return { statusCode: 200, body: await withCover(person, deps.covers) };
});
