import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import { THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../store/keys';
import {
  route as deleteImage,
  environmentFor as deleteImageEnvironment,
  DeleteImageEnvSchema as deleteImageEnvSchema,
} from './functions/delete-image/route';
import {
  route as emptyTrash,
  environmentFor as emptyTrashEnvironment,
  EmptyTrashEnvSchema as emptyTrashEnvSchema,
} from './functions/empty-trash/route';
import {
  PurgeTrashEnvSchema,
  environmentFor as purgeTrashEnvironment,
  TRASH_QUEUE,
  TRASH_SWEEP,
} from './functions/purge-trash/contract';
import {
  route as restoreImage,
  environmentFor as restoreImageEnvironment,
  RestoreImageEnvSchema as restoreImageEnvSchema,
} from './functions/restore-image/route';

/**
 * The trash and the purge (docs/api.md "Trash"): an image trashed, restored or deleted for good, an owner's trash
 * emptied, and the purge of what is due, a page of the trash at a time from its queue and its daily sweep.
 */
export const TRASH_ROOM = {
  routes: [
    {
      room: 'trash',
      route: deleteImage,
      environmentFor: deleteImageEnvironment,
      envSchema: deleteImageEnvSchema,
      uses: [
        // UpdateItem: a move to the trash (store/image-trash.ts); DeleteItem: a delete for good.
        uses.resultsItems('GetItem', 'UpdateItem', 'DeleteItem'),
        uses.objects(UPLOAD_PREFIX, 's3:DeleteObject'),
        uses.objects(THUMBNAIL_PREFIX, 's3:DeleteObject'),
        uses.putEvents(),
        // With webhooks on, its event also goes to the webhooks' queue.
        uses.webhookQueue(),
      ],
      // Each room's part of a delete for good and of a move to the trash (its renditions, postings, vector, faces,
      // albums): their variables and uses come with them (lambdas/manifest/cleanups.ts).
      cleansUp: ['purge', 'trash'],
    },
    {
      room: 'trash',
      route: restoreImage,
      environmentFor: restoreImageEnvironment,
      envSchema: restoreImageEnvSchema,
      // Read the record, a conditional update of its status and list keys, then its postings back (the cleanups of
      // the occasion `trash`).
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.putEvents(), uses.webhookQueue()],
      cleansUp: ['trash'],
    },
    {
      room: 'trash',
      route: emptyTrash,
      environmentFor: emptyTrashEnvironment,
      envSchema: emptyTrashEnvSchema,
      // One message per shard of the caller's trash: the purge function reads and deletes.
      uses: [uses.declaredSend(TRASH_QUEUE.name)],
    },
  ],
  functions: {
    'purge-trash': {
      room: 'trash',
      does: 'Deletes images whose time in the trash is up, or whose owner emptied the trash',
      trigger:
        'the trash queue: the daily sweep (an EventBridge rule), pages of the trash and purges, with partial failures',
      environmentFor: purgeTrashEnvironment,
      envSchema: PurgeTrashEnvSchema,
      uses: [
        // A page of one shard of the trash: everyone's (the sweep) or one owner's (an emptied trash).
        uses.resultsQuery('byStatusSharded', 'byOwnerStatusSharded'),
        // Each image: its record read, claimed (`purging`), then deleted as delete-image does, with the same uses.
        uses.resultsItems('GetItem', 'UpdateItem', 'DeleteItem'),
        uses.objects(UPLOAD_PREFIX, 's3:DeleteObject'),
        uses.objects(THUMBNAIL_PREFIX, 's3:DeleteObject'),
        uses.putEvents(),
        uses.webhookQueue(),
        // The next page, and each image's purge.
        uses.declaredSend(TRASH_QUEUE.name),
      ],
      // Each room's part of the purge.
      cleansUp: ['purge'],
    },
  },
  queues: [TRASH_QUEUE],
  schedules: [TRASH_SWEEP],
} satisfies RoomManifest;
