import { eventSinks } from '../events/sinks';
import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { NEAR_DUPLICATES_CLEANUP } from './cleanup-contract';
import { type ClusterDeps, clusterPhoto } from './clusters';
import { DuplicateStore } from './duplicate-store';
import { type LeaveDeps, photoAway, removePhoto } from './leave';

/** What the trash asks of the duplicates room (cleanup-contract.ts). */
export function nearDuplicatesCleanup(deps: LeaveDeps & ClusterDeps): ImageCleanup {
  return {
    name: NEAR_DUPLICATES_CLEANUP.name,
    remove: (image) => removePhoto(image.imageId, deps),
    trashed: (image) => photoAway(image.imageId, deps),
    // Back in the lists (restored, unlocked, or restored still locked: then it stays away).
    restored: async (image) => {
      if (image.status === 'TRASHED' || image.locked === true) return;
      const photo = await deps.store.getPhoto(image.imageId);
      if (photo) await clusterPhoto(photo, deps);
    },
  };
}

export const NEAR_DUPLICATES_CLEANUP_MODULE: ImageCleanupModule = {
  name: NEAR_DUPLICATES_CLEANUP.name,
  open: (env: { DUPLICATES_TABLE: string; EVENT_BUS_NAME: string; WEBHOOK_QUEUE_URL?: string }, { dynamo }) => {
    const store = new DuplicateStore(dynamo, env.DUPLICATES_TABLE);
    return nearDuplicatesCleanup({
      store,
      events: eventSinks({ env }),
      now: () => new Date().toISOString(),
    });
  },
};
