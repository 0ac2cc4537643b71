import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { TakenCorrection } from '../../../store/image-item';
import type { Caller } from '../../../store/owner';
import { takenAtOf } from '../../../store/timeline-key';
import { type EditDeps, readEditable, writeEdit } from '../edit-api';
import { type DateTakenAnswerSchema, type DateTakenChange, splitTakenAt } from './route';

export interface DateTakenAnswer {
  imageId: string;
  takenAt: string;
  takenCorrection: TakenCorrection;
  exifTakenAt?: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<DateTakenAnswer, z.output<typeof DateTakenAnswerSchema>> = true;

/**
 * Record when its owner says the photo was taken:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED);
 * 2. the correction (local date-time, and its offset when given) replaces any earlier one, beside the EXIF date of
 *    the analysis;
 * 3. write it with the image's new place in the timeline (`takenKey`) if the record is as it was read (409 if it
 *    changed meanwhile), the `taken=` posting and the postings' dates in step, then publish `Image Updated`
 *    (`changed: ["takenAt"]`).
 */
export async function setDateTaken(
  imageId: string,
  change: DateTakenChange,
  caller: Caller,
  deps: EditDeps,
): Promise<DateTakenAnswer> {
  const item = await readEditable(imageId, caller, deps);
  const at = (deps.now?.() ?? new Date()).toISOString();
  // The schema let only a date that splits through; a local time alone keeps no offset (none is known).
  const { takenAt, offset } = splitTakenAt(change.takenAt) as { takenAt: string; offset?: string };
  const takenCorrection: TakenCorrection = {
    takenAt,
    ...(offset !== undefined && { offset }),
    at,
    ...(caller.owner !== undefined && { by: caller.owner }),
  };
  await writeEdit(item, { takenCorrection }, ['takenAt'], { at, by: caller.owner }, deps);
  const exifTakenAt = takenAtOf({ analysis: item.analysis });
  return { imageId, takenAt, takenCorrection, ...(exifTakenAt !== undefined && { exifTakenAt }) };
}
