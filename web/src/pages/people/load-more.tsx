import type { PagedList } from './paged';

/** "Load more" under a paged list while it has a cursor; "Try again" after a page failed to load. */
export function LoadMore<T>({ list }: { list: PagedList<T> }) {
  if (!list.cursor) return null;
  return (
    <button
      type="button"
      class="more"
      disabled={list.loading}
      aria-busy={list.loading}
      onClick={() => void list.more()}
    >
      {list.error ? 'Try again' : 'Load more'}
    </button>
  );
}
