import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { Caller } from '../../../store/owner';
import { type EditDeps, readEditable, writeEdit } from '../edit-api';
import type { FavouriteAnswerSchema, FavouriteChange } from './route';

export interface FavouriteAnswer {
  imageId: string;
  favourite: boolean;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<FavouriteAnswer, z.output<typeof FavouriteAnswerSchema>> = true;

/**
 * Mark an image its owner's favourite, or unmark it:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED);
 * 2. already as asked: answer so, writing and publishing nothing;
 * 3. else write `favourite` (`false` once unmarked) if the record is as it was read (409 if it changed meanwhile),
 *    the `favourite=true` posting in step, then publish `Image Updated` (`changed: ["favourite"]`).
 */
export async function setFavourite(
  imageId: string,
  change: FavouriteChange,
  caller: Caller,
  deps: EditDeps,
): Promise<FavouriteAnswer> {
  const item = await readEditable(imageId, caller, deps);
  if ((item.favourite === true) === change.favourite) return { imageId, favourite: change.favourite };
  const at = (deps.now?.() ?? new Date()).toISOString();
  await writeEdit(item, { favourite: change.favourite }, ['favourite'], { at, by: caller.owner }, deps);
  return { imageId, favourite: change.favourite };
}
