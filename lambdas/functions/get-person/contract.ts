import type { FunctionEnvironment } from '../../api/env';
import { PeopleEnvSchema, type PeopleRouteWiring, peopleEnvironment } from '../../api/people';

/** `GET /people/{id}`: every variable it reads (those of every people route). */
export const EnvSchema = PeopleEnvSchema;

/** The environment the stack and the local runner give this function (only with `faceGrouping` on). */
export function environmentFor(wiring: PeopleRouteWiring): FunctionEnvironment {
  return peopleEnvironment(wiring);
}
