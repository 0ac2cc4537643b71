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
 * RMS contrast (the quality's `contrast`, the luma's standard deviation over 255) under which a picture has no detail
 * to compare: every flat picture, whatever its colour, hashes alike (the DCT of a flat raster is noise), so a black
 * frame would be clustered with a blue one. 0.02 is a standard deviation of 5 grey levels.
 */
export const FLAT_CONTRAST = 0.02;

/**
 * An accepted photo's near-duplicates (clusters.ts): its seven window hashes from the decode's pixels, posted, and
 * the owner's photos near them clustered with it. A photo with no owner, one in the locked folder or the trash, or a
 * flat one (FLAT_CONTRAST) is clustered with nothing. A re-owned photo leaves its old owner's clusters (`leave`).
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
    const contrast = decoded.record.quality?.contrast;
    if (contrast !== undefined && contrast < FLAT_CONTRAST) return {};
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
