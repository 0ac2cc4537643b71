import { sniffFormat } from '../../../../lambdas/core/analysis/sniff';
import { fixture } from '../../../fixtures';

describe('sniffFormat', () => {
  it.each([
    ['photos/forest.jpg', 'jpeg'],
    ['formats/forest.png', 'png'],
    ['formats/forest.webp', 'webp'],
    ['formats/animated.gif', 'gif'],
    ['formats/forest.avif', 'avif'],
    ['formats/forest.tiff', 'tiff'],
    ['formats/forest.heic', 'heic'],
    ['formats/cups.jxl', 'jxl'],
    ['bad/image.svg', 'svg'],
  ])('recognises %s as %s from its bytes', (file, format) => {
    expect(sniffFormat(fixture(file))).toBe(format);
  });

  it('returns undefined for text whatever the file is called', () => {
    expect(sniffFormat(fixture('bad/text.jpg'))).toBeUndefined();
  });

  it('returns undefined for empty and tiny inputs', () => {
    expect(sniffFormat(Buffer.alloc(0))).toBeUndefined();
    expect(sniffFormat(Buffer.from([0xff, 0xd8]))).toBeUndefined();
  });

  it('recognises an SVG behind an XML declaration', () => {
    expect(sniffFormat(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
  });
});
