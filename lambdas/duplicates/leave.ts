import type { DuplicateStore } from './duplicate-store';

export interface LeaveDeps {
  store: Pick<
    DuplicateStore,
    'getPhoto' | 'unpost' | 'leaveCluster' | 'markAway' | 'deletePhoto' | 'post' | 'putPhoto'
  >;
  now: () => string;
}

/**
 * A photo leaves every list (the trash, the locked folder): its hashes are taken off their band values, so no
 * arrival finds it, and it leaves its cluster (one left with a single photo is dissolved). Its hashes stay, for a
 * restore. Idempotent.
 */
export async function photoAway(imageId: string, deps: LeaveDeps): Promise<void> {
  const photo = await deps.store.getPhoto(imageId);
  if (!photo) return;
  await deps.store.markAway(imageId);
  await deps.store.unpost(photo.owner, imageId, photo.hashes);
  if (photo.clusterId) await deps.store.leaveCluster(photo.clusterId, imageId, deps.now());
}

/** A photo goes for good (purged, re-owned, its run abandoned): away, then its item deleted. Idempotent. */
export async function removePhoto(imageId: string, deps: LeaveDeps): Promise<void> {
  await photoAway(imageId, deps);
  await deps.store.deletePhoto(imageId);
}

/**
 * A photo comes back (restored, unlocked): its hashes posted again, so the next near photo to arrive finds it. It is
 * not clustered now: the photos near it were there all along, and one the owner just let go is not asked about again.
 */
export async function photoBack(imageId: string, deps: LeaveDeps): Promise<void> {
  const photo = await deps.store.getPhoto(imageId);
  if (!photo?.away) return;
  await deps.store.putPhoto({ imageId, owner: photo.owner, hashes: photo.hashes, facts: photo.facts });
  await deps.store.post(photo.owner, imageId, photo.hashes);
}
