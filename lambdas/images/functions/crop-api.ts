import type { z } from 'zod';
import type { SameType } from '../../api/schemas';
import {
  type Crop,
  FULL_FRAME,
  isFullFrame,
  normalCrop,
  tooSmall,
  turnCrop,
  uncroppedSize,
  unturnCrop,
} from '../../core/crop';
import { BadRequestError } from '../../shared/errors';
import type { ImageItem } from '../../store/image-item';
import type { Caller } from '../../store/owner';
import { CROP_EDIT } from '../../store/reanalysing-edit';
import type { CropAnswerSchema } from './crop-image/route';
import { type EditAnswer, type EditKind, type ReanalysisDeps, reanalyse } from './reanalysis';

/*
 * `PUT` and `DELETE /images/{id}/crop` (crop-image, uncrop-image): the use case they share, an edit that re-analyses
 * the image (reanalysis.ts).
 */

/** `PUT` or `DELETE /images/{id}/crop` → 202 (being analysed again, cut) or 200 (cut so already); of the upright photo. */
export type CropAnswer = EditAnswer<'crop', Crop>;

// The use case answers exactly what the document says.
const _answerChecked: SameType<CropAnswer, z.output<typeof CropAnswerSchema>> = true;

export type CropImageDeps = ReanalysisDeps;

/**
 * A crop: the part asked is of the upright photo (after the owner's `rotation`); the record keeps it as the same part
 * of the photo before the turn (core/crop.ts), so a later turn keeps it, and the write requires the rotation read.
 * None, or the whole photo, undoes. One keeping under MIN_CROP_PIXELS a side of the photo is refused (400). Shown of
 * the upright photo.
 */
export const CROP: EditKind<Crop, Crop | undefined, Crop, 'crop'> = {
  edit: CROP_EDIT,
  value: (asked, item) => {
    const upright = normalCrop(asked ?? FULL_FRAME);
    const crop = unturnCrop(upright, item.rotation ?? 0);
    if (!isFullFrame(crop)) checkSize(item, upright);
    return crop;
  },
  shown: (crop, item) => turnCrop(crop, item.rotation ?? 0),
  sentLog: 'image sent to be analysed again, cropped',
  metric: 'ImagesCropped',
};

/** Keep a part of an image, as its owner asks (absolute; none, or the whole photo, undoes): an edit that re-analyses it. */
export async function cropImage(
  imageId: string,
  asked: Crop | undefined,
  caller: Caller,
  deps: CropImageDeps,
): Promise<CropAnswer> {
  return reanalyse(CROP, imageId, asked, caller, deps);
}

/** A crop keeping under MIN_CROP_PIXELS a side of the full-size photo is refused: it would make no picture. */
function checkSize(item: ImageItem, upright: Crop): void {
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  if (!analysis) return;
  const size = uncroppedSize(analysis.metadata, item.cropApplied, item.rotationApplied ?? 0, item.rotation ?? 0);
  const problem = tooSmall(upright, size);
  if (problem) throw new BadRequestError(problem);
}
