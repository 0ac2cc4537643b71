import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { BadRequestError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import { UPLOAD_METADATA_LIMITS } from '../../../store/upload-metadata';
import { type EditDeps, readEditable, writeEdit } from '../edit-api';
import { tagKey as keyOf, type TagChange, type TagsAnswerSchema } from './route';

export interface TagsAnswer {
  imageId: string;
  tags: string[];
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<TagsAnswer, z.output<typeof TagsAnswerSchema>> = true;

/**
 * Change an image's tags as its owner says:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED);
 * 2. take away every tag equal to one removed, then add each new one at the end unless the image has it (400 if the
 *    image would have more than an upload may give);
 * 3. write them (`[]` when none is left) if the record is as it was read (409 if it changed meanwhile), the `tag=`
 *    postings in step, then publish `Image Updated` (`changed: ["tags"]`).
 */
export async function editTags(
  imageId: string,
  change: TagChange,
  caller: Caller,
  deps: EditDeps,
): Promise<TagsAnswer> {
  const removed = new Set(change.remove.map(keyOf));
  const item = await readEditable(imageId, caller, deps);
  const tags = (item.tags ?? []).filter((tag) => !removed.has(keyOf(tag)));
  for (const tag of change.add) if (!tags.some((one) => keyOf(one) === keyOf(tag))) tags.push(tag);
  if (tags.length > UPLOAD_METADATA_LIMITS.maxTags) {
    throw new BadRequestError(
      `body: the image would have ${tags.length} tags: at most ${UPLOAD_METADATA_LIMITS.maxTags}`,
    );
  }
  const at = (deps.now?.() ?? new Date()).toISOString();
  const written = await writeEdit(item, { tags }, ['tags'], { at, by: caller.owner }, deps);
  return { imageId, tags: written.tags ?? [] };
}
