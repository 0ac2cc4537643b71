import { NotFoundError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import type { FaceTarget } from '../../face-assignment';
import { type FaceRouteDeps, followAndAnswer, ownGroupedImage } from '../face-api';
import type { FaceAssignedAnswer } from '../face-contract';

/**
 * "Who is this?" / "Someone else": give a face of one of the caller's images to a person, or to a new one by name.
 * 1. the image, the caller's and grouped (404, 409); the face: one of `vision.faces`, or one its owner drew (404);
 * 2. the people store moves it, wherever it was (in a person, or unassigned), to the person: the person it leaves is
 *    deleted when it was its last face, and the face is the owner's word from then on (face-assignment.ts);
 * 3. the record's `people` and its `person=` postings follow.
 */
export async function assignImageFace(
  imageId: string,
  face: number,
  target: FaceTarget,
  caller: Caller,
  deps: FaceRouteDeps,
): Promise<FaceAssignedAnswer> {
  const item = await ownGroupedImage(imageId, caller, deps);
  const box = item.vision?.faces[face]?.box ?? item.people?.faces.find((one) => one.face === face)?.box;
  if (box === undefined) throw new NotFoundError(`image ${imageId} has no face ${face}`);
  const assigned = await deps.people.assignFace(caller.owner, imageId, face, target, box);
  return followAndAnswer(item, assigned, box, caller, deps);
}
