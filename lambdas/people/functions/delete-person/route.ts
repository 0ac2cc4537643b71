import type { ApiRouteFactory } from '../../../api/route';
import { PersonIdPathSchema } from '../people-contract';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/people/{id}',
  operationId: 'delete-person',
  access: 'write',
  summary: 'Delete a person; its faces stay, unassigned',
  description:
    'Only with face grouping on (docs/people.md, corrections). One write whatever its faces: the person leaves the ' +
    'list, answers 404, its name and `person=` find nothing; its faces read as unassigned and are never grouped ' +
    'into it again, by the processor or a re-cluster. The photos stay. A merged id is a 404: delete the person it is.',
  request: { path: PersonIdPathSchema },
  answers: { 204: { description: 'Deleted' } },
  errors: {
    400: 'The id is not a person id',
    404: "No such person, a merged id, or another owner's",
    409: 'It kept changing (ask again)',
  },
});
