import { randomBytes } from 'node:crypto';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors';
import { isShown } from '../store/image-item';
import { type Caller, mayAccess } from '../store/owner';
import { InvalidCursorError } from '../store/page-cursor';
import type { AlbumChange, AlbumStore, PageAsked } from './album-store';
import type { DeletedAlbumsQueue } from './deleted-albums';
import type { ImageRef, ImageRefs } from './image-refs';
import type { Album, AlbumOrder, SmartQuery } from './schemas';

/*
 * The album use cases but reading one (functions/album-read.ts, which runs a smart album's search): make, list,
 * change and delete albums, add and take out images, and an image's albums. Another owner's album or image is a 404,
 * as if it did not exist; an admin may read and change any, with the album owner's images only.
 */

/** An album as the routes answer it: the stored one, its cover linked. */
export type AlbumView = Omit<Album, 'owner'> & { coverUrl?: string };

export interface AlbumsDeps {
  albums: Pick<
    AlbumStore,
    | 'create'
    | 'get'
    | 'getMany'
    | 'listOf'
    | 'update'
    | 'delete'
    | 'membersAmong'
    | 'addMembers'
    | 'removeMembers'
    | 'albumIdsOf'
    | 'clearCover'
    | 'memberPage'
  >;
  refs: Pick<ImageRefs, 'refsOf'>;
  /** A presigned GET of an image's smallest thumbnail (local signing: no call). */
  coverUrl(imageId: string): Promise<string>;
  now?: () => Date;
}

export interface NewAlbum {
  name: string;
  smart?: SmartQuery;
  order?: AlbumOrder;
}

/** `al_` and 20 hex characters: 80 random bits (ALBUM_ID_PATTERN). */
export function newAlbumId(): string {
  return `al_${randomBytes(10).toString('hex')}`;
}

const nowOf = (deps: Pick<AlbumsDeps, 'now'>) => (deps.now?.() ?? new Date()).toISOString();

/** An album as the routes answer it when no cover of it is checked: without its owner, and without a cover. */
export async function albumView(album: Album, deps: Pick<AlbumsDeps, 'coverUrl'>): Promise<AlbumView> {
  return viewOf(album, deps, undefined);
}

/** The cover an album shows: its own (`coverImageId`), or, with none shown, its newest image. */
interface ShownCover {
  imageId: string;
  own: boolean;
}

/** Without its owner; its own cover named only when it is the one shown (a cover not shown is not the album's now). */
async function viewOf(album: Album, deps: Pick<AlbumsDeps, 'coverUrl'>, cover: ShownCover | undefined) {
  const { owner: _owner, coverImageId: _cover, ...view } = album;
  if (!cover) return view;
  const coverUrl = await deps.coverUrl(cover.imageId);
  return cover.own ? { ...view, coverImageId: cover.imageId, coverUrl } : { ...view, coverUrl };
}

/**
 * Whether the cover its owner set is shown: the photo is still the album owner's (an admin may have given it to
 * another owner since), not in the trash and not in the locked folder (isShown), as a page of the album shows its
 * members (album-pages.ts).
 */
function showsOwnCover(album: Album, ref: ImageRef | undefined): boolean {
  return ref !== undefined && ref.owner === album.owner && isShown(ref);
}

/**
 * The cover shown: its own if it still may be, else the newest image read for it that is shown (the album owner's,
 * processed: it has thumbnails, and isShown: not in the trash, not locked).
 */
function shownCover(
  album: Album,
  refs: ReadonlyMap<string, ImageRef>,
  newest: readonly string[] = [],
): ShownCover | undefined {
  const own = album.coverImageId;
  if (own !== undefined && showsOwnCover(album, refs.get(own))) return { imageId: own, own: true };
  const shown = newest.find((imageId) => {
    const ref = refs.get(imageId);
    return ref !== undefined && ref.owner === album.owner && ref.status === 'PROCESSED' && isShown(ref);
  });
  return shown === undefined ? undefined : { imageId: shown, own: false };
}

/** The records of these images, projected (one BatchGetItem per 100); none read for none. */
async function refsOf(imageIds: readonly string[], refs: Pick<ImageRefs, 'refsOf'>): Promise<Map<string, ImageRef>> {
  const ids = [...new Set(imageIds)];
  return ids.length > 0 ? refs.refsOf(ids) : new Map();
}

