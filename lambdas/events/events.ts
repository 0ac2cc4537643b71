import type { z } from 'zod';
import { type ImageItem, originalOf } from '../store/image-item';
import type { EventDeclaration, EventOf } from './declare';
import { EVENT_VERSION, eventIdOf, type IMAGE_DETAIL_BASE, WITHHELD_KEEPS } from './event-details';

/*
 * The event stream's port and what every publisher builds its events with. The events themselves are declared by the
 * rooms that publish them (lambdas/<room>/events.ts); the union of every one is the registry's
 * (`ImageEvent`, lambdas/manifest/events.ts).
 */

/** Any event a publisher hands the sinks: made by `eventOf` or `imageEvent`, so its detail passed its type's schema. */
export interface PublishedEvent {
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Port: where events go (EventBridge in AWS and in the local runner). */
export interface IEventPublisher {
  publish(event: PublishedEvent): Promise<void>;
}

/** What an event is about, for messages and logs: its share link, its image, or its endpoint. */
export function subjectOf(event: Pick<PublishedEvent, 'detail'>): string {
  const { detail } = event;
  return String(detail.shareId ?? detail.imageId ?? detail.endpointId);
}

/**
 * An event of a declared type, its detail validated by the type's schema, so a publisher can never send a detail its
 * committed JSON Schema would refuse; tsc checks the detail it is given against the same schema.
 */
export function eventOf<D extends EventDeclaration>(declaration: D, detail: z.input<D['detail']>): EventOf<D> {
  return { detailType: declaration.detailType, detail: declaration.detail.parse(detail) } as EventOf<D>;
}

/** What an image event's builder gives besides what every image event says of its image (`IMAGE_DETAIL_BASE`). */
export type ImageEventFields<D extends EventDeclaration> = Omit<z.input<D['detail']>, keyof typeof IMAGE_DETAIL_BASE>;

/**
 * An image event of a declared type about this record, which happened at `occurredAt`: what every image event says of
 * its image (which one, whose, where, when, the event's id, the client's tags and metadata), and `fields`. Of a
 * record in the locked folder, only which, whose, when, the event's id and `locked`, and of `fields` only what
 * happened (WITHHELD_KEEPS): webhooks and subscribers get the detail as it is here, so none carries its content.
 */
export function imageEvent<D extends EventDeclaration>(
  declaration: D,
  item: ImageItem,
  occurredAt: string,
  fields: ImageEventFields<D>,
): EventOf<D> {
  const eventId = eventIdOf(declaration.detailType, item.imageId, occurredAt);
  if (item.locked === true) {
    const kept = Object.entries(fields as Record<string, unknown>).filter(([name]) =>
      (WITHHELD_KEEPS as readonly string[]).includes(name),
    );
    const withheld = { version: EVENT_VERSION, imageId: item.imageId, owner: item.owner, occurredAt, eventId };
    return eventOf(declaration, {
      ...withheld,
      ...Object.fromEntries(kept),
      locked: true,
    } as z.input<D['detail']>);
  }
  const base = {
    version: EVENT_VERSION,
    imageId: item.imageId,
    owner: item.owner,
    // Where the original is: a backfilled image's own bucket.
    ...originalOf(item),
    occurredAt,
    eventId,
    tags: item.tags,
    metadata: item.metadata,
  };
  return eventOf(declaration, { ...base, ...fields } as z.input<D['detail']>);
}
