import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { FaceAssignedSchema, FaceTargetShape, ONE_TARGET } from '../face-contract';

/** The smallest side a drawn face may have, as a fraction of the image's: under it, a slip of the pointer. */
export const MIN_DRAWN_SIDE = 0.01;

/** Rounding of a client's fractions: a box to the very edge may sum to a hair over 1. */
const EDGE = 1e-6;

const fraction = z.number({ error: 'must be a number from 0 to 1' }).min(0).max(1);

/** A drawn face's box: fractions of the (oriented) image, inside it, each side at least MIN_DRAWN_SIDE. */
export const DrawnBoxSchema = z
  .strictObject(
    {
      left: fraction,
      top: fraction,
      width: fraction.min(MIN_DRAWN_SIDE, `must be at least ${MIN_DRAWN_SIDE} of the image's width`),
      height: fraction.min(MIN_DRAWN_SIDE, `must be at least ${MIN_DRAWN_SIDE} of the image's height`),
    },
    { error: 'must be an object {left, top, width, height} of fractions of the image (0 to 1)' },
  )
  .refine((box) => box.left + box.width <= 1 + EDGE, { message: 'left + width must be at most 1', path: ['width'] })
  .refine((box) => box.top + box.height <= 1 + EDGE, { message: 'top + height must be at most 1', path: ['height'] });

/** `POST /images/{id}/faces` body: where the face is, and who. */
export const DrawFaceSchema = z
  .strictObject(
    {
      box: DrawnBoxSchema.meta({ description: 'Where the face is, as fractions of the image as shown (0 to 1)' }),
      ...FaceTargetShape,
    },
    { error: 'must be a JSON object {"box": {...}, "personId": string} or {"box": {...}, "name": string}' },
  )
  .refine(ONE_TARGET.check, ONE_TARGET.message);

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/images/{id}/faces',
  operationId: 'draw-face',
  access: 'write',
  summary: 'Tag a face the detector missed: its box, and who it is',
  description:
    'Only with face grouping on (docs/people.md, corrections). The face is stored with its box and no descriptor ' +
    '(index 900 on), in the person given (or a new one by name): it counts as one of theirs and the image is found ' +
    'with `person=`, but no later face joins the person through it. Kept through re-analysis and re-clusters; ' +
    'deleted with the image.',
  request: { path: ImageIdPathSchema, body: DrawFaceSchema },
  answers: { 201: { description: 'The face drawn and its person', body: FaceAssignedSchema } },
  errors: {
    400: 'A malformed image id, or body: the box not inside the image or a side under 0.01, not exactly one of `personId` and `name`, or the image has 100 drawn faces already',
    404: "No such image (or another owner's), or no such person",
    409: 'The image is not grouped into people yet, or it or the person kept changing (ask again)',
  },
});
