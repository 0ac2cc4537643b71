import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { Rotation } from '../../../core/options';
import type { Caller } from '../../../store/owner';
import { ROTATION_EDIT } from '../../../store/reanalysing-edit';
import { type EditAnswer, type EditKind, type ReanalysisDeps, reanalyse } from '../reanalysis';
import type { RotationAnswerSchema, RotationChange } from './route';

export { type IReanalysisQueue, RESEND_AFTER_SECONDS } from '../reanalysis';

/** `PUT /images/{id}/rotation` → 202 (being analysed again, turned) or 200 (turned so already). */
export type RotationAnswer = EditAnswer<'rotation', Rotation>;

// The use case answers exactly what the document says.
const _answerChecked: SameType<RotationAnswer, z.output<typeof RotationAnswerSchema>> = true;

export type RotateImageDeps = ReanalysisDeps;

/**
 * A turn: clockwise quarter turns after its EXIF orientation, absolute (`0` undoes, and is kept as `0`), shown as
 * asked. The processor turns the pixels after their EXIF orientation.
 */
export const ROTATION: EditKind<Rotation, RotationChange, Rotation, 'rotation'> = {
  edit: ROTATION_EDIT,
  value: (change) => change.degrees,
  shown: (rotation) => rotation,
  sentLog: 'image sent to be analysed again, turned',
  metric: 'ImagesRotated',
};

/** Turn an image by quarter turns after its EXIF orientation, as its owner asks: an edit that re-analyses it (reanalysis.ts). */
export async function rotateImage(
  imageId: string,
  change: RotationChange,
  caller: Caller,
  deps: RotateImageDeps,
): Promise<RotationAnswer> {
  return reanalyse(ROTATION, imageId, change, caller, deps);
}
