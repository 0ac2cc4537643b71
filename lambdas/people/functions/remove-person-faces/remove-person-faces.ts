import { z } from 'zod';
import { type RepointDeps, rewriteFaces } from '../../../search/person-repoint';
import { ConflictError } from '../../../shared/errors';
import { IMAGE_ID_PATTERN } from '../../../store/keys';
import type { Caller } from '../../../store/owner';
import { PERSON_ID_PATTERN } from '../../contract';
import { type PeopleDeps, type PersonAnswer, withCover } from '../people-api';

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
  await followInRecord(imageId, removed.faces, caller, deps);
  const person = removed.person === undefined ? null : await withCover(removed.person, deps.covers);
  return { imageId, faces: removed.faces, person };
}

async function followInRecord(imageId: string, faces: number[], caller: Caller, deps: RemoveFacesDeps) {
  const outcome = await rewriteFaces(deps, caller.owner, imageId, (all) => {
    const kept = all.filter((one) => !faces.includes(one.face));
    return kept.length === all.length ? undefined : kept;
  });
  if (outcome === 'changing') {
    throw new ConflictError(`image ${imageId} kept changing; its faces are out of the person, ask again to update it`);
  }
}
