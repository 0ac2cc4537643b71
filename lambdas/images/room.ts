import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import { LOCKED_TABLE } from '../locked/table-design';
import { THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../store/keys';
import { RESULTS_TABLE } from '../store/table-design';
import { route as clearDateTaken } from './functions/clear-date-taken/route';
import {
  route as correctLabels,
  environmentFor as correctLabelsEnvironment,
  CorrectLabelsEnvSchema as correctLabelsEnvSchema,
} from './functions/correct-labels/route';
import {
  route as createUpload,
  environmentFor as createUploadEnvironment,
  CreateUploadEnvSchema as createUploadEnvSchema,
} from './functions/create-upload/route';
import { route as cropImage } from './functions/crop-image/route';
import { EditEnvSchema, editEnvironment } from './functions/edit-contract';
import { route as editTags } from './functions/edit-tags/route';
import {
  route as getImage,
  environmentFor as getImageEnvironment,
  GetImageEnvSchema as getImageEnvSchema,
} from './functions/get-image/route';
import {
  route as listImages,
  environmentFor as listImagesEnvironment,
  ListImagesEnvSchema as listImagesEnvSchema,
} from './functions/list-images/route';
import { ReanalysisEnvSchema, reanalysisEnvironment } from './functions/reanalysis-contract';
import {
  route as reownImage,
  environmentFor as reownImageEnvironment,
  ReownImageEnvSchema as reownImageEnvSchema,
} from './functions/reown-image/route';
import { route as rotateImage } from './functions/rotate-image/route';
import { route as setArchived } from './functions/set-archived/route';
import { route as setDateTaken } from './functions/set-date-taken/route';
import { route as setFavourite } from './functions/set-favourite/route';
import {
  route as setLocked,
  environmentFor as setLockedEnvironment,
  SetLockedEnvSchema as setLockedEnvSchema,
} from './functions/set-locked/route';
import { route as uncropImage } from './functions/uncrop-image/route';

/** Checking an unlock token: the owner's PIN version, and the rendition signing keys it is signed with. */
const UNLOCK_CHECK = [uses.declaredItems(LOCKED_TABLE.name, 'GetItem'), uses.signRenditions()];

/** Each edit reads the record, then updates it conditionally; its postings follow in batches; `Image Updated`. */
const SEARCH_WRITE = uses.search('write');
const EDIT_USES = [uses.resultsItems('GetItem', 'UpdateItem'), SEARCH_WRITE, uses.putEvents(), uses.webhookQueue()];

/**
 * The images: their upload, list, detail, label corrections and re-own, and what a photo's owner changes after upload
 * (docs/api.md "Edits"): its tags, its date taken (or back to its own), whether it is a favourite, its rotation, its crop, whether archived. The
 * results table, every image's record, is theirs.
 */
export const IMAGES_ROOM = {
  routes: [
    {
      room: 'images',
      route: createUpload,
      environmentFor: createUploadEnvironment,
      envSchema: createUploadEnvSchema,
      // The presigned POST is signed with this role, so the role must be allowed the upload it signs.
      // With `sha256`: the caller's image with those bytes, from the keys-only index, before anything is stored.
      uses: [
        uses.resultsItems('PutItem'),
        uses.resultsQuery('byOwnerSha256'),
        uses.objects(UPLOAD_PREFIX, 's3:PutObject'),
      ],
    },
    {
      room: 'images',
      route: listImages,
      environmentFor: listImagesEnvironment,
      envSchema: listImagesEnvSchema,
      uses: [
        // Every owner's images for admins; one owner's for everyone else.
        // `sort=taken`: one owner's timeline, by date taken (byOwnerTakenSharded).
        uses.resultsQuery(
          'byCreatedSharded',
          'byStatusSharded',
          'byOwnerSharded',
          'byOwnerStatusSharded',
          'byOwnerTakenSharded',
        ),
        // A plain page's details: its final images' records, by key.
        uses.resultsItems('BatchGetItem'),
        // Filtered lists read the search index's postings.
        uses.search('query'),
        // A page links to its images' thumbnails: the presigned GETs are signed with this role.
        uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
        // With faceGrouping, `person=` reads the person (and the people merged into it); a word of `q=` reads the
        // people filed under its prefix (people/person-names.ts), then each of them.
        uses.people('read'),
        uses.peopleItems('Query'),
        // With searchByMeaning, a `q=` search embeds its text and queries the vector index.
        uses.meaning('query'),
        // `locked=true` checks the unlock token: signed with the rendition keys, under the owner's PIN version.
        ...UNLOCK_CHECK,
        // `partner=`, `partners=all` (partners/partner-reads.ts): the grant by key, or those received; a grant of
        // albums: the albums by key (still the grantor's), and each in its taken order.
        uses.declaredItems('partners', 'GetItem'),
        uses.declaredQuery('partners', 'byGrantee'),
        uses.declaredItems('albums', 'BatchGetItem'),
        uses.declaredQuery('albums', 'byAlbumTaken'),
      ],
    },
    {
      room: 'images',
      route: getImage,
      environmentFor: getImageEnvironment,
      envSchema: getImageEnvSchema,
      uses: [
        uses.resultsItems('GetItem'),
        uses.objects(UPLOAD_PREFIX, 's3:GetObject'),
        uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
        // A PROCESSED image's answer has a signed rendition URL per preset.
        uses.signRenditions(),
        // With faceGrouping, the answer names the people of the image's faces.
        uses.people('read'),
        // A backfilled image's detail links to its original, where it stays: in its source bucket.
        uses.backfill('source-reads'),
        // A locked image's answer checks the unlock token's PIN version (its key set is the signing grant's).
        uses.declaredItems(LOCKED_TABLE.name, 'GetItem'),
        // Another owner's image, read by a partner: that owner's grant by key; for a grant of albums, the image's
        // albums (`byImageAlbums`) and those albums by key (still the grantor's).
        uses.declaredItems('partners', 'GetItem'),
        uses.declaredItems('albums', 'BatchGetItem'),
        uses.declaredQuery('albums', 'byImageAlbums'),
      ],
    },
    {
      room: 'images',
      route: correctLabels,
      environmentFor: correctLabelsEnvironment,
      envSchema: correctLabelsEnvSchema,
      // Read the record, then a conditional update of its labels; the label postings follow in batches.
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.search('write'), uses.putEvents(), uses.webhookQueue()],
    },
    {
      room: 'images',
      route: reownImage,
      environmentFor: reownImageEnvironment,
      envSchema: reownImageEnvSchema,
      // The record read, then one message to the processor, which moves everything keyed by the owner.
      uses: [uses.resultsItems('GetItem'), uses.ingestQueue()],
    },
    ...[editTags, setDateTaken, clearDateTaken, setFavourite].map((route) => ({
      room: 'images',
      route,
      environmentFor: editEnvironment,
      envSchema: EditEnvSchema,
      uses: EDIT_USES,
    })),
    {
      room: 'images',
      route: setArchived,
      environmentFor: editEnvironment,
      envSchema: EditEnvSchema,
      // An edit in every way but one: it writes no posting (a search finds archived images too), so no search grant.
      // The rooms told of an archive (occasion `archive`: a stack's primary hands its place on) add theirs.
      uses: EDIT_USES.filter((use) => use !== SEARCH_WRITE),
      cleansUp: ['archive'],
    },
    {
      room: 'images',
      route: setLocked,
      environmentFor: setLockedEnvironment,
      envSchema: setLockedEnvSchema,
      // Into the locked folder (lambdas/locked) or out: read the record, a conditional update of `locked` and its list
      // keys, then its postings out or back (the cleanups of the occasion `trash`, as the trash's); `Image Updated`.
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.putEvents(), uses.webhookQueue()],
      cleansUp: ['trash'],
    },
    // A rotation and a crop (and its undoing) are edits that change no search term, and send the image to the
    // processor to be made again: the same environment, uses and use case (functions/reanalysis.ts).
    ...[rotateImage, cropImage, uncropImage].map((route) => ({
      room: 'images',
      route,
      environmentFor: reanalysisEnvironment,
      envSchema: ReanalysisEnvSchema,
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.putEvents(), uses.webhookQueue(), uses.ingestQueue()],
    })),
  ],
  tables: [RESULTS_TABLE],
} satisfies RoomManifest;
