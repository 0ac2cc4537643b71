import { type ListDeps, listImages, type ThumbnailLinks } from '../../images/functions/list-images/list-images';
import { ListQuerySchema } from '../../images/functions/list-images/route';
import { ConflictError } from '../../shared/errors';
import type { ImageStore } from '../../store/image-store';
import { type SearchResult, SearchResultSchema } from '../../store/image-view';
import type { Caller } from '../../store/owner';
import { albumPage } from '../album-pages';
import type { AlbumStore, PageAsked } from '../album-store';
import { type AlbumsDeps, type AlbumView, albumFor, albumView, albumViews } from '../albums';
import type { ImageRefs } from '../image-refs';
import type { Album } from '../schemas';

/*
 * An album read with a page of its images (`GET /albums/{id}`), here beside the functions rather than in the room's
 * code: a smart album's page is a search of `GET /images`, run by its use case (list-images.ts), so it answers what
 * that search answers now, as the album's owner would see it.
 */

export interface AlbumReadDeps extends Pick<AlbumsDeps, 'coverUrl'> {
  albums: Pick<AlbumStore, 'get' | 'memberPage'>;
  /**
   * The images' records by key: given, the album's cover is checked against its photo's record, and an album without
   * one shows its newest image (albumViews). @default - no cover (a shared page shows none)
   */
  refs?: Pick<ImageRefs, 'refsOf'>;
  images: Pick<ImageStore, 'summaries'>;
  links: ThumbnailLinks;
  /** What a smart album's search reads (GET /images's). */
  list: ListDeps;
}

export interface AlbumRead {
  album: AlbumView;
  items: SearchResult[];
  cursor?: string;
}

/**
 * One album and a page of its images, newest first:
 * 1. read the album (another owner's is a 404, as for a missing one; an admin may read any), and with `refs` its
 *    cover: its own while its photo is still the owner's and not in the trash, else its newest image;
 * 2. a smart album: its saved search, run as its owner (not an admin: never another owner's images), from `cursor`;
 * 3. a manual album: a page of its members in its order, those in the trash, purged or no longer its owner's left
 *    out (album-pages.ts), each with what a gallery tile needs and its thumbnails' links, as `GET /images` has them.
 */
export async function getAlbum(
  albumId: string,
  asked: PageAsked,
  caller: Caller,
  deps: AlbumReadDeps,
): Promise<AlbumRead> {
  const album = await albumFor(albumId, caller, deps.albums);
  const { refs } = deps;
  const [view] = refs ? await albumViews([album], { ...deps, refs }) : [await albumView(album, deps)];
  if (!view) throw new Error('albumViews answered no album');
  const page = album.kind === 'smart' ? await smartPage(album, asked, deps) : await manualPage(album, asked, deps);
  return page.cursor === undefined ? { album: view, items: page.items } : { album: view, ...page };
}

async function smartPage(album: Album, asked: PageAsked, deps: AlbumReadDeps) {
  const parsed = ListQuerySchema.safeParse({
    ...album.smart,
    limit: String(asked.limit),
    ...(asked.cursor && { cursor: asked.cursor }),
  });
  // Saved when the filters checked it: only a filter the API has since changed refuses it now.
  if (!parsed.success) {
    throw new ConflictError(`the album's search is not one GET /images takes now: ${parsed.error.issues[0]?.message}`);
  }
  return listImages(parsed.data, { owner: album.owner, admin: false }, deps.list);
}

async function manualPage(album: Album, asked: PageAsked, deps: AlbumReadDeps) {
  const page = await albumPage(album, asked, deps);
  const items = await Promise.all(
    page.items.map(async ({ imageId, image }) => {
      const { thumbnails, ...tile } = image;
      const result = SearchResultSchema.parse({ ...tile, imageId });
      const keys = thumbnails ?? (image.status === 'PROCESSED' ? deps.links.keysOf(imageId) : undefined);
      return keys ? { ...result, thumbnails: await deps.links.sign(keys) } : result;
    }),
  );
  return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
}
