import {
  pageDigest,
  SMART_PAGE_FRESH_MS,
  SMART_PAGE_GRACE_MS,
  type SmartPage,
  type SmartPagesDeps,
  smartAlbumPage,
} from '../../../lambdas/albums/functions/get-shared/smart-pages';
import type { SharedPage, SharedPageEntry } from '../../../lambdas/shares/shared-pages';

/*
 * A smart album's link runs the album's search at most once per page and album version every few minutes, however
 * many views ask: the views between are shown the page it found, its images as their records are now.
 */

const T0 = Date.parse('2026-11-28T08:00:00.000Z');
const ALBUM = { albumId: 'al_0123456789abcdef0123', owner: 'ann', updatedAt: '2026-11-27T10:00:00.000Z' };
const PAGE = { limit: 30 };

type PagesPort = SmartPagesDeps['pages'];

/** The shares table's page items in memory, with the store's conditions: one claim at a time, no older version. */
class MemoryPages implements PagesPort {
  readonly items = new Map<string, SharedPageEntry>();
  failPuts = false;
  async get(albumId: string, page: string): Promise<SharedPageEntry> {
    return structuredClone(this.items.get(`${albumId}#${page}`) ?? {});
  }
  async claim(albumId: string, page: string, now: number, until: number): Promise<boolean> {
    const entry = this.items.get(`${albumId}#${page}`) ?? {};
    if (entry.refreshUntil !== undefined && entry.refreshUntil >= now) return false;
    this.items.set(`${albumId}#${page}`, { ...entry, refreshUntil: until });
    return true;
  }
  async put(albumId: string, page: string, found: SharedPage): Promise<void> {
    if (this.failPuts) throw new Error('throttled');
    const entry = this.items.get(`${albumId}#${page}`) ?? {};
    if (entry.page && entry.page.version > found.version) return;
    this.items.set(`${albumId}#${page}`, { page: structuredClone(found) });
  }
}

interface ImageRecord {
  owner: string;
  status: string;
  width?: number;
  height?: number;
  locked?: boolean;
}

