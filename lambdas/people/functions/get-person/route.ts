import type { ApiRouteFactory } from '../../../api/route';
import { PersonIdPathSchema, PersonSchema } from '../people-contract';

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
  errors: {
    400: 'The id is not a person id',
    404: "No such person, another owner's, or one whose every photo is in the trash or locked",
  },
});
