import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { PERSON_ID_PATTERN } from '../../contract';

/** `POST /people/suggestions/dismiss` body: the two people of the suggestion. */
export const DismissSchema = z.strictObject(
  {
    personIds: z
      .array(z.string().regex(PERSON_ID_PATTERN, 'must be a person id (letters and digits, at most 64)'), {
        error: 'must be a list of two person ids',
      })
      .length(2, 'must name the two people of the suggestion')
      .refine((ids) => ids[0] !== ids[1], 'names one person twice')
      .meta({ description: 'The two people of the suggestion' }),
  },
  { error: 'must be a JSON object {"personIds": [a, b]}' },
);

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/people/suggestions/dismiss',
  operationId: 'dismiss-merge-suggestion',
  access: 'write',
  summary: 'These two people are not one: never suggest them again',
  description:
    'Only with face grouping on (docs/people.md, corrections). Remembered under both people, through re-clusters.',
  request: { body: DismissSchema },
  answers: { 204: { description: 'Dismissed' } },
  errors: {
    400: 'The body is not `{"personIds": [a, b]}` of two person ids, or they are one person (one merged into the other)',
    404: "One of them is unknown, or another owner's",
  },
});
