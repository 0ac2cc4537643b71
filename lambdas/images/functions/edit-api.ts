import type { Tracer } from '@aws-lambda-powertools/tracer';
import { turnCrop } from '../../core/crop';
import { type IEventPublisher, imageEvent } from '../../events/events';
import { eventSinks } from '../../events/sinks';
import type { ISearchIndex } from '../../search/index-port';
import { SearchIndex } from '../../search/index-table';
import { withTerms } from '../../search/postings';
import { createDocumentClient } from '../../shared/aws-clients';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { retryingConflicts } from '../../shared/transactions';
import type { ImageItem } from '../../store/image-item';
import { ImageStore } from '../../store/image-store';
import { type Caller, mayAccess } from '../../store/owner';
import { takenAtOf } from '../../store/timeline-key';
import { IMAGES_EVENTS, type ImageEdit } from '../events';
import type { EditEnv } from './edit-contract';

/*
 * How an owner's edit of an image (its tags, date taken, favourite) is written, indexed and announced, as label and
 * place corrections are: read, change, a write conditional on the record as read, the postings in step, an event.
 */

/** An edit route's adapters, made once per container. */
export function createEditDeps(config: EditEnv, tracer: Tracer | undefined): EditDeps & { store: ImageStore } {
  const dynamo = createDocumentClient(tracer);
  const store = new ImageStore(dynamo, config.TABLE_NAME);
  return {
    store,
    index: new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: store }),
    publisher: eventSinks({ env: config, tracer }),
  };
}

export interface EditDeps {
  store: Pick<ImageStore, 'get' | 'editImage' | 'clearUnindexTerms'>;
  index: Pick<ISearchIndex, 'upsert'>;
  publisher: IEventPublisher;
  now?: () => Date;
}

/** The image, if the caller may edit it (as `GET` would answer it: 404 otherwise) and it is PROCESSED (409 otherwise). */
export async function readEditable(
  imageId: string,
  caller: Caller,
  deps: { store: Pick<ImageStore, 'get'> },
): Promise<ImageItem> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  if (item.status !== 'PROCESSED') {
    throw new ConflictError(`image ${imageId} is ${item.status}: it can be edited once it is PROCESSED`);
  }
  return item;
}

/**
 * Write the edited record if it is as it was read (409 if it changed meanwhile: try again), its terms and its place
 * in the timeline with it; bring the search postings in step; publish `Image Updated` naming what changed. Answers
 * the record as written.
 */
export async function writeEdit(
  item: ImageItem,
  edited: Partial<Pick<ImageItem, 'tags' | 'takenCorrection' | 'favourite'>>,
  changed: readonly ImageEdit[],
  { at, by }: { at: string; by: string | undefined },
  deps: EditDeps,
): Promise<ImageItem> {
  const written: ImageItem = withTerms({ ...item, ...edited, updatedAt: at }, item);
  if (!(await deps.store.editImage(written, item.updatedAt))) {
    throw new ConflictError(`image ${item.imageId} changed while it was being edited: try again`);
  }
  // The place path's posting is written with its counter in a transaction (as a place correction's): another image's
  // at the same place at that moment cancels it, which is tried again, then a 409 a retried request completes.
  await retryingConflicts(
    () => deps.index.upsert(written),
    () => new ConflictError(`image ${item.imageId}: other photos at the same place were being counted: try again`),
  );
  if (written.unindexTerms) await deps.store.clearUnindexTerms(item.imageId, at);
  await deps.publisher.publish(updatedEvent(written, changed, by, at));
  return written;
}

/** `Image Updated` of a record as an owner's edit wrote it: what changed, and the tags, date taken, favourite now. */
export function updatedEvent(
  item: ImageItem,
  changed: readonly ImageEdit[],
  by: string | undefined,
  occurredAt: string,
) {
  return imageEvent(IMAGES_EVENTS.updated, item, occurredAt, {
    status: item.status,
    changed: [...changed],
    takenAt: takenAtOf(item),
    takenOffset: item.takenCorrection?.offset,
    favourite: item.favourite === true,
    archived: item.archived === true,
    ...(changed.includes('locked') && { locked: item.locked === true }),
    rotation: item.rotation,
    // Of the upright photo, as the API speaks of it (the record keeps it before the turn: core/crop.ts).
    crop: item.crop && turnCrop(item.crop, item.rotation ?? 0),
    by,
  });
}
