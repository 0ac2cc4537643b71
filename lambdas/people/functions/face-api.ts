import type { RepointDeps } from '../../search/person-repoint';
import { ConflictError, NotFoundError } from '../../shared/errors';
import type { ImageItem } from '../../store/image-item';
import type { Caller } from '../../store/owner';
import type { FaceAssigned } from '../face-assignment';
import type { FaceAssignedAnswer } from './face-contract';
import { recordAssigned } from './face-records';
import { type PeopleDeps, withCover } from './people-api';

/*
 * What the use cases of the two routes that give a face to a person share (`PUT /images/{id}/faces/{face}`, `POST
 * /images/{id}/faces`; their schemas are face-contract.ts'): the image read as its owner's, the record's `people` and
 * its `person=` postings following the store, and the answer.
 */

export interface FaceRouteDeps extends PeopleDeps, RepointDeps {}

/** The caller's image, grouped into people (404: none, or another owner's; 409: not grouped yet). */
export async function ownGroupedImage(imageId: string, caller: Caller, deps: FaceRouteDeps): Promise<ImageItem> {
  const item = await deps.images.get(imageId);
  // People are per owner: an image of another owner (an admin's too) has none of the caller's faces.
  if (item === undefined || item.owner !== caller.owner) throw new NotFoundError(`image ${imageId} not found`);
  if (item.people === undefined) {
    throw new ConflictError(`image ${imageId} has not been grouped into people (yet): try again once it is processed`);
  }
  return item;
}

/**
 * After the store gave the face its person: the record's `people` names the person for the face (with its box when
 * the analysis did not describe it: drawn, or found too small, so a page counts it named, not skipped), and its
 * `person=` postings follow; then the answer, with the person's cover.
 */
export async function followAndAnswer(
  item: ImageItem,
  assigned: FaceAssigned,
  box: FaceAssignedAnswer['box'],
  caller: Caller,
  deps: FaceRouteDeps,
): Promise<FaceAssignedAnswer> {
  const { face, person } = assigned;
  await recordAssigned(deps, caller.owner, item.imageId, assigned, box);
  return {
    imageId: item.imageId,
    face,
    box,
    person: await withCover(person, deps.covers),
    previousPersonId: assigned.previous?.personId ?? null,
  };
}
