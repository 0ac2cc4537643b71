import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlbumPeople } from '../albums/album-people';
import { AlbumStore } from '../albums/album-store';
import { MAX_ALBUM_IMAGES } from '../albums/table-design';
import type { PlaceCorrection } from '../core/place';
import type { Box } from '../core/vision-schema';
import type { IEventPublisher } from '../events/events';
import type { ImageEdit } from '../images/events';
import type { ImageCleanup } from '../kit/image-cleanup';
import type { FaceAssigned } from '../people/face-assignment';
import { openPeople } from '../people/open';
import type { Geocoder } from '../places/geocoder';
import { openGeocoder } from '../places/open';
import type { ISearchIndex } from '../search/index-port';
import { SearchIndex } from '../search/index-table';
import type { RepointDeps } from '../search/person-repoint';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors';
import type { ImageItem } from '../store/image-item';
import { ImageStore } from '../store/image-store';
import { ImageTrash } from '../store/image-trash';
import { normalizeName } from '../store/labels';
import { type Caller, mayAccess } from '../store/owner';
import { timelineAttributes } from '../store/timeline-key';
import { UPLOAD_METADATA_LIMITS } from '../store/upload-metadata';
import { type TrashDeps, trashImage } from '../trash/trash-image';
import { type CarryOverEnv, MAX_RESOLVED_IMAGES } from './carry-over-contract';
import { carryPeople, type PeopleCarryDeps } from './carry-people';

/*
 * What resolving a cluster of duplicates does to its photos (`POST /duplicates/{id}/resolve`, issue 81): what the
 * owner gave the copies going to the trash is carried over to the photo kept, then the copies are trashed as any
 * photo is (restorable, the trash's cleanups run). Each change goes through its room's own write, so it is
 * conditional, indexed and announced as the room's route makes it: the tags and the favourite as the edit routes
 * (`Image Updated`), the place as `PUT /images/{id}/place` (`Image Place Changed`), the albums through their store
 * (their count in the same transaction), the people corrections through the people store's (carry-people.ts), the
 * trash through trashImage (`Image Trashed`).
 *
 * The edit and the place writes are the images' and the places' functions' shared modules (edit-api.ts writeEdit,
 * place-api.ts writePlace), and so are the people's record writes after a face correction (face-records.ts), which a room's own code may not import (.dependency-cruiser.cjs
 * rooms-below-their-functions): the resolve route's entry point hands them to openCarryOver.
 */

/** Who made a change, and when: written on the record and its event. */
export interface ChangeStamp {
  at: string;
  by: string | undefined;
}

/** What the tags and favourite writes change: the edit routes' fields. */
export type CarriedEdit = Partial<Pick<ImageItem, 'tags' | 'favourite'>>;

export interface CarryOverDeps {
  /** The photos' records, read by key. */
  store: Pick<ImageStore, 'get'>;
  /**
   * An owner's edit written as the images room's edit routes write it (images/functions/edit-api.ts writeEdit):
   * conditional on the record as read (409 otherwise), its postings in step, `Image Updated` naming what changed.
   */
  edit(item: ImageItem, edited: CarriedEdit, changed: readonly ImageEdit[], stamp: ChangeStamp): Promise<ImageItem>;
  /**
   * A place correction written as `PUT /images/{id}/place` writes it (places/functions/place-api.ts writePlace):
   * conditional, the `place:` postings moved, `Image Place Changed` published.
   */
  correctPlace(item: ImageItem, correction: PlaceCorrection, stamp: ChangeStamp): Promise<unknown>;
  /** The albums' memberships: an image's albums (`byImageAlbums`), and a member added with its album's count. */
  albums: Pick<AlbumStore, 'albumIdsOf' | 'getMany' | 'membersAmong' | 'addMembers'>;
  /** Whom an album is shared with: a contributor's photo may join another owner's album. */
  albumPeople: Pick<AlbumPeople, 'get'>;
  /** The people store and the kept photo's record writer, with face grouping on (none: no face is carried). */
  people?: PeopleCarryDeps;
  /** The trash's writes, its cleanups (occasion `trash`), its events and its `trashDays`. */
  trash: Omit<TrashDeps, 'store' | 'now'>;
  now?: () => Date;
}

