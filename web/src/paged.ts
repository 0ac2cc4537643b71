import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage, isAbort } from './api';

/*
 * A list read page by page with the API's cursor (`{items, cursor}`): the first page whenever `key` changes, the
 * next one on `more()`, all of it again on `reload()` (after a change the list may no longer be in the same order).
 */

export interface Paged<T> {
  items: T[];
  cursor?: string;
  loading: boolean;
  error?: string;
}

export interface PagedList<T> extends Paged<T> {
  more: () => Promise<void>;
  reload: () => Promise<void>;
}

type Load<T> = (cursor: string | undefined, signal?: AbortSignal) => Promise<{ items: T[]; cursor?: string }>;

export function usePaged<T>(key: string, load: Load<T>, idOf: (item: T) => string): PagedList<T> {
  const [state, setState] = useState<Paged<T>>({ items: [], loading: true });
  const generation = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    setState({ items: [], loading: true });
    loadRef
      .current(undefined, controller.signal)
      .then((page) => {
        if (generation.current === mine) setState({ items: page.items, cursor: page.cursor, loading: false });
      })
      .catch((error) => {
        if (!isAbort(error) && generation.current === mine) {
          setState({ items: [], loading: false, error: errorMessage(error) });
        }
      });
    return () => controller.abort();
  }, [key]);

  const more = useCallback(async () => {
    const { cursor, loading } = stateRef.current;
    if (!cursor || loading) return;
    const mine = generation.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const page = await loadRef.current(cursor);
      if (generation.current !== mine) return;
      setState((s) => {
        const known = new Set(s.items.map(idOf));
        return {
          items: [...s.items, ...page.items.filter((item) => !known.has(idOf(item)))],
          cursor: page.cursor,
          loading: false,
        };
      });
    } catch (error) {
      if (generation.current === mine) setState((s) => ({ ...s, loading: false, error: errorMessage(error) }));
    }
  }, [idOf]);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    const wanted = Math.max(stateRef.current.items.length, 1);
    const items: T[] = [];
    const known = new Set<string>();
    let cursor: string | undefined;
    setState((s) => ({ ...s, loading: true }));
    try {
      do {
        const page = await loadRef.current(cursor);
        for (const item of page.items) if (!known.has(idOf(item)) && known.add(idOf(item))) items.push(item);
        cursor = page.cursor;
      } while (cursor && items.length < wanted);
      if (generation.current === mine) setState({ items, cursor, loading: false });
    } catch (error) {
      if (generation.current === mine) setState((s) => ({ ...s, loading: false, error: errorMessage(error) }));
    }
  }, [idOf]);

  return { ...state, more, reload };
}