/** Queries of the albums' first images at once, for a page of albums without covers. */
const COVER_QUERIES = 16;
/**
 * Members read for a cover when the newest is not shown (in the trash, locked, another's): the first shown of them
 * stands in; past them the album shows none, so a page of albums reads a bounded number of records.
 */
export const COVER_LOOKAHEAD = 10;

/** Each album's newest `limit` images in its order: one Query of its order's index per album, 16 at once. */
async function newestOf(
  albums: readonly Album[],
  store: Pick<AlbumStore, 'memberPage'>,
  limit = 1,
): Promise<Map<string, string[]>> {
  const firsts = new Map<string, string[]>();
  for (let i = 0; i < albums.length; i += COVER_QUERIES) {
    await Promise.all(
      albums.slice(i, i + COVER_QUERIES).map(async (album) => {
        const { ids } = await store.memberPage(album.albumId, album.order, { limit });
        if (ids.length > 0) firsts.set(album.albumId, ids);
      }),
    );
  }
  return firsts;
}

/** The records of `imageIds` not in `refs` yet, added to it (one BatchGetItem per 100). */
async function readMore(refs: Map<string, ImageRef>, imageIds: Iterable<string[]>, deps: Pick<ImageRefs, 'refsOf'>) {
  const unread = [...imageIds].flat().filter((imageId) => !refs.has(imageId));
  for (const [imageId, ref] of await refsOf(unread, deps)) refs.set(imageId, ref);
}

/**
 * Albums as `GET /albums` and `GET /albums/{id}` answer them, each cover checked against its photo's record:
 * 1. a manual album with no cover of its own: the newest image in its order (one Query, Limit 1, per such album);
 * 2. one BatchGetItem (per 100) of the records of the covers set and of those images, projected;
 * 3. a cover set is shown while its photo is the album owner's, not in the trash and not locked (showsOwnCover); a manual album
 *    whose cover is not is answered as one without (its newest image: a Query each, and one more BatchGetItem);
 * 4. the newest image is shown if it is the owner's, processed (it has thumbnails) and not locked; when it is not,
 *    the album's newest COVER_LOOKAHEAD are read (a Query each, one more BatchGetItem) and the first shown stands in;
 *    else no cover.
 * A smart album's images are its search's: none is read, and it shows only its own cover.
 */
export async function albumViews(
  albums: readonly Album[],
  deps: Pick<AlbumsDeps, 'coverUrl' | 'refs'> & { albums: Pick<AlbumStore, 'memberPage'> },
): Promise<AlbumView[]> {
  const filled = (album: Album) => album.kind === 'manual' && album.count > 0;
  const firsts = await newestOf(
    albums.filter((album) => !album.coverImageId && filled(album)),
    deps.albums,
  );
  const covers = albums.flatMap((album) => (album.coverImageId ? [album.coverImageId] : []));
  const refs = await refsOf([...covers, ...[...firsts.values()].flat()], deps.refs);
  const lost = albums.filter(
    (album) => album.coverImageId && filled(album) && !showsOwnCover(album, refs.get(album.coverImageId)),
  );
  if (lost.length > 0) {
    const more = await newestOf(lost, deps.albums);
    await readMore(refs, more.values(), deps.refs);
    for (const [albumId, imageIds] of more) firsts.set(albumId, imageIds);
  }
  // A newest image that may not be shown: the next ones stand in.
  const hidden = albums.filter(
    (album) => firsts.has(album.albumId) && shownCover(album, refs, firsts.get(album.albumId)) === undefined,
  );
  if (hidden.length > 0) {
    const further = await newestOf(hidden, deps.albums, COVER_LOOKAHEAD);
    await readMore(refs, further.values(), deps.refs);
    for (const [albumId, imageIds] of further) firsts.set(albumId, imageIds);
  }
  return Promise.all(albums.map((album) => viewOf(album, deps, shownCover(album, refs, firsts.get(album.albumId)))));
}

/**
 * An album as a route that changed it answers it: its own cover linked if it is still shown (one BatchGetItem of
 * its record, projected; showsOwnCover), and no newest image in its place (that is GET's: albumViews).
 */
