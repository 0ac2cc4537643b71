import type { TableDeclaration } from '../settings/resources';

/** At most this many images in one album: its count is raised conditionally, so an add past it is refused. */
export const MAX_ALBUM_IMAGES = 100_000;
/** At most this many albums per owner: the owner's count is raised conditionally with each create. */
export const MAX_ALBUMS_PER_OWNER = 10_000;
/** At most this many owners an album is shared with (its members), checked before each one is added. */
export const MAX_ALBUM_MEMBERS = 50;

/**
 * The albums table, shared by the generic construct (lib/constructs/declared.ts), the store and the local runner.
 * Items:
 *
 * | item                          | pk                | sk           | besides                                        |
 * | ----------------------------- | ----------------- | ------------ | ---------------------------------------------- |
 * | album                         | `AL#<albumId>`    | `META`       | owner, name, kind, smart, order, count, coverImageId, createdAt, updatedAt; `albumOwner`, `albumSort` |
 * | member (an image in it)       | `AL#<albumId>`    | `I#<imageId>` | imageId, addedAt; `memberAlbum`, `memberAdded`, `memberTaken`, `memberImage` |
 * | an owner's album count        | `OWN#<owner>`     | `ALBUMS`     | albums                                         |
 * | a person it is shared with    | `AL#<albumId>`    | `P#<owner>`  | albumId, member, role, owner (the album's), addedAt; `sharedWith`, `sharedSort` |
 *
 * Access patterns:
 *
 * | pattern                                              | how                                                    |
 * | ---------------------------------------------------- | ------------------------------------------------------ |
 * | an album, by id (every route; a share's album)       | GetItem `AL#<id>`/`META`; its owner checked            |
 * | an owner's albums, newest first (`GET /albums`)      | Query `byOwnerAlbums` descending, a page at a time     |
 * | create within the owner's limit                      | a transaction: the owner's count raised conditionally, the album put |
 * | an album's images, newest added first                | Query `byAlbumAdded` on the album id, descending       |
 * | an album's images, newest taken first                | Query `byAlbumTaken` on the album id, descending       |
 * | add or remove an image, idempotently, within the cap | BatchGetItem of the members' keys (which are known: `I#<imageId>`), then a transaction of the new ones' conditional puts (or deletes) and the album's `count` moved conditionally |
 * | an image's albums (`GET /images/{id}/albums`, a purge) | Query `byImageAlbums` on the image id                |
 * | a deleted album's members, a page per queue message  | Query `byAlbumAdded` from the message's cursor; BatchWriteItem deletes |
 * | the people an album is shared with, and their roles  | Query the table on `AL#<id>`, `sk` beginning `P#` (at most 50) |
 * | whether the caller is one of them (every album route) | GetItem `AL#<id>`/`P#<caller>`                        |
 * | the albums shared with an owner, newest first        | Query `bySharedWith` descending, then BatchGetItem of their albums |
 *
 * A member's key needs no order: both orders are indexes, so changing an album's order rewrites nothing. An album of
 * 100,000 images and an owner of 10,000 albums are read a page at a time by key, never by a scan. A deleted album's
 * members are deleted after it, by the deleted albums' queue (deleted-albums.ts): a page of `byAlbumAdded` per
 * message, BatchWriteItem deletes of 25, then the next page's message. Until then they are invisible, since every read
 * of a member starts from its album's item or checks it.
 *
 * An album shared with another owner (album-sharing.ts: `PUT /albums/{id}/members/{owner}`) has an item per person,
 * in the album's partition (its owner lists them with one Query) and, by `sharedWith`, in the person's own partition
 * of `bySharedWith`: their "shared with me" is read by key, never by a scan. A deleted album's people are left with
 * its members' queue; until then their albums are read by key and, gone, left out.
 */
export const ALBUMS_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    byOwnerAlbums: {
      indexName: 'byOwnerAlbums',
      /** The album's owner. Only album items have it. */
      partitionKey: 'albumOwner',
      /** `<createdAt>#<albumId>`: read descending, newest first. */
      sortKey: 'albumSort',
      projection: 'ALL',
    },
    byAlbumAdded: {
      indexName: 'byAlbumAdded',
      /** The album a member is in. Only member items have it. */
      partitionKey: 'memberAlbum',
      /** `<addedAt>#<imageId>`: when it was added. */
      sortKey: 'memberAdded',
      projection: 'KEYS_ONLY',
    },
    byAlbumTaken: {
      indexName: 'byAlbumTaken',
      partitionKey: 'memberAlbum',
      /** The image's `takenKey` when it was added (`<date taken or uploaded>#<imageId>`, store/timeline-key.ts). */
      sortKey: 'memberTaken',
      projection: 'KEYS_ONLY',
    },
    bySharedWith: {
      indexName: 'bySharedWith',
      /** The owner an album is shared with. Only the items of the people an album is shared with have it. */
      partitionKey: 'sharedWith',
      /** `<addedAt>#<albumId>`: read descending, newest shared first. */
      sortKey: 'sharedSort',
      projection: 'ALL',
    },
    byImageAlbums: {
      indexName: 'byImageAlbums',
      /** The image a member is. Only member items have it. */
      partitionKey: 'memberImage',
      /** The album's id. */
      sortKey: 'memberAlbum',
      projection: 'KEYS_ONLY',
    },
  },
} as const;

export function albumKey(albumId: string) {
  return { pk: `AL#${albumId}`, sk: 'META' };
}

export function memberKey(albumId: string, imageId: string) {
  return { pk: `AL#${albumId}`, sk: `I#${imageId}` };
}

/** The item of an owner an album is shared with (a member, in the API's words; not an image in it). */
export function albumPersonKey(albumId: string, person: string) {
  return { pk: `AL#${albumId}`, sk: `P#${person}` };
}

export function albumCountKey(owner: string) {
  return { pk: `OWN#${owner}`, sk: 'ALBUMS' };
}

/** Where the albums are kept: every deployment has albums. */
export interface AlbumsWiring {
  readonly tableName: string;
}

/** The albums table's name from a function's wiring, which every deployment's has (the declaration's part). */
export function albumsTableOf(wiring: { readonly albums?: AlbumsWiring }): string {
  if (!wiring.albums) throw new Error('the wiring has no albums table: lambdas/albums/table-design.ts declares it');
  return wiring.albums.tableName;
}

/** Albums, their images and each owner's count (docs/api.md#albums). */
export const ALBUMS_TABLE: TableDeclaration = {
  name: 'albums',
  design: ALBUMS_TABLE_DESIGN,
  wiring: (tableName) => ({ albums: { tableName } satisfies AlbumsWiring }),
  output: { name: 'AlbumsTableName', description: 'Albums and the images in them' },
};
