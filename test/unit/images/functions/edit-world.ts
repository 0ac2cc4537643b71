import type { EditDeps } from '../../../../lambdas/images/functions/edit-api';
import type { ImageEvent } from '../../../../lambdas/manifest/events';
import type { ImageItem } from '../../../../lambdas/store/image-item';

/**
 * The postings index and the event bus an owner's change goes through, in memory: the terms each upsert indexed the
 * record under and those it no longer has, and the events published.
 */
export function recordedSinks() {
  const calls = { put: [] as string[][], removed: [] as string[][], events: [] as ImageEvent[] };
  return {
    calls,
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
  };
}

/** The edit routes' adapters in memory: the record read, what was written, the postings put, the events published. */
export function editWorld(item: ImageItem | undefined, writes = true) {
  const { calls: sunk, index, publisher } = recordedSinks();
  const calls = { ...sunk, written: [] as ImageItem[], seen: [] as string[], cleared: 0 };
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
    index,
    publisher,
    now: () => new Date('2026-11-28T10:00:00.000Z'),
  };
  return { calls, deps };
}
