import { type IEventPublisher, imageEvent } from '../events/events';
import type { ImageCleanup } from '../kit/image-cleanup';
import { NotFoundError } from '../shared/errors';
import { type ImageItem, renditionsMadeAtIngest } from '../store/image-item';
import type { IObjectRemover } from '../store/image-objects';
import type { ImageStore } from '../store/image-store';
import { type Caller, mayAccess } from '../store/owner';
import { TRASH_EVENTS } from './events';

export interface PurgeImageDeps {
  store: Pick<ImageStore, 'get' | 'delete'>;
  objects: IObjectRemover;
  /**
   * What every room that keeps data about an image does when it goes (lambdas/manifest/cleanups.ts: its stored renditions,
   * postings, vector, faces, album memberships...), in their order; a room whose feature is off is not in it.
   */
  cleanups: readonly ImageCleanup[];
  publisher: IEventPublisher;
  now?: () => Date;
}

/**
 * Remove an image for good:
 * 1. read the item to learn its objects (404 when there is none, or it is another owner's, as for a GET);
 * 2. delete the original and every thumbnail (missing ones are fine: a PENDING upload may never have arrived),
 *    then each room's part, in the registry's order (lambdas/manifest/cleanups.ts): every stored rendition (listed
 *    under `renditions/<id>/`, a page at a time), the image's search postings, its vector (search by meaning on),
 *    with face grouping on its faces (a person left with none goes too), and its memberships of albums; each is
 *    idempotent, so a retried DELETE is safe;
 * 3. delete the item, which answers what it held last; thumbnails the processor recorded in between are removed
 *    too, and each room's late part (every posting of what it held last again: a writer's late puts,
 *    docs/search.md; a vector the record gained meanwhile);
 * 4. publish `Image Deleted` with the status the image had.
 * Objects, postings and every room's data go before the item, so a failure part-way leaves a record that a retried
 * DELETE can finish, never objects or postings without a record. If another request deleted the item first, that one publishes and this is a 404.
 * A rendition whose render read the record just before the delete can still be stored after it (nothing lists it
 * then): the render function writes without a condition on the record.
 */
export async function purgeImage(imageId: string, caller: Caller, deps: PurgeImageDeps): Promise<ImageItem> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  const deleted = objectKeys(item);
  await deps.objects.deleteObjects(item.bucket, deleted);
  for (const cleanup of deps.cleanups) await cleanup.remove(item);

  const last = await deps.store.delete(imageId);
  if (!last) throw new NotFoundError(`image ${imageId} not found`);
  const late = objectKeys(last).filter((key) => !deleted.includes(key));
  if (late.length > 0) await deps.objects.deleteObjects(last.bucket, late);
  for (const cleanup of deps.cleanups) await cleanup.removeLate?.(last, item);

  await deps.publisher.publish(deletedEvent(last, (deps.now?.() ?? new Date()).toISOString()));
  return last;
}

/**
 * The objects the record names: the original, its thumbnails, and the eager renditions and page copy the processor
 * stored.
 */
function objectKeys(item: ImageItem): string[] {
  // A backfilled original stays in its own bucket: the pipeline reads it and never deletes it.
  const original = item.sourceBucket === undefined ? [item.key] : [];
  return [...new Set([...original, ...Object.values(item.thumbnails ?? {}), ...renditionsMadeAtIngest(item)])];
}

/** `Image Deleted` of the record as it was last: the status it had. */
export function deletedEvent(item: ImageItem, occurredAt: string) {
  return imageEvent(TRASH_EVENTS.deleted, item, occurredAt, { status: item.status });
}
