import { apiFunction } from '../../../api/http';
import { NotFoundError } from '../../../shared/errors';
import { withShownCovers } from '../../shown-covers';
import { createPeopleDeps, personIdParam, withCover } from '../people-api';
import { PeopleEnvSchema } from '../people-contract';

const { config, tools, serve } = apiFunction('get-person', PeopleEnvSchema);
const deps = createPeopleDeps(config, tools.tracer);

/**
 * GET /people/{id} → 200 one of the caller's people, with its cover's link; 400 malformed id. A merged person's id
 * answers the person it was merged into (the store resolves it); an unknown id and another owner's person are the
 * same 404, so ids reveal nothing. Its cover is a face whose photo is not in the trash or the locked folder
 * (shown-covers.ts); a person with none is a 404 too, as it is left out of the list.
 */
export const handler = serve(async (event, caller) => {
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  const person = await deps.people.get(caller.owner, personId);
  const [shown] = person ? await withShownCovers(caller.owner, [person], deps.shownCovers) : [];
  if (!shown) throw new NotFoundError(`person ${personId} not found`);
  return { statusCode: 200, body: await withCover(shown, deps.covers) };
});
