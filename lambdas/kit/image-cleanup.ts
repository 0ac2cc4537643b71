import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { Use } from '../kit/uses';
import type { FunctionEnvironment } from '../settings/env';
import type { ImageItem } from '../store/image-item';

/*
 * What the trash asks of a room that keeps data about an image (its postings, vector, faces, album memberships,
 * stored renditions...). A room implements both halves in its own folder and adds them to the registry
 * (their room.ts `cleanups`, read by lambdas/manifest/cleanups.ts), so the trash names no room and a new room with per-image data edits nothing in trash:
 * - the description (`ImageCleanupContract`): the variables the room's part needs, how the stack and the runner set
 *   them, and the uses the stack grants for them; read by the functions' routes and contracts and by the manifest;
 * - the runtime (`ImageCleanupModule`): how a function opens the room's part from those variables.
 */

/** What a room does for an image that leaves (for good, or for the trash and back). Every hook is idempotent. */
export interface ImageCleanup {
  /** The room's name, for logs and tests. */
  readonly name: string;
  /**
   * The image is being deleted for good, before its record goes (so a failure leaves a record a retry can finish):
   * remove what the room keeps of it, as the record read first says.
   */
  remove(image: ImageItem): Promise<void>;
  /**
   * After the record is deleted: `last` is the record as the delete answered it, `first` the one `remove` was told.
   * What a writer added in between (a late posting, a vector) goes too.
   */
  removeLate?(last: ImageItem, first: ImageItem): Promise<void>;
  /**
   * The image leaves its lists, as the write that took it out answered it: moved to the trash, or into its owner's
   * locked folder. It leaves what lists it. `current` reads the record again (a restore or an unlock may have run
   * meanwhile).
   */
  trashed?(image: ImageItem, current: () => Promise<ImageItem | undefined>): Promise<void>;
  /**
   * The image is listed again, as the write that brought it back answered it: restored from the trash, or unlocked
   * (a restore of a locked image, still locked, comes here too: a hook lists only what `isShown` allows).
   */
  restored?(image: ImageItem): Promise<void>;
  /**
   * Its owner archived it (`PUT /images/{id}/archived`), as the write answered it: it leaves the default lists and
   * the timeline for the archive. A room that shows it in place of others (a stack's primary) hands that on.
   */
  archived?(image: ImageItem): Promise<void>;
}

/** The clients a function made once, at load, that a room's part is opened with. */
export interface CleanupClients {
  readonly dynamo: DynamoDBDocumentClient;
  /** Where the images' objects are: a function that only moves images into and out of the trash has none. */
  readonly s3?: S3Client;
  /** The image records, for a part that writes against them (the search index's `upsert`). Default: none. */
  readonly records?: { get(imageId: string): Promise<ImageItem | undefined> };
}

/** The runtime half: opens the room's part from the function's parsed variables (undefined: its feature is off). */
export interface ImageCleanupModule {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: each room reads its own variables, which its contract declared.
  open(env: any, clients: CleanupClients): ImageCleanup | undefined;
}

/**
 * When the trash calls a room: a delete for good (`purge`), or a move out of the lists and back (`trash`): into and
 * out of the trash, and into and out of the locked folder (lambdas/locked), which take an image out of every list
 * alike. `archive`: its owner archived it, out of the default lists and the timeline only.
 */
export type CleanupOccasion = 'purge' | 'trash' | 'archive';

/**
 * The description half: what a function that runs the room's part needs of the deployment. The function's
 * environment schema takes `envShape` (and `checkEnv`), its environment `environmentFor`, its grants `uses`.
 */
export interface ImageCleanupContract<W = never> {
  readonly name: string;
  /** The occasions its runtime has hooks for. @default ['purge'] */
  readonly occasions?: readonly CleanupOccasion[];
  readonly envShape: z.ZodRawShape;
  /** Refuses variables that do not go together (a feature on without its table), by name. */
  // biome-ignore lint/suspicious/noExplicitAny: the parsed variables of the whole function.
  readonly checkEnv?: (env: any, context: z.RefinementCtx) => void;
  /** The variables, from the wiring the stack and the runner build. */
  environmentFor(wiring: W): FunctionEnvironment;
  /** What the stack grants for it (nothing when its feature is off: each use grants nothing then). */
  readonly uses: readonly Use[];
}

/**
 * The image left every list (moved to the trash, or into its owner's locked folder), as that write answered it: each
 * cleanup's `trashed` hook, in order, with `read` to read the record again (a restore or an unlock may run meanwhile).
 */
export async function leaveLists(
  image: ImageItem,
  cleanups: readonly Pick<ImageCleanup, 'trashed'>[],
  read: (imageId: string) => Promise<ImageItem | undefined>,
): Promise<void> {
  const current = () => read(image.imageId);
  for (const cleanup of cleanups) await cleanup.trashed?.(image, current);
}

/** The image is listed again (back from the trash, or out of the locked folder): each cleanup's `restored` hook. */
export async function listAgain(image: ImageItem, cleanups: readonly Pick<ImageCleanup, 'restored'>[]): Promise<void> {
  for (const cleanup of cleanups) await cleanup.restored?.(image);
}

/** The image was archived: each cleanup's `archived` hook, in order. */
export async function archivedHooks(image: ImageItem, cleanups: readonly Pick<ImageCleanup, 'archived'>[]) {
  for (const cleanup of cleanups) await cleanup.archived?.(image);
}
