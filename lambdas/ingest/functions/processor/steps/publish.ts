import { flaggedOf } from '../../../../core/moderation';
import type { EventOf } from '../../../../events/declare';
import { imageEvent } from '../../../../events/events';
import type { RecordStep } from '../../../../kit/processor-step';
import { errorDetails } from '../../../../kit/step-helpers';
import type { ImageItem } from '../../../../store/image-item';
import { INGEST_EVENTS } from '../../../events';
import type { ProcessorDeps } from '../ports';

/** The image's event (`publish`), once its record and postings are written. */
export const publishStep: RecordStep<Pick<ProcessorDeps, 'events'>> = {
  name: 'publish',
  async run({ deps }, { item }) {
    await publishFor(item, deps);
    return {};
  },
};

/**
 * Publish the item's event, then clear its `eventPending` flag. Once the event is out, the message has done its
 * job: failing it because the flag could not be cleared would make the retry publish the event a second time.
 * A flag left set only matters if this same notification is replayed later (then the event goes out again).
 * `item` is the record as stored: the event is made from it alone (its time is the record's `updatedAt`), so a retry
 * that publishes it again from the record sends the same event, with the same `eventId`.
 */
export async function publishFor(
  item: ImageItem,
  deps: Pick<ProcessorDeps, 'events' | 'store' | 'onNote'>,
): Promise<void> {
  const event = eventForItem(item);
  if (event) await deps.events.publish(event);
  try {
    await deps.store.clearEventPending(item.imageId, item.etag);
  } catch (error) {
    deps.onNote?.('event published, but its pending flag could not be cleared', errorDetails(error));
  }
}

/**
 * The event a final item announces, or undefined for PENDING. It happened when the record reached that state (its
 * `updatedAt` as stored), so every publication of it, a retry's too, is the same, id and all.
 */
export function eventForItem(item: ImageItem): EventOf<(typeof INGEST_EVENTS)[keyof typeof INGEST_EVENTS]> | undefined {
  const occurredAt = item.updatedAt;
  const analysis = item.analysis;
  if (item.status === 'PROCESSED' && analysis?.status === 'PROCESSED') {
    const labels = [...(item.vision?.labels ?? [])].sort((a, b) => b.confidence - a.confidence).slice(0, 5);
    return imageEvent(INGEST_EVENTS.processed, item, occurredAt, {
      status: 'PROCESSED',
      summary: {
        width: analysis.metadata.width,
        height: analysis.metadata.height,
        format: analysis.metadata.format,
        size: analysis.size,
        sha256: analysis.hashes.sha256,
        phash: analysis.hashes.phash,
        dominantColor: analysis.dominantColor.hex,
        topLabels: labels.map(({ name, confidence }) => ({ name, confidence })),
        moderationFlagged: flaggedOf(item),
        duplicateOf: item.duplicateOf,
        quality: analysis.quality && { flags: analysis.quality.flags, sharpness: analysis.quality.sharpness },
        people: item.people && [...new Set(item.people.faces.map((face) => face.personId))],
        place: item.place,
        provenance: item.provenance && {
          summary: item.provenance.summary,
          validation: item.provenance.credentials?.validation,
        },
      },
    });
  }
  if (item.status === 'REJECTED' && item.rejection) {
    const detectedFormat = analysis?.status === 'REJECTED' ? analysis.detectedFormat : undefined;
    return imageEvent(INGEST_EVENTS.rejected, item, occurredAt, {
      status: 'REJECTED',
      rejection: item.rejection,
      summary: { size: item.size ?? analysis?.size ?? 0, sha256: item.sha256, detectedFormat },
    });
  }
  if (item.status === 'FAILED') {
    return imageEvent(INGEST_EVENTS.failed, item, occurredAt, {
      status: 'FAILED',
      error: item.error ?? { code: 'UNKNOWN', message: 'processing failed' },
      attempts: Math.max(1, item.attempts ?? 1),
    });
  }
  return undefined;
}
