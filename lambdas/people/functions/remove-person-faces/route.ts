import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import type { SameType } from '../../../api/schemas';
import { IMAGE_ID_PATTERN } from '../../../store/keys';
import { PERSON_ID_PATTERN } from '../../contract';
import { PersonSchema } from '../people-contract';
import type { FacesRemovedAnswer } from './remove-person-faces';

/** `DELETE /people/{id}/images/{imageId}` path. */
export const PersonImagePathSchema = z.object({
  id: z.string().regex(PERSON_ID_PATTERN).meta({ description: 'The person id (letters and digits, at most 64)' }),
  imageId: z.string().regex(IMAGE_ID_PATTERN).meta({ description: 'The image id (a 26-character ULID)' }),
});

/** Its query: which face, when the person is in the image more than once (else every face of the person). */
export const RemoveFacesQuerySchema = z.strictObject(
  {
    face: z
      .string()
      .regex(/^[0-9]{1,3}$/, "must be a face's index in the image's `vision.faces`")
      .transform(Number)
      .optional()
      .meta({ description: "The face's index in the image's `vision.faces`; default: every face of the person" }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown parameter: ${issue.keys.join(', ')}` : 'bad query',
  },
);

export const FacesRemovedSchema = z
  .object({
    imageId: z.string(),
    faces: z.array(z.number().int().min(0)).meta({ description: 'The faces taken out (indexes in `vision.faces`)' }),
    person: PersonSchema.nullable().meta({ description: 'The person now; null if those were its last faces' }),
  })
  .meta({ id: 'FacesRemoved' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<FacesRemovedAnswer, z.output<typeof FacesRemovedSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/people/{id}/images/{imageId}',
  operationId: 'remove-person-faces',
  access: 'write',
  summary: 'Not this person: take an image’s faces out of a person',
  description:
    'Only with face grouping on (docs/people.md, corrections). The faces stay unassigned: neither grouping nor a ' +
    're-cluster puts them in a person again. The image is no longer found with `person=`. A person left without ' +
    'faces is deleted.',
  request: { path: PersonImagePathSchema, query: RemoveFacesQuerySchema },
  answers: { 200: { description: 'What was taken out, and the person now', body: FacesRemovedSchema } },
  errors: {
    400: 'The id is not a person id, the image id is not one, or `face` is not a face index',
    404: "No such person (or another owner's), or no face of it in the image",
    409: 'The person or the image kept changing (ask again)',
  },
});
