import type { Box } from '../../core/vision-schema';
import { type RepointDeps, rewriteFaces } from '../../search/person-repoint';
import { ConflictError } from '../../shared/errors';
import type { FaceAssigned } from '../face-assignment';

/*
 * An image's record following a correction the people store made of its faces: its `people` and their `person=`
 * postings (rewriteFaces). What the face routes (face-api.ts, remove-person-faces) and a resolve of duplicates
 * carrying a copy's faces over (duplicates/carry-people.ts, handed these by its entry point) do after the store's write.
 */

/**
 * A face given to a person: the record's `people` names the person for the face (with its box when the analysis did
 * not describe it: drawn, or found too small, so a page counts it named, not skipped). 409 when the record kept
 * changing (the face is the person's: asking again updates it).
 */
export async function recordAssigned(
  deps: RepointDeps,
  owner: string,
  imageId: string,
  assigned: FaceAssigned,
  box: Box,
): Promise<void> {
  const { face, person } = assigned;
  // As the grouping records a face its owner named that the analysis did not describe (grouping.ts).
  const entry = { face, personId: person.personId, ...(assigned.described ? {} : { box }) };
  const outcome = await rewriteFaces(deps, owner, imageId, (faces) => {
    const kept = faces.find((one) => one.face === face);
    if (kept?.personId === person.personId) return undefined;
    return [...faces.filter((one) => one.face !== face), entry].sort((a, b) => a.face - b.face);
  });
  if (outcome === 'changing') {
    throw new ConflictError(`image ${imageId} kept changing; the face is the person's, ask again to update it`);
  }
}

/** Faces taken out of a person: the record drops them from its `people` (if it still has the record). 409 as above. */
export async function recordRemoved(
  deps: RepointDeps,
  owner: string,
  imageId: string,
  faces: readonly number[],
): Promise<void> {
  const outcome = await rewriteFaces(deps, owner, imageId, (all) => {
    const kept = all.filter((one) => !faces.includes(one.face));
    return kept.length === all.length ? undefined : kept;
  });
  if (outcome === 'changing') {
    throw new ConflictError(`image ${imageId} kept changing; its faces are out of the person, ask again to update it`);
  }
}
