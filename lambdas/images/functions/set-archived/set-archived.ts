import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { archivedHooks, type ImageCleanup } from '../../../kit/image-cleanup';
import { ConflictError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import type { Caller } from '../../../store/owner';
import { type EditDeps, readEditable, updatedEvent } from '../edit-api';
import type { ArchivedAnswerSchema, ArchivedChange } from './route';

export interface ArchivedAnswer {
  imageId: string;
  archived: boolean;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<ArchivedAnswer, z.output<typeof ArchivedAnswerSchema>> = true;

/**
 * What archiving reads and writes: an edit's adapters, the store's archive write rather than its edit, and the rooms
 * told of an archive (the occasion `archive`: the stacks room hands a primary's place to the next frame).
 */
export type ArchiveDeps = Omit<EditDeps, 'store' | 'index'> & {
  store: Pick<ImageStore, 'get' | 'setArchived'>;
  cleanups?: readonly Pick<ImageCleanup, 'archived'>[];
};

/**
 * Archive an image, or bring it back:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED, or when it has no owner, so no archive);
 * 2. already as asked: answer so, writing and publishing nothing;
 * 3. else write `archived` with its list keys (the store files it under its owner's archive, or back) if the record
 *    is as it was read (409 if it changed meanwhile), then publish `Image Updated` (`changed: ["archived"]`);
 * 4. archived (or asked again, so a retry after a failed hook finishes): tell the rooms (`archived` hooks): a stack's
 *    primary hands its place to the stack's next frame not archived, so the stack stays in the timeline.
 * No search term changes: a search finds archived images too, so no posting is written.
 */
export async function setArchived(
  imageId: string,
  change: ArchivedChange,
  caller: Caller,
  deps: ArchiveDeps,
): Promise<ArchivedAnswer> {
  const item = await readEditable(imageId, caller, deps);
  if ((item.archived === true) === change.archived) {
    if (change.archived) await archivedHooks(item, deps.cleanups ?? []);
    return { imageId, archived: change.archived };
  }
  if (item.owner === undefined) throw new ConflictError(`image ${imageId} has no owner, so no archive to go to`);
  const at = (deps.now?.() ?? new Date()).toISOString();
  const written: ImageItem = { ...item, archived: change.archived, updatedAt: at };
  if (!(await deps.store.setArchived(written, item.updatedAt))) {
    throw new ConflictError(`image ${imageId} changed while it was being edited: try again`);
  }
  await deps.publisher.publish(updatedEvent(written, ['archived'], caller.owner, at));
  if (change.archived) await archivedHooks(written, deps.cleanups ?? []);
  return { imageId, archived: change.archived };
}
