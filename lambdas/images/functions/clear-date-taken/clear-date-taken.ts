import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { Caller } from '../../../store/owner';
import { takenAtOf } from '../../../store/timeline-key';
import { type EditDeps, readEditable, writeEdit } from '../edit-api';
import type { DateTakenClearedSchema } from './route';

export interface DateTakenCleared {
  imageId: string;
  takenAt?: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<DateTakenCleared, z.output<typeof DateTakenClearedSchema>> = true;

/**
 * Drop the date its owner said the photo was taken, so that its own applies again:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED);
 * 2. no owner's date: answer the date it has, writing and publishing nothing;
 * 3. else write the record without `takenCorrection`, with its place in the timeline back at its EXIF date (or its
 *    upload), if the record is as it was read (409 if it changed meanwhile), the `taken=` posting and the postings'
 *    dates in step, then publish `Image Updated` (`changed: ["takenAt"]`).
 */
export async function clearDateTaken(imageId: string, caller: Caller, deps: EditDeps): Promise<DateTakenCleared> {
  const item = await readEditable(imageId, caller, deps);
  if (item.takenCorrection) {
    const at = (deps.now?.() ?? new Date()).toISOString();
    await writeEdit(item, { takenCorrection: undefined }, ['takenAt'], { at, by: caller.owner }, deps);
  }
  const takenAt = takenAtOf({ analysis: item.analysis });
  return { imageId, ...(takenAt !== undefined && { takenAt }) };
}
