import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { PlaceCorrection } from '../../core/place';
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
import { PLACES_EVENTS } from '../events';
import type { Geocoder } from '../geocoder';
import { locate, photoPosition } from '../name-place';
import { openGeocoder } from '../open';

/* How a place correction is written, indexed and announced (`PUT` and `DELETE /images/{id}/place`). */
import type { PlaceAnswer, PlaceEnv } from './place-contract';

/** A place route's adapters, made once per container. */
export function createPlaceDeps(config: PlaceEnv, tracer: Tracer | undefined): PlaceCorrectionDeps {
  const dynamo = createDocumentClient(tracer);
  const store = new ImageStore(dynamo, config.TABLE_NAME);
  return {
    store,
    index: new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: store }),
    publisher: eventSinks({ env: config, tracer }),
    geocoder: openGeocoder(),
  };
}

export interface PlaceCorrectionDeps {
  store: Pick<ImageStore, 'get' | 'correctPlace' | 'clearUnindexTerms'>;
  index: Pick<ISearchIndex, 'upsert'>;
  publisher: IEventPublisher;
  geocoder: Geocoder;
  now?: () => Date;
}

/** The image, if the caller may correct its place (as `GET` would answer it) and it is PROCESSED. */
export async function readCorrectable(
  imageId: string,
  caller: Caller,
  deps: Pick<PlaceCorrectionDeps, 'store'>,
): Promise<ImageItem> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  if (item.status !== 'PROCESSED') {
    throw new ConflictError(`image ${imageId} is ${item.status}: its place can be corrected once it is PROCESSED`);
  }
  return item;
}

/** Steps 2 to 4 with the correction given (none: back to what the photo's GPS says). */
export async function writePlace(
  item: ImageItem,
  correction: PlaceCorrection | undefined,
  { at, by }: { at: string; by: string | undefined },
  deps: PlaceCorrectionDeps,
): Promise<PlaceAnswer> {
  const { position, place } = locate(photoPosition(item.analysis), correction, deps.geocoder);
  const changed = { ...item, placeCorrection: correction, position, place, updatedAt: at };
  const corrected: ImageItem = withTerms(changed, item);
  if (!(await deps.store.correctPlace(corrected, item.updatedAt))) {
    throw new ConflictError(`image ${item.imageId} changed while its place was being corrected: try again`);
  }
  // The `placePath=` posting moves with its place counter in a transaction: another image's at the same place
  // at that moment cancels it (TransactionConflict), which is tried again, then a 409 a retried PUT completes.
  await retryingConflicts(
    () => deps.index.upsert(corrected),
    () => new ConflictError(`image ${item.imageId}: other photos at the same place were being counted: try again`),
  );
  if (corrected.unindexTerms) await deps.store.clearUnindexTerms(item.imageId, at);
  await deps.publisher.publish(placeChangedEvent(corrected, by, at));
  return { imageId: item.imageId, position, place, placeCorrection: correction };
}

/** `Image Place Changed` of a record as the place correction wrote it. */
export function placeChangedEvent(item: ImageItem, by: string | undefined, occurredAt: string) {
  return imageEvent(PLACES_EVENTS.placeChanged, item, occurredAt, {
    status: item.status,
    place: item.place,
    corrected: item.placeCorrection !== undefined,
    by,
  });
}
