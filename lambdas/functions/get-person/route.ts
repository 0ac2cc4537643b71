import type { FunctionEnvironment } from '../../api/env';
import {
  PeopleEnvSchema,
  type PeopleRouteWiring,
  PersonIdPathSchema,
  PersonSchema,
  peopleEnvironment,
} from '../../api/people';
import type { ApiRouteFactory } from '../../api/route';

/** `GET /people/{id}`: every variable it reads (those of every people route). */
export const EnvSchema = PeopleEnvSchema;

/** The environment the stack and the local runner give this function (only with `faceGrouping` on). */
export function environmentFor(wiring: PeopleRouteWiring): FunctionEnvironment {
  return peopleEnvironment(wiring);
}

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/people/{id}',
  operationId: 'get-person',
  access: 'read',
  summary: 'Read one person',
  description:
    'Only with face grouping on (docs/people.md). A merged person’s id answers the person it was merged into. `GET /images?person=<id>` lists its images.',
  request: { path: PersonIdPathSchema },
  answers: { 200: { description: 'The person', body: PersonSchema } },
  errors: { 400: 'The id is not a person id', 404: "No such person, or another owner's" },
});
