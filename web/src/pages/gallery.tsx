import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import type { ImageSummary } from '../types';

import { BulkBar } from './gallery/bulk';
import { Card } from './gallery/card';
import { filtersOf } from './gallery/filters';
import { SearchForm } from './gallery/search-form';

const PAGE_SIZE = '24';
const POLL_MS = 5000;

interface ListState {
  items: ImageSummary[];
  cursor?: string;
  loading: boolean;
  error?: string;
}

/**
 * Merge a fresh first page into the list: new items come in at the top, changed ones are replaced, and ones gone
 * from the range the page covers (deleted, or no longer matching) are dropped. Returns the same array if nothing
 * changed, so unchanged cards keep their images.
 */
export function mergeFirstPage(
  current: ImageSummary[],
  fresh: ImageSummary[],
  freshHasMore: boolean,
  hasMore: boolean,
) {
  const freshById = new Map(fresh.map((item) => [item.imageId, item]));
  const oldestFresh = fresh[fresh.length - 1]?.imageId;
  const oldestHere = current[current.length - 1]?.imageId;
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
    } else if (!freshHasMore || (oldestFresh !== undefined && item.imageId > oldestFresh)) {
      changed = true; // in the page's range but not in it: gone
    } else kept.push(item);
  }
  // Older than everything loaded while more pages follow: the cursor will bring it.
  const added = [...freshById.values()].filter((item) => !hasMore || !oldestHere || item.imageId > oldestHere);
  if (added.length === 0 && !changed) return current;
  return [...added, ...kept].sort((a, b) => (a.imageId < b.imageId ? 1 : a.imageId > b.imageId ? -1 : 0));
}

export function Gallery() {
  const { url } = useLocation();
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const filters = useMemo(() => filtersOf(search), [search]);
  const key = filters.toString();
  const [state, setState] = useState<ListState>({ items: [], loading: true });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const pageQuery = useCallback(
    (cursor?: string) => {
      const query = new URLSearchParams(filters);
      query.set('limit', PAGE_SIZE);
      if (cursor) query.set('cursor', cursor);
      return query;
    },
    [filters],
  );

  // The first page, again whenever the filters change.
  useEffect(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    loadingMore.current = false;
    setState({ items: [], loading: true });
    setSelected(new Set());
    api
      .listImages(pageQuery(), controller.signal)
      .then((page) => {
        if (generation.current === mine) setState({ items: page.items, cursor: page.cursor, loading: false });
      })
      .catch((error) => {
        if (!isAbort(error) && generation.current === mine) {
          setState({ items: [], loading: false, error: errorMessage(error) });
        }
      });
    return () => controller.abort();
  }, [pageQuery]);

  const loadMore = useCallback(async () => {
    const { cursor, loading, error } = stateRef.current;
    if (!cursor || loading || error || loadingMore.current) return;
    const mine = generation.current;
    loadingMore.current = true;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api.listImages(pageQuery(cursor));
      if (generation.current !== mine) return;
      setState((s) => {
        const known = new Set(s.items.map((item) => item.imageId));
        return {
          items: [...s.items, ...page.items.filter((item) => !known.has(item.imageId))],
          cursor: page.cursor,
          loading: false,
        };
      });
    } catch (error) {
      if (generation.current === mine) setState((s) => ({ ...s, loading: false, error: errorMessage(error) }));
    } finally {
      if (generation.current === mine) loadingMore.current = false;
    }
  }, [pageQuery]);

  // More as the user scrolls near the end.
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMoreRef = useRef(loadMore);
  loadMoreRef.current = loadMore;
  useEffect(() => {
    const target = sentinel.current;
    if (!target || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMoreRef.current();
      },
      { rootMargin: '600px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, []);
  // The sentinel may still be in view after a page came in: keep going until it is not.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || state.loading || !state.cursor || state.error) return;
    const { top } = target.getBoundingClientRect();
    if (top < window.innerHeight + 600) void loadMore();
  }, [state, loadMore]);

  // New and changed images without a reload: the first page every few seconds while the tab is visible.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const mine = generation.current;
    const poll = async () => {
      timer = undefined;
      if (stopped || document.visibilityState !== 'visible') return;
      const current = stateRef.current;
      if (!current.loading && !current.error) {
        try {
          const page = await api.listImages(pageQuery());
          if (!stopped && generation.current === mine) {
            setState((s) => {
              if (s.error) return s;
              const items = mergeFirstPage(s.items, page.items, Boolean(page.cursor), Boolean(s.cursor));
              return items === s.items ? s : { ...s, items };
            });
          }
        } catch {
          // a missed poll is retried at the next one
        }
      }
      if (!stopped && document.visibilityState === 'visible') timer = setTimeout(poll, POLL_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        if (!timer) void poll();
      } else if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
    };
    timer = setTimeout(poll, POLL_MS);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [pageQuery]);

  /** After a bulk change: the images loaded so far, again, as the API has them now. */
  const reload = useCallback(async () => {
    const mine = generation.current;
    const wanted = stateRef.current.items.length;
    const items: ImageSummary[] = [];
    const known = new Set<string>();
    let cursor: string | undefined;
    try {
      do {
        const page = await api.listImages(pageQuery(cursor));
        for (const item of page.items) if (!known.has(item.imageId) && known.add(item.imageId)) items.push(item);
        cursor = page.cursor;
      } while (cursor && items.length < wanted);
      if (generation.current === mine) setState((s) => ({ ...s, items, cursor }));
    } catch (error) {
      if (generation.current === mine) setState((s) => ({ ...s, error: errorMessage(error) }));
    }
  }, [pageQuery]);
  const select = (id: string, on: boolean) =>
    setSelected((now) => {
      const next = new Set(now);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const dropDeleted = (ids: string[]) => {
    const gone = new Set(ids);
    setState((s) => ({ ...s, items: s.items.filter((item) => !gone.has(item.imageId)) }));
    setSelected((now) => new Set([...now].filter((id) => !gone.has(id))));
  };

  const filtered = key !== '';
  return (
    <section>
      <h1>Images</h1>
      <SearchForm key={key} filters={filters} />
      {state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
      <p class="muted" aria-live="polite">
        {state.loading
          ? 'Loading…'
          : state.items.length === 0 && !state.error
            ? filtered
              ? 'No images match this search.'
              : 'No images yet.'
            : `${state.items.length} image${state.items.length === 1 ? '' : 's'}${state.cursor ? ', more below' : ''}`}
        {!state.loading && state.items.length === 0 && !filtered && !state.error && (
          <>
            {' '}
            <a href={appPath('upload')}>Upload some</a>
          </>
        )}
      </p>
      {state.items.length > 0 && (
        <BulkBar
          items={state.items}
          selected={selected}
          onSelect={(ids) => setSelected(new Set(ids))}
          onDeleted={dropDeleted}
          onLabelled={() => void reload()}
        />
      )}
      <ul class="grid" aria-label="Images">
        {state.items.map((item) => (
          <Card key={item.imageId} item={item} selected={selected.has(item.imageId)} onSelect={select} />
        ))}
      </ul>
      <div ref={sentinel} class="sentinel" />
      {state.cursor && !state.error && (
        <button
          type="button"
          class="more"
          disabled={state.loading}
          aria-busy={state.loading}
          onClick={() => void loadMore()}
        >
          Load more
        </button>
      )}
      {state.cursor && state.error && state.items.length > 0 && (
        <button type="button" class="more" onClick={() => setState((s) => ({ ...s, error: undefined }))}>
          Try again
        </button>
      )}
    </section>
  );
}
