import { z } from 'zod';
import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import { STACKS_TABLE, type StacksWiring, stacksTableOf } from './table-design';

/** A photo leaves its stack when it leaves the lists (the trash, the locked folder) or for good, with its postings. */
export const STACKS_CLEANUP = {
  name: 'stacks',
  occasions: ['purge', 'trash'],
  envShape: {
    /** The stacks table (lambdas/stacks/table-design.ts). */
    STACKS_TABLE: z.string().min(1),
    /** The results table: the stack's other frames are filed again there. */
    TABLE_NAME: z.string().min(1),
  },
  environmentFor: (wiring: { readonly stacks?: StacksWiring; readonly tableName: string }) => ({
    STACKS_TABLE: stacksTableOf(wiring),
    TABLE_NAME: wiring.tableName,
  }),
  uses: [
    // The stack read, then put again without the photo or deleted (a stack of one), with the frames' records (one
    // transaction); its postings deleted for good.
    uses.declaredItems(STACKS_TABLE.name, 'GetItem', 'PutItem', 'DeleteItem'),
    uses.resultsItems('GetItem', 'UpdateItem'),
  ],
} as const satisfies ImageCleanupContract<{ readonly stacks?: StacksWiring; readonly tableName: string }>;

/**
 * An archived primary hands its place to the stack's next frame (stacks.ts stepBack), so the stack stays in the
 * timeline: a cleanup of its own, so that the archive route is granted what this needs and no more.
 */
export const STACKS_ARCHIVE_CLEANUP = {
  name: 'stacks-archive',
  occasions: ['archive'],
  envShape: STACKS_CLEANUP.envShape,
  environmentFor: STACKS_CLEANUP.environmentFor,
  uses: [
    // The record and the stack read, the frames' records; the stack put again with another primary, with every
    // frame's record (one transaction).
    uses.declaredItems(STACKS_TABLE.name, 'GetItem', 'PutItem'),
    uses.resultsItems('GetItem', 'UpdateItem'),
  ],
} as const satisfies ImageCleanupContract<{ readonly stacks?: StacksWiring; readonly tableName: string }>;