/** What was carried over to the photo kept by this request (a retried resolve carries nothing twice). */
export interface Carried {
  /** The tags the photo kept did not have, added at the end of its own. */
  tags: string[];
  /** The albums it joined (those a copy was in, and it was not). */
  albums: string[];
  /** Whether it became a favourite now. */
  favourite: boolean;
  /** The kept photo's faces its owner's word on a copy's changed (named, given, drawn, or taken out of a person). */
  people: number;
  /** Place corrections carried: 0 or 1. */
  places: number;
}

export interface CarryOverAnswer {
  kept: string;
  trashed: string[];
  carried: Carried;
}

/**
 * Resolve a cluster: `keep` stay (the first gets what the copies carry), `trash` go to the trash.
 * 1. the ids: at least one kept, none twice, none both kept and trashed, at most MAX_RESOLVED_IMAGES (400);
 * 2. every record read: none, another owner's than the caller may see, another owner's than the first kept photo's,
 *    or one in the locked folder is a 404 naming it (the locked folder is not told apart, as albums do); a kept
 *    photo must be PROCESSED, a copy PROCESSED or already in the trash from PROCESSED (a retried resolve) (409);
 *    a deployment without a trash (`trashDays` 0) keeps its copies (409): nothing is changed before these checks;
 * 3. the copies' tags the kept photo lacks (as `tag=` compares them), within an upload's limit, and their favourite,
 *    in one edit (`Image Updated`, `changed` naming both);
 * 4. the first copy's place correction (a position or a place named; not a place cleared) when the kept photo has
 *    none of its owner's (`Image Place Changed`);
 * 5. the owner's word on the copies' faces (named, given to a person, drawn, taken out of one) said of the kept
 *    photo's same faces (carry-people.ts), where its owner said nothing of them yet;
 * 6. every manual album holding a copy, of its owner (or shared with them as a contributor), holds the kept photo too,
 *    within its cap (a full album is left as it is);
 * 7. each copy moved to the trash (trashImage: its postings go, `Image Trashed`; one in it already finishes its move).
 * Every step is a no-op when done already, so a request retried after a failure part-way finishes the resolve.
 */
export async function carryOverAndTrash(
  input: { keep: readonly string[]; trash: readonly string[] },
  caller: Caller,
  deps: CarryOverDeps,
): Promise<CarryOverAnswer> {
  checkIds(input);
  const records = await readAll([...input.keep, ...input.trash], deps.store);
  const kept = records.get(input.keep[0] as string) as ImageItem;
  const copies = input.trash.map((imageId) => records.get(imageId) as ImageItem);
  for (const item of records.values()) {
    if (!mayAccess(caller, item.owner) || item.owner !== kept.owner || item.locked === true) {
      throw new NotFoundError(`image ${item.imageId} not found`);
    }
  }
  for (const imageId of input.keep) {
    const { status } = records.get(imageId) as ImageItem;
    if (status === 'TRASHED') throw new ConflictError(`image ${imageId} is in the trash: restore it to keep it`);
    if (status !== 'PROCESSED') throw new ConflictError(`image ${imageId} is ${status}: it can be kept once PROCESSED`);
  }
  for (const copy of copies) {
    const from = copy.status === 'TRASHED' ? copy.trashedFrom : copy.status;
    if (from !== 'PROCESSED') throw new ConflictError(`image ${copy.imageId} is ${copy.status}: it is no copy yet`);
  }
  if (deps.trash.trashDays < 1) {
    throw new ConflictError('this deployment keeps no trash (trashDays 0): delete the copies instead');
  }

  const stamp: ChangeStamp = { at: (deps.now?.() ?? new Date()).toISOString(), by: caller.owner };
  const carried: Carried = { tags: [], albums: [], favourite: false, people: 0, places: 0 };
  let current = kept;
  const edit = editOf(current, copies);
  if (edit.changed.length > 0) {
    current = await deps.edit(current, edit.edited, edit.changed, stamp);
    carried.tags = edit.added;
    carried.favourite = edit.edited.favourite === true;
    // As the edit left it (its terms' postings removed and cleared), for the place's write to be conditional on.
    current = (await deps.store.get(kept.imageId)) ?? current;
  }
  const correction = current.placeCorrection === undefined ? placeOf(copies, stamp) : undefined;
  if (correction) {
    await deps.correctPlace(current, correction, stamp);
    carried.places = 1;
  }
  if (deps.people) carried.people = await carryPeople(current, copies, deps.people);
  carried.albums = await joinAlbums(current, copies, stamp.at, deps);
  for (const copy of copies)
    await trashImage(copy.imageId, caller, { ...deps.trash, store: deps.store, now: deps.now });
  return { kept: kept.imageId, trashed: [...input.trash], carried };
}

