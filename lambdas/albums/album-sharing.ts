import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../shared/errors';
import { type Caller, mayAccess } from '../store/owner';
import { InvalidCursorError } from '../store/page-cursor';
import type { AlbumPeople, AlbumPerson } from './album-people';
import type { AlbumStore, PageAsked } from './album-store';
import {
  type AlbumsDeps,
  type AlbumView,
  addAlbumImages,
  addImagesOf,
  albumViews,
  changedAlbumView,
  removeAlbumImages,
} from './albums';
import type { Album, MemberRole } from './schemas';
import { MAX_ALBUM_MEMBERS } from './table-design';

/*
 * An album shared with other owners of the deployment (issue 80, item 2): its owner adds and takes off members, each
 * a `viewer` (reads the album and its images) or a `contributor` (adds their own photos too, which stay theirs; they
 * or the album's owner take them out). To anyone else a shared album is a 404, as any other owner's album is.
 */

/** What the caller is to an album: its owner (or an admin), or one of its members. */
export type AlbumRole = 'owner' | MemberRole;

export interface SharingDeps extends AlbumsDeps {
  people: Pick<AlbumPeople, 'get' | 'of' | 'put' | 'remove' | 'sharedWith'>;
}

/** A member as the album's owner sees them. */
export interface MemberView {
  member: string;
  role: MemberRole;
  addedAt: string;
}

/** An album shared with the caller, as `GET /albums?shared=true` answers it. */
export type SharedAlbumView = AlbumView & { sharedBy: string; role: MemberRole };

const nowOf = (deps: Pick<AlbumsDeps, 'now'>) => (deps.now?.() ?? new Date()).toISOString();
const notFound = (albumId: string) => new NotFoundError(`album ${albumId} not found`);

/**
 * The album and what the caller is to it: its owner (or an admin) after one GetItem; a member after one more (their
 * item in it); anyone else, or no such album, a 404 naming only the id.
 */
export async function albumAccess(
  albumId: string,
  caller: Caller,
  deps: { albums: Pick<AlbumStore, 'get'>; people: Pick<AlbumPeople, 'get'> },
): Promise<{ album: Album; role: AlbumRole }> {
  const album = await deps.albums.get(albumId);
  if (!album) throw notFound(albumId);
  if (mayAccess(caller, album.owner)) return { album, role: 'owner' };
  const person = await deps.people.get(albumId, caller.owner);
  if (!person) throw notFound(albumId);
  return { album, role: person.role };
}

/** The album, for its owner only: a member is told so (403), anyone else gets the 404 of albumAccess. */
async function ownedAlbum(albumId: string, caller: Caller, deps: Pick<SharingDeps, 'albums' | 'people'>) {
  const { album, role } = await albumAccess(albumId, caller, deps);
  if (role !== 'owner') throw new ForbiddenError(`only the owner of album ${albumId} manages its members`);
  return album;
}

/**
 * Share an album with an owner, or change their role:
 * 1. the album read, as its owner's (a member: 403; anyone else: 404);
 * 2. not with its own owner (400); a smart album's images are its search's, so it takes viewers only (409);
 * 3. a new member within MAX_ALBUM_MEMBERS (one Query of those there; 409 past it); one there keeps when first added;
 * 4. their item put, in the album's partition and by them in `bySharedWith`.
 */
export async function setAlbumMember(
  albumId: string,
  member: string,
  role: MemberRole,
  caller: Caller,
  deps: Pick<SharingDeps, 'albums' | 'people' | 'now'>,
): Promise<MemberView & { albumId: string }> {
  const album = await ownedAlbum(albumId, caller, deps);
  if (member === album.owner) throw new BadRequestError(`owner: ${member} owns album ${albumId} already`);
  if (album.kind === 'smart' && role === 'contributor') {
    throw new ConflictError("a smart album's images are those its search finds: share it with viewers only");
  }
  const there = await deps.people.get(albumId, member);
  if (!there && (await deps.people.of(albumId)).length >= MAX_ALBUM_MEMBERS) {
    throw new ConflictError(`an album is shared with at most ${MAX_ALBUM_MEMBERS} owners: take one off first`);
  }
  const person: AlbumPerson = { albumId, member, role, owner: album.owner, addedAt: there?.addedAt ?? nowOf(deps) };
  await deps.people.put(person);
  return { albumId, member, role, addedAt: person.addedAt };
}

