import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { PERSON_ID_PATTERN } from '../../contract';
import { PersonIdPathSchema, PersonSchema } from '../people-contract';

/** People one merge takes at most. */
export const MAX_MERGED = 10;

/** `POST /people/{id}/merge` body. */
export const MergeSchema = z.strictObject(
  {
    personIds: z
      .array(z.string().regex(PERSON_ID_PATTERN, 'must be a person id (letters and digits, at most 64)'), {
        error: 'must be a list of person ids',
      })
      .min(1, 'name at least one person')
      .max(MAX_MERGED, `at most ${MAX_MERGED} people at once`)
      .refine((ids) => new Set(ids).size === ids.length, 'names a person twice')
      .meta({ description: `The people merged into this one, 1 to ${MAX_MERGED}` }),
  },
  { error: 'must be a JSON object {"personIds": [...]}' },
);
export type Merge = z.output<typeof MergeSchema>;

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/people/{id}/merge',
  operationId: 'merge-people',
  access: 'write',
  summary: 'Merge people into this one',
  description:
    'Only with face grouping on (docs/people.md). Each person named becomes part of this one: its faces count here, its id answers this person and finds its ' +
    'images with `person=`. All or nothing. Two photos of one person grouped apart (docs/people.md) are fixed so. ' +
    "Then the merged people's photos are re-pointed to this person (up to 400 a request; the rest at its next merge), " +
    'so that a search reads it as one term (docs/search.md).',
  request: { path: PersonIdPathSchema, body: MergeSchema },
  answers: { 200: { description: 'The person merged into', body: PersonSchema } },
  errors: {
    400: `The id is not a person id, or \`personIds\` is not 1 to ${MAX_MERGED} distinct person ids, or names this person`,
    404: "This person or one named is unknown, already merged, or another owner's",
    409: 'The merge would give the person more than 100 merged ids, or its people kept changing under it (ask again)',
  },
});