/** Step 1: the ids as given make sense together. */
function checkIds({ keep, trash }: { keep: readonly string[]; trash: readonly string[] }): void {
  if (keep.length === 0) throw new BadRequestError('keep: keep at least one photo');
  const all = [...keep, ...trash];
  if (all.length > MAX_RESOLVED_IMAGES) {
    throw new BadRequestError(`at most ${MAX_RESOLVED_IMAGES} photos kept and trashed in all`);
  }
  const kept = new Set(keep);
  const both = trash.find((imageId) => kept.has(imageId));
  if (both !== undefined) throw new BadRequestError(`image ${both} cannot be both kept and trashed`);
  const twice = all.find((imageId, i) => all.indexOf(imageId) !== i);
  if (twice !== undefined) throw new BadRequestError(`image ${twice} is named twice`);
}

/** Records read at once, a few at a time (GetItem each: at most MAX_RESOLVED_IMAGES). */
const READS_AT_ONCE = 16;

/** Step 2's reads: every record, or a 404 naming the first missing. */
async function readAll(imageIds: readonly string[], store: Pick<ImageStore, 'get'>): Promise<Map<string, ImageItem>> {
  const records = new Map<string, ImageItem>();
  for (let i = 0; i < imageIds.length; i += READS_AT_ONCE) {
    const chunk = imageIds.slice(i, i + READS_AT_ONCE);
    const found = await Promise.all(chunk.map((imageId) => store.get(imageId)));
    chunk.forEach((imageId, j) => {
      const item = found[j];
      if (!item) throw new NotFoundError(`image ${imageId} not found`);
      records.set(imageId, item);
    });
  }
  return records;
}

/** How two tags compare: as `tag=` finds them (normalised), as the edit route compares them (edit-tags/route.ts). */
const tagKey = (tag: string) => normalizeName(tag) || tag;

/** Step 3: the copies' tags the kept photo lacks (within the limit), and a favourite it is not yet. */
function editOf(kept: ImageItem, copies: readonly ImageItem[]) {
  const own = kept.tags ?? [];
  const seen = new Set(own.map(tagKey));
  const room = Math.max(0, UPLOAD_METADATA_LIMITS.maxTags - own.length);
  const added: string[] = [];
  for (const tag of copies.flatMap((copy) => copy.tags ?? [])) {
    if (added.length >= room || seen.has(tagKey(tag))) continue;
    seen.add(tagKey(tag));
    added.push(tag);
  }
  const favourite = kept.favourite !== true && copies.some((copy) => copy.favourite === true);
  const edited: CarriedEdit = {
    ...(added.length > 0 && { tags: [...own, ...added] }),
    ...(favourite && { favourite: true }),
  };
  const changed: ImageEdit[] = [
    ...(added.length > 0 ? ['tags' as const] : []),
    ...(favourite ? ['favourite' as const] : []),
  ];
  return { edited, changed, added };
}

/** Step 4: the first copy's correction that sets a place (not one that clears it), as its owner makes it now. */
function placeOf(copies: readonly ImageItem[], stamp: ChangeStamp): PlaceCorrection | undefined {
  const given = copies
    .map((copy) => copy.placeCorrection)
    .find((correction) => correction?.position !== undefined || correction?.place !== undefined);
  if (!given) return undefined;
  return {
    ...(given.position && { position: given.position }),
    ...(given.place && { place: given.place }),
    at: stamp.at,
    ...(stamp.by !== undefined && { by: stamp.by }),
  };
}

/**
 * Step 5: the albums holding a copy (one Query of `byImageAlbums` each, then the albums by key, 100 at a time) that
 * the kept photo may join as `POST /albums/{id}/images` lets it (addImagesOf: the album's owner's photo, or a
 * contributor's; the photo's record was checked in step 2), added where it is not a member, with the album's count.
 */
