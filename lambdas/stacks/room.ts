import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { THUMBNAIL_PREFIX } from '../store/keys';
import { STACKS_ARCHIVE_CLEANUP, STACKS_CLEANUP } from './cleanup-contract';
import { route as createStack } from './functions/create-stack/route';
import { route as deleteStack } from './functions/delete-stack/route';
import { route as getStack } from './functions/get-stack/route';
import { route as setStackPrimary } from './functions/set-stack-primary/route';
import { StacksEnvSchema, stacksEnvironment } from './functions/stacks-contract';
import { STACK_STEP } from './steps/stack-contract';
import { STACKS_TABLE } from './table-design';

const TABLE = STACKS_TABLE.name;
// The frames' thumbnails are linked to (presigned: local signing, granted as a read).
const THUMBNAILS = uses.objects(THUMBNAIL_PREFIX, 's3:GetObject');

/**
 * Stacks (docs/api.md#stacks): one photo shown once for a burst or one shot in two formats, and stacks an owner
 * makes. A stack's frames are its photos' records (`stack`, `stackedIn`: list-shards.ts files the frames behind
 * the primary), so `GET /images` and the timeline show a stack once without reading this table.
 */
export const STACKS_ROOM = {
  routes: [
    {
      room: 'stacks',
      route: createStack,
      environmentFor: stacksEnvironment,
      envSchema: StacksEnvSchema,
      // The photos read; the stack put with every photo's record updated (one transaction).
      uses: [uses.declaredItems(TABLE, 'PutItem'), uses.resultsItems('GetItem', 'UpdateItem'), THUMBNAILS],
    },
    {
      room: 'stacks',
      route: getStack,
      environmentFor: stacksEnvironment,
      envSchema: StacksEnvSchema,
      // The stack, then its frames' records by key.
      uses: [uses.declaredItems(TABLE, 'GetItem'), uses.resultsItems('GetItem'), THUMBNAILS],
    },
    {
      room: 'stacks',
      route: setStackPrimary,
      environmentFor: stacksEnvironment,
      envSchema: StacksEnvSchema,
      // The stack read and put again with the old and new primaries' records (one transaction).
      uses: [uses.declaredItems(TABLE, 'GetItem', 'PutItem'), uses.resultsItems('GetItem', 'UpdateItem'), THUMBNAILS],
    },
    {
      room: 'stacks',
      route: deleteStack,
      environmentFor: stacksEnvironment,
      envSchema: StacksEnvSchema,
      // The stack read and deleted with every frame's record updated (one transaction).
      uses: [uses.declaredItems(TABLE, 'GetItem', 'DeleteItem'), uses.resultsItems('GetItem', 'UpdateItem')],
    },
  ],
  tables: [STACKS_TABLE],
  steps: [
    {
      declaration: STACK_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/stack') as typeof import('./steps/stack')).stackStep,
    },
  ],
  cleanups: [
    {
      contract: STACKS_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).STACKS_CLEANUP_MODULE,
    },
    {
      contract: STACKS_ARCHIVE_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).STACKS_ARCHIVE_CLEANUP_MODULE,
    },
  ],
} satisfies RoomManifest;
