import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { PageCursorParameter, pageLimitParameter, QUERY_STRING_ERRORS } from '../../../api/schemas';
import { PersonSchema } from '../people-contract';

export const DEFAULT_PEOPLE_LIMIT = 50;
/** Larger requests are served this many, as `GET /images` serves its own maximum. */
export const MAX_PEOPLE_LIMIT = 100;

/** `GET /people` query string. */
export const ListPeopleQuerySchema = z.strictObject(
  {
    limit: pageLimitParameter(MAX_PEOPLE_LIMIT, DEFAULT_PEOPLE_LIMIT).meta({
      description: `People per page, 1 to ${MAX_PEOPLE_LIMIT} (more is served ${MAX_PEOPLE_LIMIT})`,
    }),
    cursor: PageCursorParameter,
    hidden: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((hidden) => hidden === 'true')
      .optional()
      .meta({ description: 'true: the people the caller hid (`PATCH /people/{id}` `hidden`) instead' }),
  },
  QUERY_STRING_ERRORS,
);
export type ListPeopleQuery = z.output<typeof ListPeopleQuerySchema>;

/** `GET /people` → 200: a page of people. */
export const PeoplePageSchema = z
  .object({
    items: z.array(PersonSchema),
    cursor: z.string().optional().meta({ description: 'Present while more people may follow; pass it back' }),
  })
  .meta({ id: 'PeoplePage' });

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
