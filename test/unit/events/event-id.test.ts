import { eventIdOf } from '../../../lambdas/events/event-details';
import { EVENT_ID_PATTERN } from '../../../lambdas/events/vocabulary';
import { labelsChangedEvent } from '../../../lambdas/images/functions/correct-labels/correct-labels';
import { eventForItem } from '../../../lambdas/ingest/functions/processor/steps/publish';
import { DETAIL_TYPES, type ImageEvent } from '../../../lambdas/manifest/events';
import { placeChangedEvent } from '../../../lambdas/places/functions/place-api';
import { deletedEvent } from '../../../lambdas/trash/purge-image';
import { restoredEvent, trashedEvent } from '../../../lambdas/trash/trash-image';
import { webhookIdOf } from '../../../lambdas/webhooks/messages';
import { schemaErrors } from '../../support/event-schemas';
import { imageItem, processedAnalysis } from '../../support/items';

const AT = '2026-11-26T07:15:02.123Z';
const processed = imageItem({ updatedAt: AT, analysis: processedAnalysis({ width: 40, height: 30 }) });

describe('event ids', () => {
  it('are the same for the same event, and differ for another time, image or type', () => {
    const id = eventIdOf(DETAIL_TYPES.processed, processed.imageId, AT);
    expect(id).toMatch(EVENT_ID_PATTERN);
    expect(eventIdOf(DETAIL_TYPES.processed, processed.imageId, AT)).toBe(id);
    expect(eventIdOf(DETAIL_TYPES.processed, processed.imageId, '2026-11-26T07:15:02.124Z')).not.toBe(id);
    expect(eventIdOf(DETAIL_TYPES.processed, '01JABCDEFGHJKMNPQRSTVWXYZ0', AT)).not.toBe(id);
    expect(eventIdOf(DETAIL_TYPES.rejected, processed.imageId, AT)).not.toBe(id);
  });

  it("make a final record's event from the record alone: its time is the record's, published again it is the same", () => {
    const event = eventForItem(processed);
    expect(event?.detail).toMatchObject({
      occurredAt: AT,
      eventId: eventIdOf(DETAIL_TYPES.processed, processed.imageId, AT),
    });
    expect(eventForItem(structuredClone(processed))).toEqual(event);
    // A new state of the record (a reprocess writes it again) is a new event.
    expect(eventForItem({ ...processed, updatedAt: '2026-11-26T08:00:00.000Z' })?.detail).not.toMatchObject({
      eventId: event?.detail.eventId,
    });
  });

  const trashed = { ...processed, status: 'TRASHED' as const, trashedFrom: 'PROCESSED' as const, purgeAt: AT };
  it.each<[string, ImageEvent | undefined]>([
    ['Image Processed', eventForItem(processed)],
    [
      'Image Rejected',
      eventForItem({ ...processed, status: 'REJECTED', rejection: { code: 'CORRUPT_IMAGE', message: 'x' } }),
    ],
    ['Image Failed', eventForItem({ ...processed, status: 'FAILED', analysis: undefined })],
    ['Image Deleted', deletedEvent(processed, AT)],
    ['Image Trashed', trashedEvent(trashed, AT)],
    ['Image Restored', restoredEvent(processed, AT)],
    ['Image Labels Changed', labelsChangedEvent(processed, { labels: [], added: [], removed: [] }, AT)],
    ['Image Place Changed', placeChangedEvent(processed, undefined, AT)],
  ])('are in every %s, valid by its committed schema, and are its webhook-id', (detailType, event) => {
    expect(event?.detailType).toBe(detailType);
    if (!event) return;
    expect(event.detail.eventId).toBe(eventIdOf(event.detailType, processed.imageId, event.detail.occurredAt));
    expect(schemaErrors(detailType, event.detail)).toEqual([]);
    expect(webhookIdOf(event)).toBe(event.detail.eventId);
  });
});
