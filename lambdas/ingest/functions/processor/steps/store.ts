import { ANALYSIS_VERSION } from '../../../../core/record';
import type { RecordStep } from '../../../../kit/processor-step';
import { withTerms } from '../../../../search/postings';

/**
 * Write the final item with the search terms it is indexed under (`store`), conditional on this version not being
 * final already: of two concurrent deliveries only one writes, and only that one indexes and publishes (the other
 * ends as DUPLICATE here). The item says `eventPending` until its postings are written and its event is out, so a
 * crash in between is repaired by the retry. The terms are the record's, so the index step cannot make its own; the
 * write answers the record it replaced, whose postings the new terms leave stale (a correction or a re-own between
 * the run's read and its write included). A run that found a record writes nothing once it is deleted: it ends
 * MISSING, and each step takes back what it wrote (`abandoned`, step.ts).
 */
export const storeStep: RecordStep = {
  name: 'store',
  async run({ notice, attempt, deps, existing, previous, reown, now }, analysis) {
    // The item as stored (its `updatedAt` too) is what the steps after this one index and publish, as a retry would
    // from the record: so a retry's event is this run's, to the millisecond (steps/publish.ts).
    const item = { ...withTerms(analysis.item, previous), analysisVersion: ANALYSIS_VERSION, updatedAt: now() };
    const stored = { ...item, eventPending: true, ...(attempt.message && { eventPendingFrom: attempt.message }) };
    const written = await deps.store.finaliseReplacing(stored, {
      existed: existing !== undefined,
      reanalyse: notice.reanalyse,
      regroup: notice.regroupFaces,
      reown,
      run: notice.run,
      ...(analysis.item.embedding && { embedding: analysis.item.embedding }),
    });
    // Another delivery wrote this version, or the image was deleted meanwhile: nothing to index or publish.
    if (written === false) {
      const now = existing !== undefined ? await deps.store.get(item.imageId) : undefined;
      if (existing !== undefined && now === undefined) return { outcome: 'MISSING', abandoned: true };
      // Archived or brought back since the run read it: its keys were the old ones; the retry reads it again.
      if (now !== undefined && (now.archived === true) !== (item.archived === true)) {
        throw new Error(`image ${item.imageId} was archived or brought back meanwhile: processing it again`);
      }
      if (now !== undefined && (now.locked === true) !== (item.locked === true)) {
        throw new Error(`image ${item.imageId} was locked or unlocked meanwhile: processing it again`);
      }
      if (now !== undefined && now.stackedIn !== item.stackedIn) {
        throw new Error(`image ${item.imageId} was stacked or unstacked meanwhile: processing it again`);
      }
      return { outcome: 'DUPLICATE' };
    }
    return { item, stored: { item: stored, replaced: written.replaced }, storedAt: deps.now?.() ?? new Date() };
  },
};