/** The images' records, the search (counted: what it finds now), a clock, and the deps as get-shared's function has them. */
function setup(found: string[] = ['a', 'b', 'c']) {
  const pages = new MemoryPages();
  const records = new Map<string, ImageRecord>(
    found.map((id) => [id, { owner: 'ann', status: 'PROCESSED', width: 800, height: 600 }]),
  );
  let clock = T0;
  const searched: { limit: number; cursor?: string }[] = [];
  const notCached: unknown[] = [];
  let results = found;
  const search = (asked: { limit: number; cursor?: string }) => async (): Promise<SmartPage> => {
    searched.push(asked);
    // A search takes a while: other views come meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    const images = results.map((imageId) => ({ imageId, status: 'PROCESSED', width: 800, height: 600 }));
    return { images, cursor: 'next-page' };
  };
  const deps: SmartPagesDeps = {
    pages,
    images: {
      summaries: async (ids) =>
        new Map(ids.flatMap((id) => (records.has(id) ? [[id, records.get(id) as never] as const] : []))),
    },
    notCached: (error) => notCached.push(error),
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  const view = (asked: { limit: number; cursor?: string } = PAGE, album = ALBUM) =>
    smartAlbumPage(album, asked, search(asked), deps);
  return {
    pages,
    records,
    searched,
    notCached,
    view,
    move: (ms: number) => (clock += ms),
    /** What the search finds from now on: new photos, each the owner's and processed. */
    find: (ids: string[]) => {
      results = ids;
      for (const id of ids) {
        if (!records.has(id)) records.set(id, { owner: 'ann', status: 'PROCESSED', width: 800, height: 600 });
      }
    },
  };
}

const ids = (page: SmartPage) => page.images.map((image) => image.imageId);

describe("a smart album's page as its links show it", () => {
  it('runs the search once for 25 views of a page within 5 minutes, each shown the page it found', async () => {
    const { view, searched, move } = setup();
    const shown: SmartPage[] = [];
    for (let n = 0; n < 25; n++) {
      shown.push(await view());
      move(10_000);
    }
    expect(searched).toEqual([PAGE]);
    for (const page of shown) {
      expect(page).toEqual({
        images: ['a', 'b', 'c'].map((imageId) => ({ imageId, status: 'PROCESSED', width: 800, height: 600 })),
        cursor: 'next-page',
      });
    }
  });

  it('runs it once for 20 views that come at once: one claims it, the others wait for its page', async () => {
    const { view, searched } = setup();
    const shown = await Promise.all(Array.from({ length: 20 }, () => view()));
    expect(searched).toHaveLength(1);
    for (const page of shown) expect(ids(page)).toEqual(['a', 'b', 'c']);
  });

  it('runs it again after 5 minutes, once, the views meanwhile shown the page it replaces', async () => {
    const { view, searched, move, find } = setup();
    await view();
    move(SMART_PAGE_FRESH_MS - 1);
    expect(ids(await view())).toEqual(['a', 'b', 'c']);
    expect(searched).toHaveLength(1);
    move(2);
    find(['d', 'a']);
    const [first, ...others] = await Promise.all(Array.from({ length: 5 }, () => view()));
    expect(searched).toHaveLength(2);
    // The view that claimed the refresh shows the search's page now; the others the page before, a little older.
    expect(first?.images.map((image) => image.imageId)).toEqual(['d', 'a']);
    for (const page of others) expect(ids(page)).toEqual(['a', 'b', 'c']);
    expect(ids(await view())).toEqual(['d', 'a']);
    expect(searched).toHaveLength(2);
  });

  it('never shows a page older than 6 minutes: past it, a view waits for the claimant, then runs the search itself', async () => {
    const { view, searched, move, pages } = setup();
    await view();
    move(SMART_PAGE_FRESH_MS + SMART_PAGE_GRACE_MS);
    // A claim that holds, from a view that died running the search.
    const key = `${ALBUM.albumId}#${pageDigest(PAGE)}`;
    pages.items.set(key, { ...pages.items.get(key), refreshUntil: Number.MAX_SAFE_INTEGER });
    await view();
    expect(searched).toHaveLength(2);
  });

  it("runs the search again at once for an album changed since (its updatedAt), never showing the old version's page", async () => {
    const { view, searched, find } = setup();
    await view();
    find(['e']);
    const changed = { ...ALBUM, updatedAt: '2026-11-28T07:59:00.000Z' };
    expect(ids(await view(PAGE, changed))).toEqual(['e']);
    expect(searched).toHaveLength(2);
    expect(ids(await view(PAGE, changed))).toEqual(['e']);
    expect(searched).toHaveLength(2);
  });

  it('shows a kept page as its records are now: one trashed, locked, deleted or given away left out, each at its size now', async () => {
    const { view, records } = setup(['a', 'b', 'c', 'd', 'e']);
    await view();
    records.set('a', { owner: 'ann', status: 'PROCESSED', width: 600, height: 800 });
    records.set('b', { owner: 'ann', status: 'TRASHED', width: 800, height: 600 });
    records.delete('c');
    records.set('d', { owner: 'bea', status: 'PROCESSED', width: 800, height: 600 });
    // Locked since the search ran (issue 80): the kept page names it, the link must not show it.
    records.set('e', { owner: 'ann', status: 'PROCESSED', width: 800, height: 600, locked: true });
    const page = await view();
    expect(page.images).toEqual([{ imageId: 'a', status: 'PROCESSED', width: 600, height: 800 }]);
  });

  it('keeps a page per size and cursor', async () => {
    const { view, searched } = setup();
    await view({ limit: 30 });
    await view({ limit: 10 });
    await view({ limit: 30, cursor: 'next-page' });
    await view({ limit: 30, cursor: 'next-page' });
    await view({ limit: 10 });
    expect(searched).toEqual([{ limit: 30 }, { limit: 10 }, { limit: 30, cursor: 'next-page' }]);
  });

  it('answers a view whose page could not be kept, and says why', async () => {
    const { view, searched, notCached, pages } = setup();
    pages.failPuts = true;
    expect(ids(await view())).toEqual(['a', 'b', 'c']);
    expect(notCached).toEqual([new Error('throttled')]);
    expect(searched).toHaveLength(1);
  });
});
