import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import type { SameType } from '../../../api/schemas';
import { IMAGE_ID_PATTERN } from '../../../store/keys';
import { type FaceAssignedAnswer, FaceAssignedSchema, FaceTargetShape, ONE_TARGET } from '../face-contract';

// What both routes answer, for the web app's types (it reads route descriptions only).
export { FaceAssignedSchema };

// The use case answers exactly what the document says.
const _answerChecked: SameType<FaceAssignedAnswer, z.output<typeof FaceAssignedSchema>> = true;

/** `PUT /images/{id}/faces/{face}` path. */
export const ImageFacePathSchema = z.object({
  id: z.string().regex(IMAGE_ID_PATTERN).meta({ description: 'The image id (a 26-character ULID)' }),
  face: z
    .string()
    .regex(/^[0-9]{1,3}$/, "must be a face's index (in the image's `vision.faces`, or a drawn face's)")
    .transform(Number)
    .meta({ description: "The face's index: in the image's `vision.faces`, or a drawn face's (900 on)" }),
});

/** Its body: who the face is. */
export const AssignFaceSchema = z
  .strictObject(FaceTargetShape, { error: 'must be a JSON object {"personId": string} or {"name": string}' })
  .refine(ONE_TARGET.check, ONE_TARGET.message);

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/faces/{face}',
  operationId: 'assign-face',
  access: 'write',
  summary: 'Who is this: give a face to a person, or to a new person by name',
  description:
    'Only with face grouping on (docs/people.md, corrections). The face leaves the person it was in (deleted if it ' +
    'was its last face), or stops being unassigned, and joins the person; a face found too small to describe can ' +
    'be given too. It is the owner’s word: grouping and a re-cluster never move it again. The image’s `people` ' +
    'and `person=` follow. Giving a face to the person it is in changes nothing.',
  request: { path: ImageFacePathSchema, body: AssignFaceSchema },
  answers: { 200: { description: 'The face and the person it is in now', body: FaceAssignedSchema } },
  errors: {
    400: 'The image id or face index is malformed, or the body is not exactly one of `personId` and `name`, a name of 1 to 64 characters of valid Unicode without control characters',
    404: "No such image (or another owner's), no such face in it, or no such person",
    409: 'The image is not grouped into people yet, or the face, its people or the image kept changing (ask again)',
  },
});
