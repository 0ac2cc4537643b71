import type { RepointDeps } from '../../../search/person-repoint';
import type { Caller } from '../../../store/owner';
import { recordRemoved } from '../face-records';
import { type PeopleDeps, withCover } from '../people-api';
import type { PersonAnswer } from '../people-contract';

export interface FacesRemovedAnswer {
  imageId: string;
  /** The faces taken out of the person (their index in the image's `vision.faces`). */
  faces: number[];
  /** The person now, or null when those were its last faces (it is then deleted). */
  person: PersonAnswer | null;
}

export interface RemoveFacesDeps extends PeopleDeps, RepointDeps {}

/**
 * "Not this person": take an image's faces out of one of the caller's people.
 * 1. the people store takes them out (404: no such person, or no face of it in the image; people are per owner, so
 *    another owner's image has none): they are unassigned from then on, and no grouping puts them back;
 * 2. the image's record drops them from its `people`, and its `person=` postings follow (the image is no longer
 *    found under that person), if it still has the record (a deleted image has nothing to follow).
 */
export async function removePersonFaces(
  personId: string,
  imageId: string,
  face: number | undefined,
  caller: Caller,
  deps: RemoveFacesDeps,
): Promise<FacesRemovedAnswer> {
  const removed = await deps.people.removeFaces(caller.owner, personId, imageId, face);
  await recordRemoved(deps, caller.owner, imageId, removed.faces);
  const person = removed.person === undefined ? null : await withCover(removed.person, deps.covers);
  return { imageId, faces: removed.faces, person };
}
