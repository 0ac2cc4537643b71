import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { postingsOf } from './auto-stack';
import { STACKS_ARCHIVE_CLEANUP, STACKS_CLEANUP } from './cleanup-contract';
import { type PostingPort, StackStore } from './stack-store';
import { leaveStack, type StacksDeps, stepBack } from './stacks';

/**
 * A photo that leaves the lists (moved to the trash or into the locked folder) leaves its stack, which goes on
 * without it (stacks.ts leaveStack); one deleted for good also takes its postings, so no later photo finds it. A
 * restore or an unlock does not put it back: its owner stacks it again.
 */
export function stacksCleanup(deps: StacksDeps & { postings: Pick<PostingPort, 'unpost'> }): ImageCleanup {
  return {
    name: STACKS_CLEANUP.name,
    remove: async (image) => {
      await leaveStack(image.imageId, deps);
      await deps.postings.unpost(postingsOf(image));
    },
    trashed: (image) => leaveStack(image.imageId, deps),
  };
}

/** An archived primary hands its place to the next frame (stacks.ts stepBack): the stack stays in the timeline. */
export function stacksArchiveCleanup(deps: StacksDeps): ImageCleanup {
  return {
    name: STACKS_ARCHIVE_CLEANUP.name,
    // Archiving is no removal: the archive's hook is its only one.
    remove: async () => undefined,
    archived: (image) => stepBack(image.imageId, deps),
  };
}

export const STACKS_ARCHIVE_CLEANUP_MODULE: ImageCleanupModule = {
  name: STACKS_ARCHIVE_CLEANUP.name,
  open: (env: { STACKS_TABLE: string; TABLE_NAME: string }, { dynamo }) =>
    stacksArchiveCleanup({ stacks: new StackStore(dynamo, env.STACKS_TABLE, env.TABLE_NAME) }),
};

export const STACKS_CLEANUP_MODULE: ImageCleanupModule = {
  name: STACKS_CLEANUP.name,
  open: (env: { STACKS_TABLE: string; TABLE_NAME: string }, { dynamo }) => {
    const store = new StackStore(dynamo, env.STACKS_TABLE, env.TABLE_NAME);
    return stacksCleanup({ stacks: store, postings: store });
  },
};