async function joinAlbums(
  kept: ImageItem,
  copies: readonly ImageItem[],
  at: string,
  deps: Pick<CarryOverDeps, 'albums' | 'albumPeople'>,
): Promise<string[]> {
  const owner = kept.owner;
  // An image of no one's (an admin's view of one left without an owner) is in no one's albums.
  if (owner === undefined) return [];
  const ids = new Set<string>();
  for (const copy of copies) for (const albumId of await deps.albums.albumIdsOf(copy.imageId)) ids.add(albumId);
  const all = [...ids];
  const joined: string[] = [];
  const { takenKey } = timelineAttributes(kept);
  for (let i = 0; i < all.length; i += 100) {
    for (const album of await deps.albums.getMany(all.slice(i, i + 100))) {
      if (album.kind !== 'manual' || album.count >= MAX_ALBUM_IMAGES) continue;
      if (album.owner !== owner && (await deps.albumPeople.get(album.albumId, owner))?.role !== 'contributor') continue;
      if ((await deps.albums.membersAmong(album.albumId, [kept.imageId])).has(kept.imageId)) continue;
      await deps.albums.addMembers(album.albumId, [{ imageId: kept.imageId, takenKey }], at);
      joined.push(album.albumId);
    }
  }
  return joined.sort();
}

/** The writes of the images and places rooms the resolve route's entry point hands over (see the module's note). */
export interface CarryOverWriters {
  /** images/functions/edit-api.ts `writeEdit`. */
  writeEdit(
    item: ImageItem,
    edited: CarriedEdit,
    changed: readonly ImageEdit[],
    stamp: ChangeStamp,
    deps: EditPorts,
  ): Promise<ImageItem>;
  /** places/functions/place-api.ts `writePlace`. */
  writePlace(item: ImageItem, correction: PlaceCorrection, stamp: ChangeStamp, deps: PlacePorts): Promise<unknown>;
  /** people/functions/face-records.ts `recordAssigned`: the record follows a face given to a person. */
  recordAssigned(deps: RepointDeps, owner: string, imageId: string, assigned: FaceAssigned, box: Box): Promise<void>;
  /** people/functions/face-records.ts `recordRemoved`: the record follows faces taken out of a person. */
  recordRemoved(deps: RepointDeps, owner: string, imageId: string, faces: readonly number[]): Promise<void>;
}

/** What writeEdit writes with (edit-api.ts EditDeps). */
export interface EditPorts {
  store: Pick<ImageStore, 'get' | 'editImage' | 'clearUnindexTerms'>;
  index: Pick<ISearchIndex, 'upsert'>;
  publisher: IEventPublisher;
  now?: () => Date;
}

/** What writePlace writes with (place-api.ts PlaceCorrectionDeps). */
export interface PlacePorts extends Omit<EditPorts, 'store'> {
  store: Pick<ImageStore, 'get' | 'correctPlace' | 'clearUnindexTerms'>;
  geocoder: Geocoder;
}

/** The clients and the registry's runtimes the resolve route's entry point opens the carry-over with. */
export interface CarryOverOpening {
  dynamo: DynamoDBDocumentClient;
  publisher: IEventPublisher;
  /** `openCleanups(name, process.env, { dynamo, records: store }, 'trash')` (lambdas/manifest/cleanups.ts). */
  cleanups: readonly Pick<ImageCleanup, 'name' | 'trashed' | 'restored'>[];
  writers: CarryOverWriters;
}

/**
 * The carry-over's adapters, made once per container. The places data is read only when a place is carried (a
 * resolve seldom carries one, and reading it costs the cold start a few hundred milliseconds).
 */
export function openCarryOver(config: CarryOverEnv, opening: CarryOverOpening): CarryOverDeps {
  const { dynamo, publisher, cleanups, writers } = opening;
  const store = new ImageStore(dynamo, config.TABLE_NAME);
  const index = new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: store });
  let geocoder: Geocoder | undefined;
  const people = config.PEOPLE_TABLE ? openPeople(dynamo, config.PEOPLE_TABLE, config.FACE_COLLECTION_ID) : undefined;
  return {
    store,
    edit: (item, edited, changed, stamp) =>
      writers.writeEdit(item, edited, changed, stamp, { store, index, publisher }),
    correctPlace: async (item, correction, stamp) => {
      geocoder ??= openGeocoder();
      return writers.writePlace(item, correction, stamp, { store, index, publisher, geocoder });
    },
    albums: new AlbumStore(dynamo, config.ALBUMS_TABLE),
    albumPeople: new AlbumPeople(dynamo, config.ALBUMS_TABLE),
    ...(people && {
      people: {
        people,
        follow: {
          assigned: (owner, imageId, assigned, box) =>
            writers.recordAssigned({ images: store, index }, owner, imageId, assigned, box),
          removed: (owner, imageId, faces) => writers.recordRemoved({ images: store, index }, owner, imageId, faces),
        },
      },
    }),
    trash: { trash: new ImageTrash(dynamo, config.TABLE_NAME), cleanups, publisher, trashDays: config.TRASH_DAYS },
  };
}