export async function changedAlbumView(album: Album, deps: Pick<AlbumsDeps, 'coverUrl' | 'refs'>): Promise<AlbumView> {
  const refs = await refsOf(album.coverImageId ? [album.coverImageId] : [], deps.refs);
  return viewOf(album, deps, shownCover(album, refs));
}

/** The album, if the caller may see it: their own, or any for an admin; else a 404 that names only the id. */
export async function albumFor(albumId: string, caller: Caller, albums: Pick<AlbumStore, 'get'>): Promise<Album> {
  const album = await albums.get(albumId);
  if (!album || !mayAccess(caller, album.owner)) throw new NotFoundError(`album ${albumId} not found`);
  return album;
}

/**
 * Make an album for the caller:
 * 1. a smart one keeps its search, and lists in the search's order (`taken` is refused);
 * 2. put it within the owner's limit (a 429 past it: album-store.ts).
 */
export async function createAlbum(input: NewAlbum, caller: Caller, deps: AlbumsDeps): Promise<AlbumView> {
  if (input.smart && input.order === 'taken') {
    throw new BadRequestError("order: a smart album lists in its search's order; leave order out");
  }
  const at = nowOf(deps);
  const album: Album = {
    albumId: newAlbumId(),
    owner: caller.owner,
    name: input.name,
    kind: input.smart ? 'smart' : 'manual',
    ...(input.smart && { smart: input.smart }),
    order: input.order ?? 'added',
    count: 0,
    createdAt: at,
    updatedAt: at,
  };
  await deps.albums.create(album);
  return albumView(album, deps);
}

/**
 * The caller's albums, newest first, a page at a time (a cursor of another list is a 400); one without a cover shows
 * its newest image (albumViews).
 */
