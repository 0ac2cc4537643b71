import { BadRequestError } from '../shared/errors';
import { isShown } from '../store/image-item';
import { type ImageStore, InvalidCursorError, type SummaryAttributes } from '../store/image-store';
import type { TileDetails } from '../store/image-view';
import type { AlbumStore, PageAsked } from './album-store';
import type { Album } from './schemas';

/** An image of an album as a page shows it: its summary and tile, as its record holds them now. */
export interface AlbumMember {
  imageId: string;
  image: TileDetails & SummaryAttributes;
}

export interface AlbumPage {
  items: AlbumMember[];
  /** Present while more may follow. */
  cursor?: string;
}

export interface AlbumPageDeps {
  albums: Pick<AlbumStore, 'memberPage'>;
  images: Pick<ImageStore, 'summaries'>;
}

/**
 * One page of a manual album's images, in its order, newest first (a smart album's are its search's:
 * functions/album-api.ts):
 * 1. a page of member ids from the album's order index (`limit` of them, from `cursor`);
 * 2. their records, in one projected BatchGetItem (ImageStore.summaries), with when each was taken: read from the
 *    record, not kept on the membership, so a date its owner corrects since (and a membership older than this) shows;
 * 3. left out: an image in the trash or the locked folder (isShown: it is still a member, so a restore or an
 *    unlock brings it back; `locked` comes with the tile's attributes, at no read of its own), one deleted for good
 *    (its membership goes with the purge; until then it has no record), and one that is neither the album owner's
 *    (an admin's re-own) nor a contributor's (album-sharing.ts: one who is no longer is not shown). So a page may
 *    hold fewer than `limit` images while a cursor follows.
 * A cursor not made for this album and order is a 400.
 */
export async function albumPage(
  album: Pick<Album, 'albumId' | 'owner' | 'order'> & { contributors?: ReadonlySet<string> },
  asked: PageAsked,
  deps: AlbumPageDeps,
): Promise<AlbumPage> {
  let page: Awaited<ReturnType<AlbumStore['memberPage']>>;
  try {
    page = await deps.albums.memberPage(album.albumId, album.order, asked);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
  const found = page.ids.length > 0 ? await deps.images.summaries(page.ids, { taken: true }) : new Map();
  const items = page.ids.flatMap((imageId) => {
    const image = found.get(imageId);
    if (!image || !ownerShown(album, image.owner) || !isShown(image)) return [];
    return [{ imageId, image }];
  });
  return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
}

/** An image of this owner is shown in the album: its owner's, or a contributor's (who added it: it stays theirs). */
function ownerShown(album: { owner: string; contributors?: ReadonlySet<string> }, owner: string | undefined): boolean {
  return owner !== undefined && (owner === album.owner || album.contributors?.has(owner) === true);
}
