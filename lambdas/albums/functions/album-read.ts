import { type ListDeps, listImages, type ThumbnailLinks } from '../../images/functions/list-images/list-images';
import { ListQuerySchema } from '../../images/functions/list-images/route';
import { ConflictError } from '../../shared/errors';
import type { ImageStore } from '../../store/image-store';
import { type SearchResult, SearchResultSchema } from '../../store/image-view';
import type { Caller } from '../../store/owner';
import { albumPage } from '../album-pages';
import type { AlbumPeople } from '../album-people';
import { type AlbumRole, albumAccess, type MemberView, type SharedAlbumView } from '../album-sharing';
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
  /**
   * The owners albums are shared with (album-sharing.ts): given, a member reads the album too, its owner sees its
   * members, and a manual album shows its contributors' photos beside its owner's. @default - the owner's view alone
   * (a share link's page)
   */
  people?: Pick<AlbumPeople, 'get' | 'of'>;
}

export interface AlbumRead {
  /** The album; to a member, with whose it is and their role. */
  album: AlbumView | SharedAlbumView;
  /** To the album's owner, when it is shared: with whom. */
  members?: MemberView[];
  items: SearchResult[];
  cursor?: string;
}

/**
 * One album and a page of its images, newest first:
 * 1. read the album (another owner's is a 404, as for a missing one, unless it is shared with the caller; an admin may
 *    read any), and with `refs` its cover: its own while its photo is still the owner's and not in the trash, else its
 *    newest image; with `people`, whom it is shared with (one Query): its owner sees them, a member their role;
 * 2. a smart album: its saved search, run as its owner (not an admin: never another owner's images), from `cursor`;
 * 3. a manual album: a page of its members in its order, those in the trash, purged or neither its owner's nor a
 *    contributor's left out (album-pages.ts), each with what a gallery tile needs and its thumbnails' links, as
 *    `GET /images` has them.
 */
export async function getAlbum(
  albumId: string,
  asked: PageAsked,
  caller: Caller,
  deps: AlbumReadDeps,
): Promise<AlbumRead> {
  const { people, refs } = deps;
  const { album, role }: { album: Album; role: AlbumRole } = people
    ? await albumAccess(albumId, caller, { albums: deps.albums, people })
    : { album: await albumFor(albumId, caller, deps.albums), role: 'owner' };
  const [view] = refs ? await albumViews([album], { ...deps, refs }) : [await albumView(album, deps)];
  if (!view) throw new Error('albumViews answered no album');
  const shared = people ? await people.of(albumId) : [];
  const contributors = new Set(shared.filter((person) => person.role === 'contributor').map((person) => person.member));
  const page =
    album.kind === 'smart'
      ? await smartPage(album, asked, deps)
      : await manualPage({ ...album, contributors }, asked, deps);
  const read: AlbumRead = {
    album: role === 'owner' ? view : { ...view, sharedBy: album.owner, role },
    ...(role === 'owner' &&
      shared.length > 0 && { members: shared.map(({ member, role, addedAt }) => ({ member, role, addedAt })) }),
    items: page.items,
  };
  return page.cursor === undefined ? read : { ...read, cursor: page.cursor };
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

async function manualPage(album: Album & { contributors: ReadonlySet<string> }, asked: PageAsked, deps: AlbumReadDeps) {
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
