import type { AlbumStore } from '../albums/album-store';
import { deletedEvent, type IEventPublisher } from '../events/events';
import type { PeoplePort } from '../people/ports';
import { renditionPrefix } from '../renditions/query';
import type { ISearchIndex } from '../search/index-port';
import type { Meaning } from '../search/meaning/open';
import { NotFoundError } from '../shared/errors';
import type { ImageItem } from '../store/image-item';
import type { IObjectRemover } from '../store/image-objects';
import type { ImageStore } from '../store/image-store';
import { deleteUnder, type IKeyLister } from '../store/object-pages';
import { type Caller, mayAccess } from '../store/owner';

export interface PurgeImageDeps {
  store: Pick<ImageStore, 'get' | 'delete'>;
  objects: IObjectRemover;
  /** Lists the image's stored renditions (`renditions/<id>/`), which no record names. */
  keys: IKeyLister;
  index: Pick<ISearchIndex, 'remove'>;
  publisher: IEventPublisher;
  /** With face grouping on: the image's faces go with it (and a person left with none). */
  people?: Pick<PeoplePort, 'deleteImageFaces'>;
  /** The albums the image is in: it leaves them (each album's count lowered). */
  albums?: Pick<AlbumStore, 'removeImage'>;
  /** With search by meaning on: the image's vector goes with it (from the previous model's index too). */
  vectors?: Pick<Meaning, 'remove'>;
  now?: () => Date;
}

/**
 * Remove an image for good:
 * 1. read the item to learn its objects (404 when there is none, or it is another owner's, as for a GET);
 * 2. delete the original and every thumbnail (missing ones are fine: a PENDING upload may never have arrived),
 *    every stored rendition (listed under `renditions/<id>/`, a page at a time), the image's search postings, and
 *    its vector (search by meaning on), with face grouping on its faces (a person left with none goes too; idempotent, so a retried DELETE is safe),
 *    and its memberships of albums (idempotent too);
 * 3. delete the item, which answers what it held last; thumbnails the processor recorded in between are removed
 *    too, and every posting of what it held last again (a writer's late puts; docs/search.md);
 * 4. publish `Image Deleted` with the status the image had.
 * Objects and postings go before the item, so a failure part-way leaves a record that a retried DELETE can
 * finish, never objects or postings without a record. If another request deleted the item first, that one publishes and this is a 404.
 * A rendition whose render read the record just before the delete can still be stored after it (nothing lists it
 * then): the render function writes without a condition on the record.
 */
export async function purgeImage(imageId: string, caller: Caller, deps: PurgeImageDeps): Promise<ImageItem> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  const deleted = objectKeys(item);
  await deps.objects.deleteObjects(item.bucket, deleted);
  await deleteUnder(item.bucket, renditionPrefix(imageId), deps.keys, deps.objects);
  await deps.index.remove(item);
  // Whatever the record says: a processing run may be putting one as this reads.
  await deps.vectors?.remove(imageId);
  if (item.owner !== undefined) await deps.people?.deleteImageFaces(item.owner, imageId);
  await deps.albums?.removeImage(imageId);

  const last = await deps.store.delete(imageId);
  if (!last) throw new NotFoundError(`image ${imageId} not found`);
  const late = objectKeys(last).filter((key) => !deleted.includes(key));
  if (late.length > 0) await deps.objects.deleteObjects(last.bucket, late);
  // Every posting of the record as the delete answered it, those removed above too: a writer's puts may have landed
  // since, and its own check then found the record still there (index-table.ts).
  await deps.index.remove(last);
  if (last.embedding && !item.embedding) await deps.vectors?.remove(imageId);

  await deps.publisher.publish(deletedEvent(last, (deps.now?.() ?? new Date()).toISOString()));
  return last;
}

/** The objects the record names: the original, its thumbnails and the eager renditions the processor stored. */
function objectKeys(item: ImageItem): string[] {
  // A backfilled original stays in its own bucket: the pipeline reads it and never deletes it.
  const original = item.sourceBucket === undefined ? [item.key] : [];
  return [
    ...new Set([...original, ...Object.values(item.thumbnails ?? {}), ...Object.values(item.eagerRenditions ?? {})]),
  ];
}
