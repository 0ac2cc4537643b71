import { fullSizeWidth, thumbnailWidthOf } from '../../../../../web/src/pages/gallery/full-size-width';

const TWELVE_MP = { width: 4032, height: 3024 };

describe('the width of the rendition a zoom asks for', () => {
  it('is the width needed rounded up to the next step, so zooms of a photo share a few specs', () => {
    expect(fullSizeWidth(1100, 1024, TWELVE_MP, 4096)).toBe(1536);
    expect(fullSizeWidth(1537, 1024, TWELVE_MP, 4096)).toBe(2048);
    expect(fullSizeWidth(2900, 1024, TWELVE_MP, 4096)).toBe(3072);
  });

  it('is capped at the original’s width: a rendition is never enlarged', () => {
    expect(fullSizeWidth(3500, 1024, TWELVE_MP, 4096)).toBe(4032);
    expect(fullSizeWidth(9000, 1024, TWELVE_MP, 16383)).toBe(4032);
  });

  it('keeps the longer side within renditionMaxSide, for a tall photo too', () => {
    expect(fullSizeWidth(6000, 1024, { width: 6000, height: 4000 }, 4096)).toBe(4096);
    // A portrait 3000 x 6000: 2048 wide is 4096 high.
    expect(fullSizeWidth(3000, 512, { width: 3000, height: 6000 }, 4096)).toBe(2048);
  });

  it('asks nothing while what is shown has the pixels, or is as large as this photo gets', () => {
    expect(fullSizeWidth(1000, 1024, TWELVE_MP, 4096)).toBeUndefined();
    expect(fullSizeWidth(5000, 4032, TWELVE_MP, 4096)).toBeUndefined();
    // A photo no wider than its thumbnail has nothing larger to show.
    expect(fullSizeWidth(2000, 800, { width: 800, height: 600 }, 4096)).toBeUndefined();
  });
});

describe('the width of the largest thumbnail', () => {
  it('is its longest side scaled to the photo’s width, no larger than the photo', () => {
    expect(thumbnailWidthOf(1024, TWELVE_MP)).toBe(1024);
    expect(thumbnailWidthOf(1024, { width: 3024, height: 4032 })).toBe(768);
    expect(thumbnailWidthOf(1024, { width: 800, height: 600 })).toBe(800);
    expect(thumbnailWidthOf(undefined, TWELVE_MP)).toBeUndefined();
  });
});
