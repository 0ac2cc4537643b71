import { z } from 'zod';
import type { FunctionEnvironment } from '../../../settings/env';
import type { QueueDeclaration } from '../../../settings/resources';
import { PowertoolsEnvSchema } from '../../../shared/contract';
import { type AlbumsWiring, albumsTableOf } from '../../table-design';

/** The deleted albums' queue: redrive, batching, and how long delete-album-members may take. */
export const DELETED_ALBUMS_QUEUE_DESIGN = {
  /** A message whose handling failed this often (the table or SQS failing) goes to the DLQ, under its alarm. */
  maxReceiveCount: 5,
  dlqRetentionDays: 14,
  /** Pages at once per invocation: each is a Query and 20 BatchWriteItem calls (MEMBERS_PER_MESSAGE, 500). */
  batchSize: 5,
  /** Five pages of 500 deletes, four batches of 25 at a time: well under a minute. */
  timeoutSeconds: 60,
  /** Visibility timeout = this many times the function's timeout (AWS's guidance for SQS event sources). */
  visibilityTimeoutFactor: 6,
} as const;

/** The queue's name: its resource in the uses (`uses.declaredSend`), and its place in the runner. */
export const DELETED_ALBUMS_QUEUE_NAME = 'deleted-albums';

/**
 * The deleted albums' queue (lambdas/albums/deleted-albums.ts): a page of a deleted album's members per message, for
 * delete-album-members. Made by the generic construct (lib/constructs/declared.ts) and the runner's loop.
 */
export const DELETED_ALBUMS_QUEUE: QueueDeclaration = {
  name: DELETED_ALBUMS_QUEUE_NAME,
  redrive: DELETED_ALBUMS_QUEUE_DESIGN,
  consumer: {
    function: 'delete-album-members',
    timeoutSeconds: () => DELETED_ALBUMS_QUEUE_DESIGN.timeoutSeconds,
    batchSize: () => DELETED_ALBUMS_QUEUE_DESIGN.batchSize,
    visibilityTimeoutSeconds: () =>
      DELETED_ALBUMS_QUEUE_DESIGN.visibilityTimeoutFactor * DELETED_ALBUMS_QUEUE_DESIGN.timeoutSeconds,
  },
  // DELETE /albums/{id} sends the first page's message; the consumer the next ones.
  wiring: (deletedAlbumsQueueUrl) => ({ deletedAlbumsQueueUrl }),
};

/** Every variable delete-album-members reads. */
export const DeleteAlbumMembersEnvSchema = PowertoolsEnvSchema.extend({
  /** The albums table (lambdas/albums/table-design.ts). */
  ALBUMS_TABLE: z.string().min(1),
  /** Its own queue: the next page's message goes there. */
  DELETED_ALBUMS_QUEUE_URL: z.string().min(1),
});
export type DeleteAlbumMembersEnv = z.output<typeof DeleteAlbumMembersEnvSchema>;

export interface DeletedAlbumsWiring {
  readonly albums?: AlbumsWiring;
  /** From the queue's declaration (every deployment has it). */
  readonly deletedAlbumsQueueUrl?: string;
}

/** The deleted albums' queue's URL from a function's wiring, which every deployment's has. */
export function deletedAlbumsQueueOf(wiring: DeletedAlbumsWiring): string {
  if (!wiring.deletedAlbumsQueueUrl) {
    throw new Error(
      'the wiring has no deleted albums queue: lambdas/albums/functions/delete-album-members declares it',
    );
  }
  return wiring.deletedAlbumsQueueUrl;
}

/** The environment the stack and the local runner give delete-album-members. */
export function environmentFor(wiring: DeletedAlbumsWiring): FunctionEnvironment {
  return { ALBUMS_TABLE: albumsTableOf(wiring), DELETED_ALBUMS_QUEUE_URL: deletedAlbumsQueueOf(wiring) };
}
