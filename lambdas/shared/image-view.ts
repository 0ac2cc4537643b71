import type { ImageItem } from './image-item';

/** What the API shows of an item: everything but the bookkeeping the pipeline keeps for itself. */
export type PublicImage = Omit<ImageItem, 'entity' | 'etag' | 'eventPending' | 'expiresAt'>;

export function toPublicImage(item: ImageItem): PublicImage {
  const { entity: _entity, etag: _etag, eventPending: _eventPending, expiresAt: _expiresAt, ...view } = item;
  return view;
}
