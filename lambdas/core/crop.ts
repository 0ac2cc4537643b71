import { z } from 'zod';

/*
 * Its owner's crop of a photo (`PUT /images/{id}/crop`): the part kept, as fractions of the picture's width and
 * height. The API speaks of the upright picture (after the EXIF orientation and the owner's rotation), which is what
 * the owner sees; the record keeps it of the picture as its EXIF orientation shows it, before the owner's rotation,
 * so a later turn keeps the same part of the photo (the frame turns with it) and the pixels are cut before they are
 * turned. The maths between the two frames, and from fractions to whole pixels, is here.
 */

/** A clockwise quarter turn (options.ts's Rotation, spelled here so the two import nothing of each other). */
type Rotation = 0 | 90 | 180 | 270;

/** Fractions kept to this many decimals: a crop written is compared whole (a repeat is the same numbers). */
const DECIMALS = 6;

/** The shortest side, in pixels of the full-size photo, a crop may keep: no crop makes a degenerate picture. */
export const MIN_CROP_PIXELS = 16;

const fraction = z.number().min(0).max(1);

/** A crop as stored: fractions of the picture's width and height, the part kept inside it. */
export const CropSchema = z.strictObject({
  left: fraction.meta({ description: 'Where the part kept starts, from the left: a fraction of the width, 0..1' }),
  top: fraction.meta({ description: 'Where the part kept starts, from the top: a fraction of the height, 0..1' }),
  width: fraction.meta({ description: 'The width kept: a fraction of the width, over 0' }),
  height: fraction.meta({ description: 'The height kept: a fraction of the height, over 0' }),
});
export type Crop = z.output<typeof CropSchema>;

/** The whole picture: a crop undone (`DELETE /images/{id}/crop`) is written so, as a rotation undone is `0`. */
export const FULL_FRAME: Crop = { left: 0, top: 0, width: 1, height: 1 };

/** Fractions summed past 1 by no more than this are rounding (a web app's slider), not a crop outside the picture. */
const SLACK = 1e-6;

/**
 * What a request may ask: a crop inside the picture with some width and height. The size in pixels is checked
 * against the photo's by the use case (checkCropSize), which knows it.
 */
export const CropRequestSchema = CropSchema.refine((crop) => crop.width > 0 && crop.height > 0, {
  error: 'width and height must be over 0',
})
  .refine((crop) => crop.left + crop.width <= 1 + SLACK, { error: 'left + width must be at most 1 (inside the photo)' })
  .refine((crop) => crop.top + crop.height <= 1 + SLACK, { error: 'top + height must be at most 1 (inside the photo)' })
  .transform(normalCrop);

/** Rounded to DECIMALS and pulled inside the picture, so the same crop is always the same numbers. */
export function normalCrop(crop: Crop): Crop {
  const round = (value: number) => Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;
  const left = Math.min(1, Math.max(0, round(crop.left)));
  const top = Math.min(1, Math.max(0, round(crop.top)));
  return {
    left,
    top,
    width: Math.min(1 - left, round(crop.width)),
    height: Math.min(1 - top, round(crop.height)),
  };
}

/** The whole picture, or no crop at all: nothing is cut. */
export function isFullFrame(crop: Crop | undefined): boolean {
  return crop === undefined || sameCrop(crop, FULL_FRAME);
}

/** The same part of the picture; none is the whole of it. */
export function sameCrop(a: Crop | undefined, b: Crop | undefined): boolean {
  const x = a ?? FULL_FRAME;
  const y = b ?? FULL_FRAME;
  return x.left === y.left && x.top === y.top && x.width === y.width && x.height === y.height;
}

/**
 * A crop of a picture as the same part of that picture turned clockwise by `turn`. Turned 90 clockwise, a point
 * (x, y) lands on (1 - y, x): the part's top-left corner is its bottom-left before.
 */
export function turnCrop(crop: Crop, turn: Rotation): Crop {
  const { left, top, width, height } = crop;
  switch (turn) {
    case 0:
      return crop;
    case 90:
      return normalCrop({ left: 1 - top - height, top: left, width: height, height: width });
    case 180:
      return normalCrop({ left: 1 - left - width, top: 1 - top - height, width, height });
    case 270:
      return normalCrop({ left: top, top: 1 - left - width, width: height, height: width });
  }
}

/** The crop of the picture turned by `turn` as the same part of it before the turn: turnCrop undone. */
export function unturnCrop(crop: Crop, turn: Rotation): Crop {
  return turnCrop(crop, ((360 - turn) % 360) as Rotation);
}

/** A part of a picture in whole pixels. */
export interface PixelCrop {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The crop in whole pixels of a picture `width` x `height`: the edges rounded to the nearest pixel, and at least one
 * pixel kept each way. The same fractions on the same size give the same pixels, so the record's size and a
 * rendition made from the original agree.
 */
export function cropPixels(crop: Crop, width: number, height: number): PixelCrop {
  const left = Math.min(width - 1, Math.round(crop.left * width));
  const top = Math.min(height - 1, Math.round(crop.top * height));
  const right = Math.min(width, Math.max(left + 1, Math.round((crop.left + crop.width) * width)));
  const bottom = Math.min(height, Math.max(top + 1, Math.round((crop.top + crop.height) * height)));
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * The size of the whole upright picture (after the EXIF orientation and `turn`), from the size of the picture its
 * record describes, which was made with `applied` (a crop of it) and `appliedTurn`. Approximate to a pixel.
 */
export function uncroppedSize(
  recorded: { width: number; height: number },
  applied: Crop | undefined,
  appliedTurn: Rotation,
  turn: Rotation,
): { width: number; height: number } {
  const upright = turnCrop(applied ?? FULL_FRAME, appliedTurn);
  const width = recorded.width / upright.width;
  const height = recorded.height / upright.height;
  // A quarter turn between the two frames swaps the sides.
  return (turn - appliedTurn) % 180 === 0 ? { width, height } : { width: height, height: width };
}

/** Why a crop keeps too little of a photo of that upright size, if it does. */
export function tooSmall(crop: Crop, upright: { width: number; height: number }): string | undefined {
  const width = crop.width * upright.width;
  const height = crop.height * upright.height;
  if (Math.round(width) >= MIN_CROP_PIXELS && Math.round(height) >= MIN_CROP_PIXELS) return undefined;
  return (
    `the crop keeps ${Math.round(width)} x ${Math.round(height)} px of a ${Math.round(upright.width)} x ` +
    `${Math.round(upright.height)} px photo: it must keep at least ${MIN_CROP_PIXELS} px each way`
  );
}
