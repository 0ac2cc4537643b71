import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import type { SameType } from '../../../api/schemas';
import { PersonSchema } from '../people-api';
import { ListPeopleQuerySchema, type PeoplePage } from './list-people';

/** `GET /people` → 200: a page of people. */
export const PeoplePageSchema = z
  .object({
    items: z.array(PersonSchema),
    cursor: z.string().optional().meta({ description: 'Present while more people may follow; pass it back' }),
  })
  .meta({ id: 'PeoplePage' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<PeoplePage, z.output<typeof PeoplePageSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/people',
  operationId: 'list-people',
  access: 'read',
  summary: "The caller's people, most faces first",
  description:
    'Only with face grouping on (`faceGrouping`, docs/people.md). Each person with its face count and a cover face ' +
    '(a thumbnail link and where the face is in it). People are per owner: no one sees or joins another owner’s.',
  request: { query: ListPeopleQuerySchema },
  answers: { 200: { description: 'A page of people', body: PeoplePageSchema } },
  errors: { 400: 'A bad `limit` or `cursor`, or an unknown parameter' },
});
