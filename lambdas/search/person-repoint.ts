import type { ImageItem } from '../store/image-item';
import type { ImageStore } from '../store/image-store';
import type { ISearchIndex } from './index-port';
import { withTerms } from './postings';

/*
 * A merge's images followed: an image whose faces were grouped under people since merged carries their ids, in its
 * record and its `person=` postings, until it is re-pointed to the person they were merged into. The merge route
 * and the processor (for the merges grouping makes) re-point through here, a record writer like "Not this person".
 */

export interface RepointDeps {
  images: Pick<ImageStore, 'get' | 'correctPeople' | 'clearUnindexTerms'>;
  index: Pick<ISearchIndex, 'upsert'>;
  now?: () => Date;
}

/** Attempts at the record while another writer changes it under us. */
const RECORD_ATTEMPTS = 5;

type Faces = NonNullable<ImageItem['people']>['faces'];

/** What a rewrite of an image's faces came to: done, nothing to do, still being processed, or it kept changing. */
export type FacesRewrite = 'written' | 'unchanged' | 'processing' | 'changing';

/**
 * The record writer of the people corrections: an image of `owner` gets the faces `change` answers (undefined:
 * nothing to change), with the terms they make (withTerms), on the condition that the record is as read; then its
 * postings follow (upsert). `waitForProcessing`: a record still PENDING is left alone (its run will write the people
 * it grouped).
 */
export async function rewriteFaces(
  deps: RepointDeps,
  owner: string,
  imageId: string,
  change: (faces: Faces) => Faces | undefined,
  { waitForProcessing = false } = {},
): Promise<FacesRewrite> {
  for (let attempt = 0; attempt < RECORD_ATTEMPTS; attempt++) {
    const item = await deps.images.get(imageId);
    if (item === undefined || item.owner !== owner) return 'unchanged';
    if (waitForProcessing && item.status === 'PENDING') return 'processing';
    const faces = item.people && change(item.people.faces);
    if (!item.people || faces === undefined) return 'unchanged';
    const at = (deps.now?.() ?? new Date()).toISOString();
    const written = withTerms({ ...item, people: { ...item.people, faces }, updatedAt: at }, item);
    if (!(await deps.images.correctPeople(written, item.updatedAt))) continue;
    await deps.index.upsert(written);
    if (written.unindexTerms) await deps.images.clearUnindexTerms(imageId, at);
    return 'written';
  }
  return 'changing';
}

/**
 * Re-point one image of `owner`: its record's faces of any of the `merged` ids name `personId` (rewriteFaces). True
 * when done or nothing is to do (the image gone, another owner's, without those faces); false when it cannot be done
 * yet: the image is still being processed (its record will be written with the people its run grouped, maybe before
 * the merge), or it kept changing. On false the caller keeps reading the merged ids.
 */
export async function repointImage(
  deps: RepointDeps,
  owner: string,
  imageId: string,
  merged: ReadonlySet<string>,
  personId: string,
): Promise<boolean> {
  const outcome = await rewriteFaces(
    deps,
    owner,
    imageId,
    (faces) =>
      faces.some((face) => merged.has(face.personId))
        ? faces.map((face) => (merged.has(face.personId) ? { ...face, personId } : face))
        : undefined,
    { waitForProcessing: true },
  );
  return outcome === 'written' || outcome === 'unchanged';
}
