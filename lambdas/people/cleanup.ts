import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { PEOPLE_CLEANUP } from './cleanup-contract';
import { peopleIf } from './open';
import type { PeoplePort } from './ports';

/** The image's faces, of its owner's people (idempotent, so a retried delete is safe); none for an ownerless image. */
export function peopleCleanup(people: Pick<PeoplePort, 'deleteImageFaces'>): ImageCleanup {
  return {
    name: PEOPLE_CLEANUP.name,
    remove: async (image) => {
      if (image.owner !== undefined) await people.deleteImageFaces(image.owner, image.imageId);
    },
  };
}

export const PEOPLE_CLEANUP_MODULE: ImageCleanupModule = {
  name: PEOPLE_CLEANUP.name,
  open: (env: { PEOPLE_TABLE?: string; FACE_COLLECTION_ID?: string }, { dynamo }) => {
    const people = peopleIf(dynamo, env);
    return people && peopleCleanup(people);
  },
};
