import type { ImageEvent } from '../../../../lambdas/events/events';
import type { EditDeps } from '../../../../lambdas/images/functions/edit-api';
import type { ImageItem } from '../../../../lambdas/store/image-item';

/** The edit routes' adapters in memory: the record read, what was written, the postings put, the events published. */
export function editWorld(item: ImageItem | undefined, writes = true) {
  const calls = {
    written: [] as ImageItem[],
    seen: [] as string[],
    put: [] as string[][],
    removed: [] as string[][],
    events: [] as ImageEvent[],
    cleared: 0,
  };
  const deps: EditDeps = {
    store: {
      get: async () => item,
      editImage: async (written, seen) => {
        calls.written.push(written as ImageItem);
        calls.seen.push(seen);
        return writes;
      },
      clearUnindexTerms: async () => {
        calls.cleared++;
      },
    },
    // The postings index's upsert: the terms the record is indexed under, then those it no longer has.
    index: {
      upsert: async (upserted: ImageItem) => {
        calls.put.push([...(upserted.indexedTerms ?? [])]);
        calls.removed.push([...(upserted.unindexTerms ?? [])]);
      },
    },
    publisher: {
      publish: async (event: ImageEvent) => {
        calls.events.push(event);
      },
    },
    now: () => new Date('2026-11-28T10:00:00.000Z'),
  };
  return { calls, deps };
}
