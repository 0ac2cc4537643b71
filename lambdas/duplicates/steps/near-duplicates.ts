import { windowHashes } from '../../core/analysis/window-hashes';
import type { IEventPublisher } from '../../events/events';
import { eventSinks } from '../../events/sinks';
import type { EnrichmentStep } from '../../kit/processor-step';
import { createDocumentClient } from '../../shared/aws-clients';
import { isShown } from '../../store/image-item';
import { clusterPhoto } from '../clusters';
import { DuplicateStore } from '../duplicate-store';
import { removePhoto } from '../leave';
import { memberFactsOf } from '../suggest';

/** Opened from the table's variable: none in a test (or a tool) that runs the processor without the table. */
export interface NearDuplicatesDeps {
  duplicates?: DuplicateStore;
  duplicateEvents?: IEventPublisher;
}

/**
 * An accepted photo's near-duplicates (clusters.ts): its seven window hashes from the decode's pixels, posted, and
 * the owner's photos near them clustered with it. A photo with no owner, or one in the locked folder or the trash,
 * is clustered with nothing. A re-owned photo leaves its old owner's clusters (`leave`).
 */
export const nearDuplicatesStep: EnrichmentStep<NearDuplicatesDeps> = {
  name: 'near-duplicates',
  when: 'accepted',
  keeps: () => ({ pixels: true }),
  open: (config: { DUPLICATES_TABLE: string; EVENT_BUS_NAME: string; WEBHOOK_QUEUE_URL?: string }, { tracer }) => ({
    duplicates: new DuplicateStore(createDocumentClient(tracer), config.DUPLICATES_TABLE),
    duplicateEvents: eventSinks({ env: config, tracer }),
  }),
  async run({ deps, now }, { item, stored, decoded }) {
    const record = stored?.item ?? item;
    const pixels = decoded.pixels;
    const { duplicates, duplicateEvents } = deps;
    if (!duplicates || !duplicateEvents || record.owner === undefined || !isShown(record) || !pixels) return {};
    const clustered = await clusterPhoto(
      {
        imageId: record.imageId,
        owner: record.owner,
        hashes: await windowHashes(pixels),
        facts: memberFactsOf(record.imageId, decoded.record),
      },
      { store: duplicates, events: duplicateEvents, now },
    );
    if (clustered.leftOut) deps.onNote?.('near-duplicates left out of a cluster', { reason: clustered.leftOut });
    if (clustered.fullBands > 0) deps.onNote?.('near-duplicate band values full', { bands: clustered.fullBands });
    return {};
  },
  undo: async ({ deps, now }, { item }) => {
    if (deps.duplicates) await removePhoto(item.imageId, { store: deps.duplicates, now });
  },
  leave: async (existing, deps) => {
    const now = () => new Date().toISOString();
    if (deps.duplicates) await removePhoto(existing.imageId, { store: deps.duplicates, now });
  },
};