/** Stop sharing an album with an owner: as its owner only (as setAlbumMember); one it is not shared with is a 404. */
export async function removeAlbumMember(
  albumId: string,
  member: string,
  caller: Caller,
  deps: Pick<SharingDeps, 'albums' | 'people'>,
): Promise<void> {
  await ownedAlbum(albumId, caller, deps);
  if (!(await deps.people.remove(albumId, member))) {
    throw new NotFoundError(`album ${albumId} is not shared with ${member}`);
  }
}

/** The members as the album's owner sees them (one Query). */
export async function membersOf(albumId: string, people: Pick<AlbumPeople, 'of'>): Promise<MemberView[]> {
  return (await people.of(albumId)).map(({ member, role, addedAt }) => ({ member, role, addedAt }));
}

/**
 * The albums shared with the caller, newest shared first, a page at a time:
 * 1. a page of their items in `bySharedWith` (a cursor of another list is a 400);
 * 2. their albums by key (one BatchGetItem); a deleted one, left for the deleted albums' queue, is left out;
 * 3. each with its cover (albumViews), whose owner shared it and the caller's role.
 */
export async function sharedAlbums(
  asked: PageAsked,
  caller: Caller,
  deps: SharingDeps,
): Promise<{ items: SharedAlbumView[]; cursor?: string }> {
  let page: Awaited<ReturnType<AlbumPeople['sharedWith']>>;
  try {
    page = await deps.people.sharedWith(caller.owner, asked);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
  const found = page.items.length > 0 ? await deps.albums.getMany(page.items.map((item) => item.albumId)) : [];
  const byId = new Map(found.map((album) => [album.albumId, album]));
  const shared = page.items.flatMap((person) => {
    const album = byId.get(person.albumId);
    return album && album.owner === person.owner ? [{ album, person }] : [];
  });
  const views = await albumViews(
    shared.map(({ album }) => album),
    deps,
  );
  const items = views.map((view, i) => {
    const { person } = shared[i] as { person: AlbumPerson };
    return { ...view, sharedBy: person.owner, role: person.role };
  });
  return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
}

/**
 * Add images to an album as its owner (addAlbumImages) or as a contributor:
 * 1. the album read (albumAccess); a viewer is refused (403), a smart album too (409);
 * 2. a contributor's images as the owner's are (addImagesOf): their own and not locked, none in the trash; they
 *    stay the contributor's.
 */
export async function addToAlbum(
  albumId: string,
  imageIds: readonly string[],
  caller: Caller,
  deps: SharingDeps,
): Promise<{ added: number; album: AlbumView }> {
  const { album, role } = await albumAccess(albumId, caller, deps);
  if (role === 'owner') return addAlbumImages(albumId, imageIds, caller, deps);
  if (role === 'viewer') {
    throw new ForbiddenError(`album ${albumId} is shared with you to view: its owner can make you a contributor`);
  }
  if (album.kind === 'smart') throw new ConflictError("a smart album's images are those its search finds");
  return addImagesOf(album, caller.owner, imageIds, deps);
}

/**
 * Take images out of an album as its owner (removeAlbumImages) or as a contributor, who takes out only their own:
 * one of theirs not in it is no error; another's in it is a 403 and nothing is taken out. A viewer is refused (403).
 */
export async function removeFromAlbum(
  albumId: string,
  imageIds: readonly string[],
  caller: Caller,
  deps: SharingDeps,
): Promise<{ removed: number; album: AlbumView }> {
  const { album, role } = await albumAccess(albumId, caller, deps);
  if (role === 'owner') return removeAlbumImages(albumId, imageIds, caller, deps);
  if (role === 'viewer') throw new ForbiddenError(`album ${albumId} is shared with you to view: you take nothing out`);
  if (album.kind === 'smart') throw new ConflictError("a smart album's images are those its search finds");
  const present = [...(await deps.albums.membersAmong(albumId, [...new Set(imageIds)]))];
  const refs = present.length > 0 ? await deps.refs.refsOf(present) : new Map();
  const others = present.find((imageId) => refs.get(imageId)?.owner !== caller.owner);
  if (others !== undefined) {
    throw new ForbiddenError(`image ${others} is not yours: only its owner or the album's owner takes it out`);
  }
  const removed = present.length > 0 ? await deps.albums.removeMembers(albumId, present) : 0;
  return { removed, album: await changedAlbumView((await deps.albums.get(albumId)) ?? album, deps) };
}
