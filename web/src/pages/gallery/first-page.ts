import type { ImageSummary } from '../../types';

/**
 * Merge a fresh first page into the list: new items come in at the top, changed ones are replaced, and ones gone
 * from the range the page covers (deleted, or no longer matching) are dropped. Returns the same array if nothing
 * changed, so unchanged cards keep their images. `keyOf` is what the list is sorted by, highest first: the id (upload
 * order, a search), or the timeline's key.
 */
export function mergeFirstPage(
  current: ImageSummary[],
  fresh: ImageSummary[],
  freshHasMore: boolean,
  hasMore: boolean,
  keyOf: (item: ImageSummary) => string = (item) => item.imageId,
) {
  const freshById = new Map(fresh.map((item) => [item.imageId, item]));
  const lastFresh = fresh[fresh.length - 1];
  const lastHere = current[current.length - 1];
  const oldestFresh = lastFresh && keyOf(lastFresh);
  const oldestHere = lastHere && keyOf(lastHere);
  let changed = false;
  const kept: ImageSummary[] = [];
  for (const item of current) {
    const update = freshById.get(item.imageId);
    if (update) {
      freshById.delete(item.imageId);
      if (update.updatedAt !== item.updatedAt || update.status !== item.status) {
        changed = true;
        kept.push(update);
      } else kept.push(item);
    } else if (!freshHasMore || (oldestFresh !== undefined && keyOf(item) > oldestFresh)) {
      changed = true; // in the page's range but not in it: gone
    } else kept.push(item);
  }
  // Older than everything loaded while more pages follow: the cursor will bring it.
  const added = [...freshById.values()].filter((item) => !hasMore || !oldestHere || keyOf(item) > oldestHere);
  if (added.length === 0 && !changed) return current;
  return [...added, ...kept].sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : keyOf(a) > keyOf(b) ? -1 : 0));
}
