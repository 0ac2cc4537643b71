import { isShown } from '../../../store/image-item';
import type { ImageStore, Stacking } from '../../../store/image-store';
import { type SearchResult, SearchResultSchema } from '../../../store/image-view';

/*
 * A search shows a stack once, as its primary, whichever of its frames it found (docs/api.md#stacks). The postings
 * were written when each photo was indexed, often before it was stacked, so where a hit stands is read from its
 * record; a frame's record names its primary (`stackPrimary`, kept by the stacks room), so the stacks table is not
 * read. Two BatchGetItem calls a page at most, never a query per hit.
 */

export interface FoldDeps {
  store: Pick<ImageStore, 'stacking' | 'summaries'>;
  /** A page's thumbnail links (list-images.ts ThumbnailLinks). */
  links: {
    sign(keys: Record<string, string>): Promise<Record<string, string>>;
    keysOf(imageId: string): Record<string, string>;
  };
}

/**
 * A search page's items with each stack shown once:
 * 1. where each hit stands now (one BatchGetItem of the page's ids, projected): its `stack` is the record's (a
 *    posting's may be older), none when it is in no stack;
 * 2. `expand`: each frame as itself, with `stack: {id}`; done;
 * 3. a frame behind a primary stands for the primary: the primaries not among the hits are read (one BatchGetItem),
 *    and one that is not the owner's or not shown (trashed, locked: a race with the stacks room) leaves the frame as
 *    itself. The primary is placed where its stack's first hit was, once: the primary's own hit when it has one on
 *    the page, else the frame's, with `matchedFrame` naming it (and the frame's `matchedBy`, `matched`).
 * A page may so answer fewer items than `limit` while a cursor follows: the cursor is the search's, unchanged.
 */
export async function foldStacks(
  items: readonly SearchResult[],
  owner: string,
  deps: FoldDeps,
  { expand = false }: { expand?: boolean } = {},
): Promise<SearchResult[]> {
  if (items.length === 0) return [];
  const stacking = await deps.store.stacking(items.map((item) => item.imageId));
  const current = items.map((item) => withStack(item, stacking.get(item.imageId)));
  if (expand) return current;
  const primaryOf = (item: SearchResult) => {
    const where = stacking.get(item.imageId);
    return where?.stackedIn !== undefined && where.stackPrimary !== undefined && where.stackPrimary !== item.imageId
      ? where.stackPrimary
      : undefined;
  };
  const hits = new Map(current.map((item) => [item.imageId, item]));
  const unread = [...new Set(current.map(primaryOf).filter((id): id is string => id !== undefined))].filter(
    (id) => !hits.has(id),
  );
  const read = unread.length > 0 ? await deps.store.summaries(unread) : new Map();
  const primaries = new Map<string, SearchResult>();
  await Promise.all(
    unread.map(async (id) => {
      const record = read.get(id);
      // Not the owner's, or not shown (trashed, locked, gone): the stacks room is moving it out; the frame stays.
      if (!record || record.owner !== owner || !isShown(record)) return;
      const { thumbnails, owner: _owner, locked: _locked, ...summary } = record;
      const result = SearchResultSchema.parse({ ...summary, imageId: id });
      const keys = thumbnails ?? (result.status === 'PROCESSED' ? deps.links.keysOf(id) : undefined);
      primaries.set(id, keys ? { ...result, thumbnails: await deps.links.sign(keys) } : result);
    }),
  );
  const shown = new Set<string>();
  const page: SearchResult[] = [];
  for (const item of current) {
    const primary = primaryOf(item);
    const own = primary !== undefined ? hits.get(primary) : undefined;
    const stands = own ?? (primary !== undefined ? primaries.get(primary) : undefined);
    if (primary === undefined || !stands) {
      if (!shown.has(item.imageId)) page.push(item);
      shown.add(item.imageId);
      continue;
    }
    if (shown.has(primary)) continue;
    shown.add(primary);
    if (own) page.push(own);
    else {
      const why = {
        ...(item.matched && { matched: item.matched }),
        ...(item.matchedBy && { matchedBy: item.matchedBy }),
      };
      page.push({ ...stands, ...why, matchedFrame: item.imageId });
    }
  }
  return page;
}

/** The item with its stack as its record says now: a primary's with its count, a frame's id alone, or none. */
function withStack(item: SearchResult, where: Stacking | undefined): SearchResult {
  if (!where) return item;
  const { stack: _posted, ...rest } = item;
  if (where.stack) return { ...rest, stack: { id: where.stack.id, count: where.stack.count } };
  if (where.stackedIn !== undefined) return { ...rest, stack: { id: where.stackedIn } };
  return rest;
}
