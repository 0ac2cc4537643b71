import type { Box } from '../../../core/vision-schema';
import type { Caller } from '../../../store/owner';
import { DRAWN_FACE_FIRST, type FaceTarget } from '../../face-assignment';
import { type FaceRouteDeps, followAndAnswer, ownGroupedImage } from '../face-api';
import type { FaceAssignedAnswer } from '../face-contract';

/**
 * "Tag a face": a face the detector missed, drawn by the image's owner and given to a person (or a new one by name).
 * 1. the image, the caller's and grouped (404, 409); the box was checked by the route (inside the image, not a sliver);
 * 2. the people store writes it as a new face (the first free index from 900, past any `vision.faces` index), with no
 *    descriptor: it is in the person it was given to and in no index, so no later face joins it (docs/people.md);
 * 3. the record's `people` (the face with its box) and its `person=` postings follow.
 */
export async function drawImageFace(
  imageId: string,
  box: Box,
  target: FaceTarget,
  caller: Caller,
  deps: FaceRouteDeps,
): Promise<FaceAssignedAnswer> {
  const item = await ownGroupedImage(imageId, caller, deps);
  const first = Math.max(DRAWN_FACE_FIRST, item.vision?.faces.length ?? 0);
  const assigned = await deps.people.drawFace(caller.owner, imageId, box, target, first);
  return followAndAnswer(item, assigned, box, caller, deps);
}
