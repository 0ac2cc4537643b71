import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { NEAR_DUPLICATES_CLEANUP } from './cleanup-contract';
import { DuplicateStore } from './duplicate-store';
import { type LeaveDeps, photoAway, photoBack, removePhoto } from './leave';

/** What the trash asks of the duplicates room (cleanup-contract.ts). */
export function nearDuplicatesCleanup(deps: LeaveDeps): ImageCleanup {
  return {
    name: NEAR_DUPLICATES_CLEANUP.name,
    remove: (image) => removePhoto(image.imageId, deps),
    trashed: (image) => photoAway(image.imageId, deps),
    // Back in the lists (restored, unlocked; restored still locked, it stays away).
    restored: async (image) => {
      if (image.status !== 'TRASHED' && image.locked !== true) await photoBack(image.imageId, deps);
    },
  };
}

export const NEAR_DUPLICATES_CLEANUP_MODULE: ImageCleanupModule = {
  name: NEAR_DUPLICATES_CLEANUP.name,
  open: (env: { DUPLICATES_TABLE: string }, { dynamo }) =>
    nearDuplicatesCleanup({
      store: new DuplicateStore(dynamo, env.DUPLICATES_TABLE),
      now: () => new Date().toISOString(),
    }),
};
