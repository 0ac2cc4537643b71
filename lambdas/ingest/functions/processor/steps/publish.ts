import { eventForItem } from '../../../../events/events';
import type { RecordStep } from '../../../../kit/processor-step';
import { errorDetails } from '../../../../kit/step-helpers';
import type { ImageItem } from '../../../../store/image-item';
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
