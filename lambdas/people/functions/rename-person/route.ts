import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { MAX_NAME_LENGTH, PersonNameSchema } from '../../contract';
import { PersonIdPathSchema, PersonSchema } from '../people-contract';

/** `PATCH /people/{id}` body: the name is checked here, before the store sees it; `hidden` hides or shows it. */
export const RenameSchema = z
  .strictObject(
    {
      name: PersonNameSchema.nullable()
        .optional()
        .meta({
          description: `The name, 1 to ${MAX_NAME_LENGTH} characters once trimmed, valid Unicode without control characters; null takes it away`,
        }),
      hidden: z
        .boolean({ error: 'must be true or false' })
        .optional()
        .meta({ description: 'true hides the person from `GET /people` (listed with `hidden=true`); false shows it' }),
    },
    { error: 'must be a JSON object {"name"?: string | null, "hidden"?: boolean}' },
  )
  .refine((body) => body.name !== undefined || body.hidden !== undefined, {
    message: 'must be a string or null (or give hidden)',
    path: ['name'],
  });

export const route: ApiRouteFactory = () => ({
  method: 'PATCH',
  path: '/people/{id}',
  operationId: 'rename-person',
  access: 'write',
  summary: 'Name a person, or take its name away; hide it or show it',
  description:
    'Only with face grouping on (docs/people.md). The name is trimmed; `null` takes it away. Names are never logged. ' +
    '`hidden: true` takes the person off `GET /people` (it is listed with `hidden=true`); its photos and `person=` ' +
    'stay.',
  request: { path: PersonIdPathSchema, body: RenameSchema },
  answers: { 200: { description: 'The person, named', body: PersonSchema } },
  errors: {
    400: 'The id is not a person id, or the body is not `{"name"?, "hidden"?}` (one at least) with a name of 1 to 64 characters of valid Unicode without control characters (the message names `name`)',
    404: "No such person, or another owner's",
  },
});
