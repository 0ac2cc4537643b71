import { windowHashes } from '../../core/analysis/window-hashes';
import type { IEventPublisher } from '../../events/events';
import { eventSinks } from '../../events/sinks';
import type { EnrichmentStep } from '../../kit/processor-step';
import { errorDetails } from '../../kit/step-helpers';
import { FILTER_NAMES, isList, type SearchFilters } from '../../search/filters';
import type { MeaningEnv } from '../../search/meaning/contract';
import { meaningIf } from '../../search/meaning/open';
import type { S3VectorIndex } from '../../search/meaning/vector-index';
import type { ImageVector } from '../../search/steps/embed';
import { createDocumentClient } from '../../shared/aws-clients';
import { isShown } from '../../store/image-item';
import { clusterPhoto, type Lookalike } from '../clusters';
import { DuplicateStore } from '../duplicate-store';
import { removePhoto } from '../leave';
import { EMBEDDING_TOP_K } from '../near';
import { memberFactsOf } from '../suggest';

/** Opened from the table's variable: none in a test (or a tool) that runs the processor without the table. */
export interface NearDuplicatesDeps {
  duplicates?: DuplicateStore;
  duplicateEvents?: IEventPublisher;
  /**
   * With search by meaning on, the second signal: the owner's `topK` photos nearest a vector, nearest first (one
   * QueryVectors of the current model's index, the owner pinned); none with it off.
   */
  lookalikes?: (owner: string, vector: ImageVector, topK: number) => Promise<Lookalike[]>;
}

/** No search filter: the owner, the model and the dimension are the query's whole filter (vector-index.ts). */
const NO_FILTERS = Object.fromEntries(
  FILTER_NAMES.filter(isList).map((name) => [name, []]),
) as unknown as SearchFilters;

/**
 * RMS contrast (the quality's `contrast`, the luma's standard deviation over 255) under which a picture has no detail
 * to compare: every flat picture, whatever its colour, hashes alike (the DCT of a flat raster is noise), so a black
 * frame would be clustered with a blue one. 0.02 is a standard deviation of 5 grey levels.
 */
export const FLAT_CONTRAST = 0.02;

/**
 * An accepted photo's near-duplicates (clusters.ts): its seven window hashes from the decode's pixels, posted, and
 * the owner's photos near them clustered with it. With search by meaning on, the photo's vector (`embed`'s, in the
 * index since `vector`) also asks for its lookalikes, near when their hashes are within the looser bound (near.ts
 * LOOSE_NEAR_DISTANCE), each so found counted as `NearDuplicatesByEmbedding`. A photo with no owner, one in the
 * locked folder or the trash, or a flat one (FLAT_CONTRAST) is clustered with nothing. A re-owned photo leaves its
 * old owner's clusters (`leave`). A failure is noted and counted (`NearDuplicatesFailed`), never thrown: the photo
 * is stored and announced by now, and a retry of the message would find it final and stop before this step
 * (process-upload.ts); the photo is then in no cluster, as a photo analysed before near-duplicates.
 */
export const nearDuplicatesStep: EnrichmentStep<NearDuplicatesDeps> = {
  name: 'near-duplicates',
  when: 'accepted',
  keeps: () => ({ pixels: true }),
  open: (
    config: MeaningEnv & { DUPLICATES_TABLE: string; EVENT_BUS_NAME: string; WEBHOOK_QUEUE_URL?: string },
    { tracer },
  ) => {
    const meaning = meaningIf(config);
    return {
      duplicates: new DuplicateStore(createDocumentClient(tracer), config.DUPLICATES_TABLE),
      duplicateEvents: eventSinks({ env: config, tracer }),
      ...(meaning && { lookalikes: lookalikesIn(meaning.index) }),
    };
  },
  async run({ deps, now }, { item, stored, decoded, vector }) {
    const record = stored?.item ?? item;
    const pixels = decoded.pixels;
    const { duplicates, duplicateEvents } = deps;
    if (!duplicates || !duplicateEvents || record.owner === undefined || !isShown(record) || !pixels) return {};
    const contrast = decoded.record.quality?.contrast;
    if (contrast !== undefined && contrast < FLAT_CONTRAST) return {};
    let clustered: Awaited<ReturnType<typeof clusterPhoto>>;
    try {
      clustered = await clusterPhoto(
        {
          imageId: record.imageId,
          owner: record.owner,
          hashes: await windowHashes(pixels),
          facts: memberFactsOf(record.imageId, decoded.record),
          ...(deps.lookalikes &&
            vector && { lookalikes: () => lookalikesOf(deps, record.imageId, record.owner as string, vector) }),
        },
        { store: duplicates, events: duplicateEvents, now },
      );
    } catch (error) {
      deps.onNote?.('the photo could not be clustered with its near-duplicates', errorDetails(error));
      deps.onCount?.('NearDuplicatesFailed', 1);
      return {};
    }
    if (clustered.leftOut) deps.onNote?.('near-duplicates left out of a cluster', { reason: clustered.leftOut });
    if (clustered.byEmbedding) deps.onCount?.('NearDuplicatesByEmbedding', clustered.byEmbedding);
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

/** The owner's photos nearest a vector in the index, with no search filter. */
export function lookalikesIn(index: Pick<S3VectorIndex, 'query'>): NonNullable<NearDuplicatesDeps['lookalikes']> {
  return (owner, vector, topK) => index.query(owner, vector.values, vector.space, NO_FILTERS, { topK });
}

/**
 * The photo's lookalikes by its vector: the vector step put it in the index before this step (`prepare` before
 * `published`), so the photo is its own nearest and one more is asked. A failed query (the SDK has retried a transient
 * one already) leaves the photo clustered by its hashes alone, with this noted: a retry of the message would not
 * come back to this step (nearDuplicatesStep).
 */
export async function lookalikesOf(
  deps: NearDuplicatesDeps & { onNote?: (message: string, details: Record<string, unknown>) => void },
  imageId: string,
  owner: string,
  vector: ImageVector,
): Promise<Lookalike[]> {
  try {
    const hits = (await deps.lookalikes?.(owner, vector, EMBEDDING_TOP_K + 1)) ?? [];
    return hits.filter((hit) => hit.imageId !== imageId).slice(0, EMBEDDING_TOP_K);
  } catch (error) {
    deps.onNote?.('near-duplicate lookalikes not read; clustered by the hashes alone', { ...errorDetails(error) });
    return [];
  }
}
