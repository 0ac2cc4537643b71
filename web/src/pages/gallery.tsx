import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import type { ImageSummary } from '../types';

import { BulkBar } from './gallery/bulk';
import { filtersOf } from './gallery/filters';
import { mergeFirstPage } from './gallery/first-page';
import { choosePartners, partnersChosen, setTimelineQuery } from './gallery/partners';
import { PhotoGrid } from './gallery/photo-grid';
import { PhotoViewer } from './gallery/photo-viewer';
import { SearchForm } from './gallery/search-form';
import { type GalleryOrder, orderKeyOf } from './gallery/timeline';
import { placeTitle } from './places/place-links';

const PAGE_SIZE = '24';
const POLL_MS = 5000;

interface ListState {
  /** The list these pages are of (its query but the cursor): a page of another list is never followed on. */
  list: string;
  items: ImageSummary[];
  cursor?: string;
  loading: boolean;
  error?: string;
}

/** The app's URL with one parameter set (or removed, for undefined). */
function urlWith(url: string, name: string, value: string | undefined): string {
  const [path = '', search = ''] = url.split('?');
  const params = new URLSearchParams(search);
  if (value === undefined) params.delete(name);
  else params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A search for a place is headed by its name, town first (`place=Japan&place=Kyoto`: "Kyoto, Japan"). */
function placeHeading(filters: URLSearchParams): string {
  const places = filters.getAll('place');
  return places.length > 0 ? placeTitle(places.map((name) => ({ name }))) : 'Images';
}

export function Gallery() {
  const { url, route } = useLocation();
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const params = new URLSearchParams(search);
  // The list reloads when its filters or order change, not when the viewer (`view=`) moves.
  const key = filtersOf(search).toString();
  const order: GalleryOrder = key !== '' ? 'search' : params.get('sort') === 'uploaded' ? 'uploaded' : 'taken';
  const filters = useMemo(() => new URLSearchParams(key), [key]);
  const keyOf = useMemo(() => orderKeyOf(order), [order]);
  const viewing = params.get('view') ?? undefined;
  const [attempt, setAttempt] = useState(0);
  const [searchOpen, setSearchOpen] = useState(false);
  // The timeline with the photos partners share merged in, if the owner chose so (gallery/partners.ts).
  const [withPartners, setWithPartners] = useState(() => partnersChosen());
  const pageQuery = useCallback(
    (cursor?: string) => {
      const query = new URLSearchParams(filters);
      if (order === 'taken') setTimelineQuery(query, withPartners);
      query.set('limit', PAGE_SIZE);
      if (cursor) query.set('cursor', cursor);
      return query;
    },
    [filters, order, withPartners],
  );
  const list = pageQuery().toString();
  const [stored, setState] = useState<ListState>({ list, items: [], loading: true });
  // On the render where the filters changed, before the effect below starts their first page, the state still holds
  // the last list's pages (and its cursor): they are not this list's, so this render has none.
  const state: ListState = stored.list === list ? stored : { list, items: [], loading: true };
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  // The first page, again whenever the filters change.
  useEffect(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    const first = pageQuery();
    const list = first.toString();
    loadingMore.current = false;
    setState({ list, items: [], loading: true });
    setSelected(new Set());
    api
      .listImages(first, controller.signal)
      .then((page) => {
        if (generation.current === mine) setState({ list, items: page.items, cursor: page.cursor, loading: false });
      })
      .catch((error) => {
        if (!isAbort(error) && generation.current === mine) {
          setState({ list, items: [], loading: false, error: errorMessage(error) });
        }
      });
    return () => controller.abort();
    // `attempt`: Retry after the first page failed.
  }, [pageQuery, attempt]);

  const loadMore = useCallback(async () => {
    const { list: of, cursor, loading, error } = stateRef.current;
    // A cursor is good only for the list it came from (the API answers another list's with a 400).
    if (!cursor || loading || error || loadingMore.current || of !== pageQuery().toString()) return;
    const mine = generation.current;
    loadingMore.current = true;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api.listImages(pageQuery(cursor));
      if (generation.current !== mine) return;
      setState((s) => {
        const known = new Set(s.items.map((item) => item.imageId));
        return {
          list: s.list,
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
              const items = mergeFirstPage(s.items, page.items, Boolean(page.cursor), Boolean(s.cursor), keyOf);
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
  }, [pageQuery, keyOf]);

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

  // The viewer: opening pushes `view=<id>` (back closes it), moving replaces it, closing goes back.
  const openedHere = useRef(false);
  const lastViewed = useRef<string | undefined>(undefined);
  const open = (id: string) => {
    openedHere.current = true;
    route(urlWith(url, 'view', id));
  };
  const move = useCallback((id: string) => route(urlWith(url, 'view', id), true), [route, url]);
  const close = () => {
    if (openedHere.current) history.back();
    else route(urlWith(url, 'view', undefined), true);
    openedHere.current = false;
  };
  useEffect(() => {
    if (viewing) {
      lastViewed.current = viewing;
      document.body.classList.add('viewer-open');
      return () => document.body.classList.remove('viewer-open');
    }
    // Back on the grid: focus the tile of the photo last seen (once the list has it, if closed before it came).
    const id = lastViewed.current;
    const tile = id && document.querySelector<HTMLElement>(`li[data-image-id="${id}"] .card-link`);
    if (tile) {
      tile.focus();
      lastViewed.current = undefined;
    }
    return undefined;
  }, [viewing, state.items]);

  const filtered = key !== '';
  const retry = () => {
    if (state.items.length === 0) setAttempt((n) => n + 1);
    else {
      setState((s) => ({ ...s, error: undefined }));
      void loadMoreRef.current();
    }
  };
  return (
    <section class="gallery">
      <div class="gallery-head">
        <h1>{order === 'taken' ? 'Timeline' : placeHeading(filters)}</h1>
        {!filtered && (
          <label class="field order">
            <span>Order</span>
            <select
              value={order}
              onChange={(event) =>
                route(urlWith(url, 'sort', event.currentTarget.value === 'uploaded' ? 'uploaded' : undefined))
              }
            >
              <option value="taken">Date taken</option>
              <option value="uploaded">Uploaded</option>
            </select>
          </label>
        )}
        {order === 'taken' && (
          <label class="field partners-toggle">
            <input
              type="checkbox"
              checked={withPartners}
              onChange={(event) => {
                const on = event.currentTarget.checked;
                choosePartners(on);
                setWithPartners(on);
              }}
            />
            <span>Partners' photos</span>
          </label>
        )}
        <button
          type="button"
          class="secondary search-toggle"
          aria-expanded={searchOpen || filtered}
          aria-controls="gallery-search"
          onClick={() => setSearchOpen((o) => !o)}
        >
          Search and filters
        </button>
      </div>
      <div id="gallery-search" class={`search-panel${searchOpen || filtered ? ' open' : ''}`}>
        <SearchForm key={key} filters={filters} />
      </div>
      {state.error && state.items.length > 0 && (
        <div class="load-error" role="alert">
          <p>Could not load more images: {state.error}</p>
          <button type="button" onClick={retry}>
            Retry
          </button>
        </div>
      )}
      <p class={state.loading && state.items.length === 0 ? 'visually-hidden' : 'muted'} aria-live="polite">
        {state.loading && state.items.length === 0
          ? 'Loading images'
          : state.error && state.items.length === 0
            ? ''
            : state.items.length === 0
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
          onStacked={() => {
            setSelected(new Set());
            void reload();
          }}
        />
      )}
      <PhotoGrid
        items={state.items}
        order={order}
        loading={state.loading}
        error={state.error}
        selected={selected}
        onSelect={select}
        onOpen={open}
        onRetry={retry}
      />
      <div ref={sentinel} class="sentinel" />
      {state.cursor && !state.error && state.items.length > 0 && (
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
      {viewing && (
        <PhotoViewer
          items={state.items}
          imageId={viewing}
          hasMore={Boolean(state.cursor)}
          loadMore={loadMore}
          onMove={move}
          onClose={close}
          onStackChanged={() => void reload()}
        />
      )}
    </section>
  );
}
