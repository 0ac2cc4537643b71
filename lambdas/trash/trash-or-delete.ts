import type { ImageItem } from '../store/image-item';
import type { ImageTrash } from '../store/image-trash';
import type { Caller } from '../store/owner';
import { type PurgeImageDeps, purgeImage } from './purge-image';
import { type TrashDeps, trashImage } from './trash-image';

export interface TrashOrDeleteOptions {
  /** `?permanently=true`: past the trash. */
  permanently: boolean;
  /** The `trashDays` setting: 0 is no trash. */
  trashDays: number;
  deps: PurgeImageDeps & Omit<TrashDeps, 'trashDays' | 'store'> & { trash: Pick<ImageTrash, 'trash' | 'restore'> };
}

export type TrashOrDeleteOutcome = { trashed: ImageItem; deleted?: undefined } | { deleted: ImageItem };

/**
 * What `DELETE /images/{id}` does: delete for good when asked (`permanently`), when there is no trash (`trashDays`
 * 0), or for a PENDING upload (nothing arrived that a restore could give back, and its record expires with its URL);
 * else move the image to the trash. The owner check is each use case's (404 for another owner's image).
 */
export async function trashOrDelete(
  imageId: string,
  caller: Caller,
  { permanently, trashDays, deps }: TrashOrDeleteOptions,
): Promise<TrashOrDeleteOutcome> {
  if (permanently || trashDays === 0) return { deleted: await purgeImage(imageId, caller, deps) };
  const item = await deps.store.get(imageId);
  if (item?.status === 'PENDING') return { deleted: await purgeImage(imageId, caller, deps) };
  return { trashed: await trashImage(imageId, caller, { ...deps, trashDays }) };
}
