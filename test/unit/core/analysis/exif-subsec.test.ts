import sharp from 'sharp';
import { milliseconds, readExif } from '../../../../lambdas/core/analysis/exif';

/** A JPEG whose EXIF says when it was taken, with these sub-second digits (the ExifIFD's SubSecTimeOriginal). */
const taken = (subsec?: string) =>
  sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Canon', Model: 'EOS R5' },
      IFD2: { DateTimeOriginal: '2026:05:01 10:00:07', ...(subsec !== undefined && { SubSecTimeOriginal: subsec }) },
    })
    .toBuffer();

const exifOf = async (bytes: Buffer) => readExif((await sharp(bytes).metadata()).exif, false);

describe('the milliseconds of the date taken', () => {
  it('are read from SubSecTimeOriginal beside the date to the second, which stays as it was', async () => {
    expect(await exifOf(await taken('300'))).toEqual({
      make: 'Canon',
      model: 'EOS R5',
      takenAt: '2026-05-01T10:00:07',
      takenAtMs: 300,
    });
  });

  it('are absent when the camera wrote none', async () => {
    expect(await exifOf(await taken())).toEqual({ make: 'Canon', model: 'EOS R5', takenAt: '2026-05-01T10:00:07' });
  });

  it('read the digits as a fraction of the second, whatever their number', () => {
    expect(['3', '30', '300', '3000', '045', ' 7 '].map(milliseconds)).toEqual([300, 300, 300, 300, 45, 700]);
    expect(['', 'abc', '-1', undefined, 12].map(milliseconds)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
