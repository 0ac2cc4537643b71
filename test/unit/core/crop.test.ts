import {
  CropRequestSchema,
  cropPixels,
  FULL_FRAME,
  isFullFrame,
  MIN_CROP_PIXELS,
  tooSmall,
  turnCrop,
  uncroppedSize,
  unturnCrop,
} from '../../../lambdas/core/crop';
import { ROTATIONS } from '../../../lambdas/core/options';

const LEFT_HALF = { left: 0, top: 0, width: 0.5, height: 1 };

describe('a crop asked (PUT /images/{id}/crop body)', () => {
  it('takes fractions inside the photo', () => {
    expect(CropRequestSchema.parse({ left: 0.25, top: 0.1, width: 0.5, height: 0.9 })).toEqual({
      left: 0.25,
      top: 0.1,
      width: 0.5,
      height: 0.9,
    });
  });

  it.each([
    ['a fraction under 0', { left: -0.1, top: 0, width: 0.5, height: 0.5 }, /left/],
    ['a fraction over 1', { left: 0, top: 0, width: 1.5, height: 0.5 }, /width/],
    ['no width', { left: 0, top: 0, width: 0, height: 0.5 }, /over 0/],
    ['no height', { left: 0, top: 0, width: 0.5, height: 0 }, /over 0/],
    ['a part past the right edge', { left: 0.6, top: 0, width: 0.5, height: 0.5 }, /left \+ width/],
    ['a part past the bottom edge', { left: 0, top: 0.7, width: 0.5, height: 0.5 }, /top \+ height/],
    ['a missing side', { left: 0, top: 0, width: 0.5 }, /height/],
    ['another field', { ...LEFT_HALF, x: 1 }, /x/],
  ])('refuses %s', (_what, body, message) => {
    const parsed = CropRequestSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });

  it('takes a sum past 1 by rounding as inside the photo, and pulls it in', () => {
    expect(CropRequestSchema.parse({ left: 0.1 + 0.2, top: 0, width: 0.7000001, height: 1 })).toEqual({
      left: 0.3,
      top: 0,
      width: 0.7,
      height: 1,
    });
  });
});

describe('the crop maths', () => {
  it('turns a crop with the photo: the left half of a wide photo is the top half once turned 90 clockwise', () => {
    expect(turnCrop(LEFT_HALF, 90)).toEqual({ left: 0, top: 0, width: 1, height: 0.5 });
    expect(turnCrop(LEFT_HALF, 180)).toEqual({ left: 0.5, top: 0, width: 0.5, height: 1 });
    expect(turnCrop(LEFT_HALF, 270)).toEqual({ left: 0, top: 0.5, width: 1, height: 0.5 });
  });

  it('turns a corner to the next corner: the top-left quarter turned 90 is the top-right', () => {
    expect(turnCrop({ left: 0.1, top: 0.2, width: 0.3, height: 0.4 }, 90)).toEqual({
      left: 0.4,
      top: 0.1,
      width: 0.4,
      height: 0.3,
    });
  });

  it.each(ROTATIONS)('undoes a turn of %i exactly (the upright crop asked is the one answered)', (turn) => {
    const crop = { left: 0.123456, top: 0.2, width: 0.345678, height: 0.5 };
    expect(turnCrop(unturnCrop(crop, turn), turn)).toEqual(crop);
  });

  it('cuts whole pixels, the same for the same size, with at least one pixel each way', () => {
    expect(cropPixels(LEFT_HALF, 40, 20)).toEqual({ left: 0, top: 0, width: 20, height: 20 });
    expect(cropPixels({ left: 0.333333, top: 0, width: 0.333334, height: 1 }, 100, 10)).toEqual({
      left: 33,
      top: 0,
      width: 34,
      height: 10,
    });
    expect(cropPixels({ left: 0.999, top: 0.999, width: 0.001, height: 0.001 }, 10, 10)).toEqual({
      left: 9,
      top: 9,
      width: 1,
      height: 1,
    });
  });

  it('finds the whole upright photo from a cropped record, across a turn asked since', () => {
    // A 4000 x 3000 photo cropped to its left half is a 2000 x 3000 record; turned 90 since, the whole is 3000 x 4000.
    expect(uncroppedSize({ width: 2000, height: 3000 }, LEFT_HALF, 0, 0)).toEqual({ width: 4000, height: 3000 });
    expect(uncroppedSize({ width: 2000, height: 3000 }, LEFT_HALF, 0, 90)).toEqual({ width: 3000, height: 4000 });
    // Made turned 90 (the left half is the top half of the 3000 x 4000 upright photo: a 3000 x 2000 record).
    expect(uncroppedSize({ width: 3000, height: 2000 }, LEFT_HALF, 90, 90)).toEqual({ width: 3000, height: 4000 });
  });

  it(`refuses a crop under ${MIN_CROP_PIXELS} px a side of the full-size photo`, () => {
    expect(tooSmall({ left: 0, top: 0, width: 0.01, height: 1 }, { width: 1000, height: 800 })).toMatch(
      /keeps 10 x 800 px of a 1000 x 800 px photo/,
    );
    expect(tooSmall({ left: 0, top: 0, width: 0.016, height: 0.02 }, { width: 1000, height: 800 })).toBeUndefined();
  });

  it('takes the whole photo, or none, as no crop', () => {
    expect([isFullFrame(undefined), isFullFrame(FULL_FRAME), isFullFrame(LEFT_HALF)]).toEqual([true, true, false]);
  });
});
