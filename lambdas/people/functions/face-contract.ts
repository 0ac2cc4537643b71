import { z } from 'zod';
import { BoxSchema } from '../../core/vision-schema';
import { MAX_NAME_LENGTH, PERSON_ID_PATTERN, PersonNameSchema } from '../contract';
import type { FaceTarget } from '../face-assignment';
import { type PersonAnswer, PersonSchema } from './people-contract';

/*
 * What the two routes that give a face to a person take and answer (`PUT /images/{id}/faces/{face}`, `POST
 * /images/{id}/faces`; their use cases share face-api.ts): who the face is, and the face with its person now.
 */

/** Who the face is: one of the caller's people, or a new person by name (exactly one of the two). */
export const FaceTargetShape = {
  personId: z
    .string()
    .regex(PERSON_ID_PATTERN, 'must be a person id (letters and digits, at most 64)')
    .optional()
    .meta({ description: 'One of your people (`GET /people`); a merged id gives it to the person it was merged into' }),
  name: PersonNameSchema.optional().meta({
    description: `A new person, named so (1 to ${MAX_NAME_LENGTH} characters once trimmed)`,
  }),
};

/** The body's target, from the parsed `personId` or `name`; the schemas' refine made sure there is exactly one. */
export function targetOf(body: { personId?: string | undefined; name?: string | undefined }): FaceTarget {
  return body.personId !== undefined ? { personId: body.personId } : { name: body.name as string };
}

/** A refine of a body with a target: exactly one of `personId` and `name`. */
export const ONE_TARGET = {
  check: (body: { personId?: string; name?: string }) => (body.personId === undefined) !== (body.name === undefined),
  message: { message: 'give exactly one of personId (one of your people) and name (a new person)', path: ['personId'] },
};

/** The answer of both routes: the face, where it is, and who it is now. */
export const FaceAssignedSchema = z
  .object({
    imageId: z.string(),
    face: z
      .number()
      .int()
      .min(0)
      .meta({ description: "The face's index: in `vision.faces`, or 900 on for a drawn one" }),
    box: BoxSchema.meta({ description: 'Where the face is, as fractions of the image (0 to 1)' }),
    person: PersonSchema.meta({ description: 'The person the face is in now' }),
    previousPersonId: z.string().nullable().meta({
      description: 'The person it was in before (deleted if that was its last face), or null',
    }),
  })
  .meta({ id: 'FaceAssigned' });

export interface FaceAssignedAnswer {
  imageId: string;
  face: number;
  box: { left: number; top: number; width: number; height: number };
  person: PersonAnswer;
  previousPersonId: string | null;
}
