import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import { SHARES_TABLE } from '../shares/table-design';
import { THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../store/keys';
import { ALBUMS_CLEANUP } from './cleanup-contract';
import { route as addAlbumImages } from './functions/add-album-images/route';
import {
  AlbumReadEnvSchema,
  AlbumsEnvSchema,
  albumReadEnvironment,
  albumsEnvironment,
  DeleteAlbumEnvSchema,
  deleteAlbumEnvironment,
} from './functions/albums-contract';
import { route as createAlbum } from './functions/create-album/route';
import { route as createAlbumShare } from './functions/create-album-share/route';
import { route as createImageShare } from './functions/create-image-share/route';
import { route as deleteAlbum } from './functions/delete-album/route';
import {
  DELETED_ALBUMS_QUEUE,
  DeleteAlbumMembersEnvSchema,
  environmentFor as deleteAlbumMembersEnvironment,
} from './functions/delete-album-members/contract';
import { route as getAlbum } from './functions/get-album/route';
import { route as getShared } from './functions/get-shared/route';
import { route as listAlbums } from './functions/list-albums/route';
import { route as listImageAlbums } from './functions/list-image-albums/route';
import { route as listShares } from './functions/list-shares/route';
import { route as removeAlbumImages } from './functions/remove-album-images/route';
import { route as removeAlbumMember } from './functions/remove-album-member/route';
import { route as revokeShare } from './functions/revoke-share/route';
import { route as saveShared } from './functions/save-shared/route';
import { route as setAlbumMember } from './functions/set-album-member/route';
import {
  AlbumShareEnvSchema,
  albumShareEnvironment,
  GetSharedEnvSchema,
  getSharedEnvironment,
  ListSharesEnvSchema,
  listSharesEnvironment,
  RevokeShareEnvSchema,
  revokeShareEnvironment,
  SaveSharedEnvSchema,
  ShareEditEnvSchema,
  saveSharedEnvironment,
  shareEditEnvironment,
} from './functions/share-contract';
import { route as updateAlbum } from './functions/update-album/route';
import { ALBUMS_TABLE } from './table-design';

const TABLE = ALBUMS_TABLE.name;
/** The thumbnail an album's cover links to, by a presigned GET signed with the route's role. */
const COVERS = uses.objects(THUMBNAIL_PREFIX, 's3:GetObject');
/** The images' records, read by key and projected: whose each is, its status, where it sorts by date taken. */
const IMAGE_REFS = uses.resultsItems('BatchGetItem');

/**
 * Albums (docs/api.md#albums): an owner's manual albums and smart albums (a saved search), in every deployment. Each
 * route reads the album it is about first, its owner checked, then uses only the albums table's actions it sends.
 */
const ALBUM_ROUTES = [
  {
    room: 'albums',
    route: createAlbum,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // One transaction: the owner's count raised within the limit, the album put.
    uses: [uses.declaredItems(TABLE, 'PutItem', 'UpdateItem')],
  },
  {
    room: 'albums',
    route: listAlbums,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // A page of the owner's albums: the owners' index; the records of their covers, projected (a cover no longer
    // the owner's, or in the trash, is not linked); an album without a cover shown, its newest image in its order
    // (Limit 1) and that image's record. With `shared=true` a page of the albums shared with the caller (their
    // index), and those albums by key.
    uses: [
      COVERS,
      IMAGE_REFS,
      uses.declaredQuery(TABLE, 'byOwnerAlbums', 'byAlbumAdded', 'byAlbumTaken', 'bySharedWith'),
      uses.declaredItems(TABLE, 'BatchGetItem'),
    ],
  },
  {
    room: 'albums',
    route: getAlbum,
    environmentFor: albumReadEnvironment,
    envSchema: AlbumReadEnvSchema,
    uses: [
      COVERS,
      // The album (and the caller's item in it, for a member); whom it is shared with, in its partition; a page of
      // its members in its order; their records, projected (ImageStore.summaries); its cover's record, and without a
      // cover shown, its newest member and its record (albumViews).
      uses.declaredItems(TABLE, 'GetItem'),
      uses.declaredQuery(TABLE, 'table', 'byAlbumAdded', 'byAlbumTaken'),
      uses.resultsItems('BatchGetItem'),
      // A smart album's search, as GET /images runs it (its uses in lambdas/images/room.ts): the postings; with
      // faceGrouping a `person=` and the people a word of `q=` names; with searchByMeaning the vector index.
      uses.search('query'),
      uses.people('read'),
      uses.peopleItems('Query'),
      uses.meaning('query'),
    ],
  },
  {
    room: 'albums',
    route: updateAlbum,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // The album, the cover's record and membership, then a conditional update; the cover's record for the answer.
    uses: [COVERS, IMAGE_REFS, uses.declaredItems(TABLE, 'GetItem', 'BatchGetItem', 'UpdateItem')],
  },
  {
    room: 'albums',
    route: deleteAlbum,
    environmentFor: deleteAlbumEnvironment,
    envSchema: DeleteAlbumEnvSchema,
    // One transaction: the album deleted, the owner's count lowered; then its members handed to the deleted albums'
    // queue, which deletes them a page at a time (delete-album-members).
    uses: [
      uses.declaredItems(TABLE, 'GetItem', 'DeleteItem', 'UpdateItem'),
      uses.declaredSend(DELETED_ALBUMS_QUEUE.name),
    ],
  },
  {
    room: 'albums',
    route: addAlbumImages,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // The album (and a member's item in it); the images' records; which are members already (by key); transactions
    // of the new members' puts with the album's count; the album read again for the answer, and its cover's record.
    uses: [COVERS, IMAGE_REFS, uses.declaredItems(TABLE, 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem')],
  },
  {
    room: 'albums',
    route: removeAlbumImages,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // The album (and a member's item in it); which are members (by key), and for a contributor their records;
    // transactions of their deletes with the album's count; the album again, and its cover's record (still the
    // owner's, not in the trash: then it is linked).
    uses: [COVERS, IMAGE_REFS, uses.declaredItems(TABLE, 'GetItem', 'BatchGetItem', 'DeleteItem', 'UpdateItem')],
  },
  {
    room: 'albums',
    route: setAlbumMember,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // The album and the person's item in it, by key; a new one counted among those there (a Query of its partition);
    // their item put.
    uses: [uses.declaredItems(TABLE, 'GetItem', 'PutItem'), uses.declaredQuery(TABLE, 'table')],
  },
  {
    room: 'albums',
    route: removeAlbumMember,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // The album, by key; the person's item deleted.
    uses: [uses.declaredItems(TABLE, 'GetItem', 'DeleteItem')],
  },
  {
    room: 'albums',
    route: listImageAlbums,
    environmentFor: albumsEnvironment,
    envSchema: AlbumsEnvSchema,
    // The image's record; its memberships (the images' index); their albums, by key.
    uses: [IMAGE_REFS, uses.declaredQuery(TABLE, 'byImageAlbums'), uses.declaredItems(TABLE, 'BatchGetItem')],
  },
];

/** A link made or revoked: its event, on the bus and (webhooks on) to the webhooks' queue. */
const SHARE_EVENTS = [uses.putEvents(), uses.webhookQueue()];

/**
 * The share links (docs/api.md#share-links): made by an album's or an image's owner, listed and revoked by them, and
 * opened by anyone (`GET /shared/{token}`, public). Each uses only the shares table's actions it sends, and beyond.
 */
const SHARE_ROUTES = [
  {
    room: 'albums',
    route: createImageShare,
    environmentFor: shareEditEnvironment,
    envSchema: ShareEditEnvSchema,
    // The image's record (its owner and status), then the link put under its token's hash.
    uses: [uses.resultsItems('GetItem'), uses.declaredItems(SHARES_TABLE.name, 'PutItem'), ...SHARE_EVENTS],
  },
  {
    room: 'albums',
    route: createAlbumShare,
    environmentFor: albumShareEnvironment,
    envSchema: AlbumShareEnvSchema,
    // The album (its owner and name), then the link put under its token's hash.
    uses: [uses.declaredItems(TABLE, 'GetItem'), uses.declaredItems(SHARES_TABLE.name, 'PutItem'), ...SHARE_EVENTS],
  },
  {
    room: 'albums',
    route: listShares,
    environmentFor: listSharesEnvironment,
    envSchema: ListSharesEnvSchema,
    // A page of the owner's links, newest first; their views (each link's own item, out of the index), by key; the
    // shared photos' records (file name, thumbnails), by key, and their thumbnails, linked to.
    uses: [
      uses.declaredQuery(SHARES_TABLE.name, 'byOwnerShares'),
      uses.declaredItems(SHARES_TABLE.name, 'BatchGetItem'),
      IMAGE_REFS,
      COVERS,
    ],
  },
  {
    room: 'albums',
    route: revokeShare,
    environmentFor: revokeShareEnvironment,
    envSchema: RevokeShareEnvSchema,
    // The link read, by its token's hash or (by its shareId) among the owner's links; its views given the link's
    // TTL; a conditional update marking it revoked.
    uses: [
      uses.declaredItems(SHARES_TABLE.name, 'GetItem', 'UpdateItem'),
      uses.declaredQuery(SHARES_TABLE.name, 'byOwnerShares'),
      ...SHARE_EVENTS,
    ],
  },
  {
    room: 'albums',
    route: getShared,
    environmentFor: getSharedEnvironment,
    envSchema: GetSharedEnvSchema,
    uses: [
      // The link by its hash; its view counted (its views' own item); a protected link's wrong passwords counted in
      // their window.
      uses.declaredItems(SHARES_TABLE.name, 'GetItem', 'UpdateItem'),
      // Each shared image's record (owner, status, size), by key.
      uses.resultsItems('GetItem'),
      // An album's page as GET /albums/{id} reads it (album-read.ts): the album, its members in its order, their
      // records projected; a smart album's search as GET /images runs it for its owner (a filtered list: the
      // postings; with faceGrouping a `person=` and the people a word of `q=` names; with searchByMeaning the vector
      // index).
      uses.declaredItems(TABLE, 'GetItem'),
      uses.declaredQuery(TABLE, 'byAlbumAdded', 'byAlbumTaken'),
      uses.resultsItems('BatchGetItem'),
      uses.search('query'),
      uses.people('read'),
      uses.peopleItems('Query'),
      uses.meaning('query'),
      // Its renditions' and its original's URLs, signed with the current key (the render function, which checks the
      // link on each request, renders them and presigns the original).
      uses.signRenditions(),
    ],
  },
  {
    room: 'albums',
    route: saveShared,
    environmentFor: saveSharedEnvironment,
    envSchema: SaveSharedEnvSchema,
    uses: [
      // The link by its hash, a protected link's wrong passwords counted, the save claimed (a conditional put, read
      // back when another claimed it first).
      uses.declaredItems(SHARES_TABLE.name, 'GetItem', 'UpdateItem', 'PutItem'),
      // An album link's album and whether the photo is a member of it (by key).
      uses.declaredItems(TABLE, 'GetItem', 'BatchGetItem'),
      // The photo's record, the copy's if saved before, and the copy's PENDING record put.
      uses.resultsItems('GetItem', 'PutItem'),
      // The signing keys: a link's photo ids are enciphered under a key of the link derived from them.
      uses.signRenditions(),
      // The original read (to take its position out) or copied within S3, and the copy put under uploads/, which
      // the processor analyses; a backfilled original is read where it is.
      uses.objects(UPLOAD_PREFIX, 's3:GetObject', 's3:PutObject'),
      // ListBucket, so that an original gone missing is a 404 NoSuchKey, not a 403.
      uses.list(UPLOAD_PREFIX),
      uses.sourceObjects(),
    ],
  },
];

/**
 * The albums room: its routes, the function that deletes a deleted album's members from its queue, and its tables
 * (shares are added by lambdas/shares/).
 */
export const ALBUMS_ROOM: RoomManifest = {
  routes: [...ALBUM_ROUTES, ...SHARE_ROUTES],
  functions: {
    'delete-album-members': {
      room: 'albums',
      does: "Deletes a deleted album's memberships, a page per message",
      trigger: "the deleted albums' queue: a page of a deleted album's members per message, partial batch failures",
      environmentFor: deleteAlbumMembersEnvironment,
      envSchema: DeleteAlbumMembersEnvSchema,
      uses: [
        // The album read (it must be gone); with the first page, the owners it was shared with (its partition); a
        // page of its members; their deletes in batches of 25; the next page's message.
        uses.declaredItems(TABLE, 'GetItem', 'BatchWriteItem'),
        uses.declaredQuery(TABLE, 'table', 'byAlbumAdded'),
        uses.declaredSend(DELETED_ALBUMS_QUEUE.name),
      ],
    },
  },
  tables: [ALBUMS_TABLE, SHARES_TABLE],
  queues: [DELETED_ALBUMS_QUEUE],
  cleanups: [
    {
      contract: ALBUMS_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).ALBUMS_CLEANUP_MODULE,
    },
  ],
};
