import { createHash } from 'node:crypto';
import type { SharedPage, SharedPageEntry, SharedPageStore } from '../../../shares/shared-pages';
import { isShown } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import type { AlbumImage } from './get-shared';

/*
 * A smart album's link runs the album's search: without a bound, every view would run it (its postings read up to
 * the page's read allowance, and with search by meaning the vector index), however many thousands open the link.
 * Here a page's search runs at most once per album version every SMART_PAGE_FRESH_MS, whichever of the album's
 * links asks; the views between are shown the page it found, its images as their records are now
 * (docs/api.md#share-links, docs/costs.md#albums-and-share-links).
 */

/** How long a page, once its search ran, is what the album's links show: 5 minutes. */
export const SMART_PAGE_FRESH_MS = 5 * 60_000;
/** While one view runs the search again, the others are shown the page it replaces, up to this much older. */
export const SMART_PAGE_GRACE_MS = 60_000;
/** How long a view's claim to run the search holds: a view that died holding it holds it no longer. */
export const SMART_PAGE_CLAIM_MS = 30_000;
/** A view with no page to show while another runs the search looks for its page this many times, this far apart. */
const LOOKS = 4;
const LOOK_MS = 250;

/** A page of a smart album: its images, as get-shared.ts takes them, and the search's cursor for the next. */
export interface SmartPage {
  images: AlbumImage[];
  cursor?: string;
}

export interface SmartPagesDeps {
  pages: Pick<SharedPageStore, 'get' | 'claim' | 'put'>;
  /** The records of a kept page's images: whose each is now, its status and size. */
  images: Pick<ImageStore, 'summaries'>;
  /** Told why a page was not kept or its refresh not claimed: the view is answered anyway. */
  notCached(error: unknown): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A page's key within its album: a digest of its size and cursor (a cursor may be long). */
export function pageDigest(asked: { limit: number; cursor?: string }): string {
  return createHash('sha256')
    .update(`${asked.limit}\n${asked.cursor ?? ''}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * A page of a smart album as its links show it, its search (`search`, run as the album's owner) run at most once per
 * page and album version in SMART_PAGE_FRESH_MS:
 * 1. the page kept for this album version, less than SMART_PAGE_FRESH_MS old: shown;
 * 2. else a view claims the page's refresh (one at a time: a conditional write, not tried while a claim is seen to
 *    hold), runs the search, keeps its page and shows it;
 * 3. a view without the claim is shown the page kept for this version while it is less than SMART_PAGE_FRESH_MS +
 *    SMART_PAGE_GRACE_MS old; else it looks for the claimant's page (LOOKS times, LOOK_MS apart), else runs the
 *    search itself.
 * A kept page is shown as its images' records are now (one BatchGetItem, as the search reads them): one trashed,
 * locked, deleted or given to another owner since is left out, and each has its size now. An album changed since (its
 * `updatedAt`) is a new version: its search runs again at once.
 */
export async function smartAlbumPage(
  album: { albumId: string; owner: string; updatedAt: string },
  asked: { limit: number; cursor?: string },
  search: () => Promise<SmartPage>,
  deps: SmartPagesDeps,
): Promise<SmartPage> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const key = pageDigest(asked);
  const kept = ({ page }: SharedPageEntry, maxAge: number) =>
    page && page.version === album.updatedAt && now() - page.madeAt < maxAge ? page : undefined;
  const run = async () => {
    const madeAt = now();
    const found = await search();
    const page: SharedPage = {
      version: album.updatedAt,
      imageIds: found.images.map((image) => image.imageId),
      ...(found.cursor !== undefined && { nextCursor: found.cursor }),
      madeAt,
    };
    await deps.pages.put(album.albumId, key, page).catch((error: unknown) => deps.notCached(error));
    return found;
  };

  const entry = await deps.pages.get(album.albumId, key);
  const fresh = kept(entry, SMART_PAGE_FRESH_MS);
  if (fresh) return shown(fresh, album.owner, deps);
  const at = now();
  const free = entry.refreshUntil === undefined || entry.refreshUntil < at;
  const claimed =
    free &&
    (await deps.pages.claim(album.albumId, key, at, at + SMART_PAGE_CLAIM_MS).catch((error: unknown) => {
      deps.notCached(error);
      return false;
    }));
  if (claimed) return run();
  const stale = kept(entry, SMART_PAGE_FRESH_MS + SMART_PAGE_GRACE_MS);
  if (stale) return shown(stale, album.owner, deps);
  for (let look = 0; look < LOOKS; look++) {
    await sleep(LOOK_MS);
    const made = kept(await deps.pages.get(album.albumId, key), SMART_PAGE_FRESH_MS);
    if (made) return shown(made, album.owner, deps);
  }
  return run();
}

/** A kept page's images as their records are now, in its order: only those still the album owner's and shown. */
async function shown(page: SharedPage, owner: string, deps: Pick<SmartPagesDeps, 'images'>): Promise<SmartPage> {
  const records = page.imageIds.length > 0 ? await deps.images.summaries(page.imageIds) : new Map();
  const images = page.imageIds.flatMap((imageId): AlbumImage[] => {
    const record = records.get(imageId);
    if (!record || record.owner !== owner || record.status === undefined || !isShown(record)) return [];
    const { status, width, height } = record;
    return [{ imageId, status, ...(width !== undefined && { width }), ...(height !== undefined && { height }) }];
  });
  return page.nextCursor === undefined ? { images } : { images, cursor: page.nextCursor };
}
