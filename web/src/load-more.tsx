import type { PagedList } from './paged';

/**
 * Above a paged list: a page that failed to load (an alert), and the list in words: loading, `empty` when it has
 * nothing, else `counted` of its length and whether more is below.
 */
export function ListStatus<T>({
  list,
  empty,
  counted,
}: {
  list: PagedList<T>;
  empty: string;
  counted: (count: number) => string;
}) {
  return (
    <>
      {list.error && (
        <p class="error" role="alert">
          {list.error}
        </p>
      )}
      <p class="muted" aria-live="polite">
        {list.loading && list.items.length === 0
          ? 'Loading…'
          : list.items.length === 0 && !list.error
            ? empty
            : `${counted(list.items.length)}${list.cursor ? ', more below' : ''}`}
      </p>
    </>
  );
}

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
