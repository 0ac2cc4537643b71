import { ANALYSIS_VERSION } from '../../../../core/record';
import { withTerms } from '../../../../search/postings';
import type { RecordStep } from '../step';

/**
 * Write the final item with the search terms it is indexed under (`store`), conditional on this version not being
 * final already: of two concurrent deliveries only one writes, and only that one indexes and publishes (the other
 * ends as DUPLICATE here). The item says `eventPending` until its postings are written and its event is out, so a
 * crash in between is repaired by the retry. The terms are the record's, so the index step cannot make its own.
 */
export const storeStep: RecordStep = {
  name: 'store',
  async run({ notice, deps, previous, reown, now }, analysis) {
    // The item as stored (its `updatedAt` too) is what the steps after this one index and publish, as a retry would
    // from the record: so a retry's event is this run's, to the millisecond (steps/publish.ts).
    const item = { ...withTerms(analysis.item, previous), analysisVersion: ANALYSIS_VERSION, updatedAt: now() };
    const written = await deps.store.finalise(
      { ...item, eventPending: true },
      {
        reanalyse: notice.reanalyse,
        regroup: notice.regroupFaces,
        reown,
        run: notice.run,
        ...(analysis.item.embedding && { embedding: analysis.item.embedding }),
      },
    );
    if (!written) return { outcome: 'DUPLICATE' };
    return { item, storedAt: deps.now?.() ?? new Date() };
  },
};