export async function listAlbums(
  asked: PageAsked,
  caller: Caller,
  deps: AlbumsDeps,
): Promise<{ items: AlbumView[]; cursor?: string }> {
  try {
    const page = await deps.albums.listOf(caller.owner, asked);
    const items = await albumViews(page.items, deps);
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
}

/**
 * Rename an album, change its cover or its order:
 * 1. read it (404 as for a GET);
 * 2. a cover must be an image of the album's owner, not in the trash or the locked folder (a 404, as its GET
 *    without an unlock token), and of a manual album one of its images;
 * 3. write what changed, if the album still exists.
 */
export async function updateAlbum(
  albumId: string,
  change: AlbumChange,
  caller: Caller,
  deps: AlbumsDeps,
): Promise<AlbumView> {
  const album = await albumFor(albumId, caller, deps.albums);
  if (album.kind === 'smart' && change.order === 'taken') {
    throw new BadRequestError("order: a smart album lists in its search's order");
  }
  const cover = change.coverImageId;
  if (cover !== undefined) {
    const ref = (await deps.refs.refsOf([cover])).get(cover);
    if (!ref || ref.owner !== album.owner || !isShown(ref)) {
      throw new NotFoundError(`image ${cover} not found`);
    }
    if (album.kind === 'manual' && !(await deps.albums.membersAmong(albumId, [cover])).has(cover)) {
      throw new BadRequestError(`coverImageId: image ${cover} is not in the album`);
    }
  }
  return changedAlbumView(await deps.albums.update(albumId, change, nowOf(deps)), deps);
}

/**
 * Delete an album (its images stay, and its links stop working): 404 as for a GET, or when deleted meanwhile. The
 * album and its owner's count of it go now; its members are handed to the deleted albums' queue, which deletes them a
 * page at a time (deleted-albums.ts), so an album of any size is deleted in one short request.
 */
export async function deleteAlbum(
  albumId: string,
  caller: Caller,
  deps: Pick<AlbumsDeps, 'albums'> & { deletedAlbums: DeletedAlbumsQueue },
): Promise<void> {
  const album = await albumFor(albumId, caller, deps.albums);
  if (!(await deps.albums.delete(album))) throw new NotFoundError(`album ${albumId} not found`);
  await deps.deletedAlbums.send({ albumId });
}

/**
 * Add images to a manual album:
 * 1. read the album (404 as for a GET; a smart album's images are its search's: 409);
 * 2. read the images' records: one missing or another owner's than the album's is a 404 naming the first such id,
 *    and so is one in the locked folder (as its GET without an unlock token is: adding it would put it where every
 *    viewer of the album looks, and a 409 would tell whoever holds the session without the PIN that it is locked);
 *    one in the trash a 409; nothing is added then;
 * 3. leave out those in the album already, add the others with the album's count (album-store.ts);
 * 4. answer how many were added, and the album as it is now.
 */
export async function addAlbumImages(
  albumId: string,
  imageIds: readonly string[],
  caller: Caller,
  deps: AlbumsDeps,
): Promise<{ added: number; album: AlbumView }> {
  const album = await albumFor(albumId, caller, deps.albums);
  if (album.kind === 'smart') throw new ConflictError("a smart album's images are those its search finds");
  return addImagesOf(album, album.owner, imageIds, deps);
}

/**
 * Add `adder`'s images to the album (its owner's, or a contributor's: album-sharing.ts): each must be theirs and not
 * locked (another's, a locked one or none: a 404 naming the first, as its own GET answers), none in the trash (409);
 * those not in it yet are added with the album's count.
 */
export async function addImagesOf(
  album: Album,
  adder: string,
  imageIds: readonly string[],
  deps: AlbumsDeps,
): Promise<{ added: number; album: AlbumView }> {
  const albumId = album.albumId;
  const ids = [...new Set(imageIds)];
  const refs = await deps.refs.refsOf(ids);
  for (const imageId of ids) {
    const ref = refs.get(imageId);
    if (!ref || ref.owner !== adder || ref.locked === true) throw new NotFoundError(`image ${imageId} not found`);
    if (ref.status === 'TRASHED') throw new ConflictError(`image ${imageId} is in the trash: restore it first`);
  }
  const present = await deps.albums.membersAmong(albumId, ids);
  const members = ids
    .filter((imageId) => !present.has(imageId))
    // An image's record always has its takenKey (the upload's time until a date taken is known): this is a guard.
    .map((imageId) => ({ imageId, takenKey: refs.get(imageId)?.takenKey ?? `1970-01-01T00:00:00#${imageId}` }));
  const added = members.length > 0 ? await deps.albums.addMembers(albumId, members, nowOf(deps)) : 0;
  return { added, album: await changedAlbumView((await deps.albums.get(albumId)) ?? album, deps) };
}

/**
 * Take images out of a manual album (they stay in the library): the album read as for a GET, those of the ids that
 * are in it deleted with its count (and the cover taken off if it is one of them); ids that are not in it are no
 * error.
 */
export async function removeAlbumImages(
  albumId: string,
  imageIds: readonly string[],
  caller: Caller,
  deps: AlbumsDeps,
): Promise<{ removed: number; album: AlbumView }> {
  const album = await albumFor(albumId, caller, deps.albums);
  if (album.kind === 'smart') throw new ConflictError("a smart album's images are those its search finds");
  const present = await deps.albums.membersAmong(albumId, [...new Set(imageIds)]);
  const removed = present.size > 0 ? await deps.albums.removeMembers(albumId, [...present]) : 0;
  // A cover taken out of the album is its cover no more.
  if (album.coverImageId && present.has(album.coverImageId)) await deps.albums.clearCover(albumId, album.coverImageId);
  return { removed, album: await changedAlbumView((await deps.albums.get(albumId)) ?? album, deps) };
}

/**
 * The manual albums an image is in, by name: the image read (404 as for its GET, and so for one in the locked folder,
 * as its GET without an unlock token is), its memberships, then their albums (a deleted album's left-over member is
 * left out, as is one of another owner than the image's).
 */
export async function imageAlbums(
  imageId: string,
  caller: Caller,
  deps: Pick<AlbumsDeps, 'albums' | 'refs'>,
): Promise<{ items: { albumId: string; name: string }[] }> {
  const ref = (await deps.refs.refsOf([imageId])).get(imageId);
  if (!ref || !mayAccess(caller, ref.owner) || ref.locked === true)
    throw new NotFoundError(`image ${imageId} not found`);
  const ids = await deps.albums.albumIdsOf(imageId);
  const albums: Album[] = [];
  for (let i = 0; i < ids.length; i += 100) albums.push(...(await deps.albums.getMany(ids.slice(i, i + 100))));
  const items = albums
    .filter((album) => album.owner === ref.owner)
    .map(({ albumId, name }) => ({ albumId, name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.albumId.localeCompare(b.albumId));
  return { items };
}
