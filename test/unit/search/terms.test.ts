import type { Quality } from '../../../lambdas/core/quality';
import type { ProcessedRecord } from '../../../lambdas/core/record';
import {
  colorName,
  colorsOf,
  normalizeWord,
  phashBands,
  prefixOf,
  searchWordsOf,
  termsOf,
  wordsOf,
} from '../../../lambdas/search/terms';
import { imageItem, searchableItem } from '../../support/items';

describe('search terms', () => {
  it('normalises words to lower case without accents or punctuation', () => {
    expect(normalizeWord('Été')).toBe('ete');
    expect(normalizeWord('CAFÉ!')).toBe('cafe');
    expect(normalizeWord('Ω-3')).toBe('ω3');
  });

  it('splits OCR text into distinct words of two letters or more', () => {
    expect(wordsOf('Hello, WORLD. hello? O a café-bar')).toEqual(['hello', 'world', 'cafe', 'bar']);
  });

  it.each([
    [[230, 30, 30], 'red'],
    [[250, 140, 20], 'orange'],
    [[240, 220, 40], 'yellow'],
    [[40, 160, 60], 'green'],
    [[20, 150, 150], 'teal'],
    [[30, 80, 200], 'blue'],
    [[120, 40, 170], 'purple'],
    [[250, 170, 200], 'pink'],
    [[110, 70, 30], 'brown'],
    [[10, 10, 12], 'black'],
    [[250, 250, 248], 'white'],
    [[128, 130, 128], 'gray'],
  ] as const)('names rgb(%j) %s', ([r, g, b], name) => {
    expect(colorName(r, g, b)).toBe(name);
  });

  it('counts a colour when its palette entries together hold at least 10 % of the image', () => {
    const entry = (r: number, g: number, b: number, proportion: number) => ({ rgb: { r, g, b }, proportion });
    const colors = colorsOf([entry(30, 80, 200, 0.06), entry(40, 90, 210, 0.05), entry(230, 30, 30, 0.09)]);
    expect(colors).toEqual(['blue']);
  });

  it('splits the perceptual hash into 4 bands of 16 bits', () => {
    expect(phashBands('0123456789abcdef')).toEqual(['0123', '4567', '89ab', 'cdef']);
  });

  it('posts quality=ok for an image the core gave no quality flag, and nothing for one analysed before quality', () => {
    const item = searchableItem();
    const analysis = item.analysis as ProcessedRecord;
    const quality = analysis.quality as Quality;
    const flagless = { ...item, analysis: { ...analysis, quality: { ...quality, flags: [] } } };
    expect(termsOf(flagless).terms.filter((t) => t.startsWith('quality='))).toEqual(['quality=ok']);
    const older = { ...item, analysis: { ...analysis, quality: undefined } };
    expect(termsOf(older).terms.filter((t) => t.startsWith('quality='))).toEqual([]);
  });

  it("gives a final image without an analysis all, its status, and its filename's and tags' words", () => {
    expect(termsOf(imageItem({ status: 'REJECTED' })).terms).toEqual([
      'all',
      'prefix=jpg',
      'prefix=pie',
      'status=REJECTED',
    ]);
    const tagged = imageItem({ status: 'FAILED', filename: 'IMG_0042.HEIC', tags: ['Zoo trip', '#Été', '!!!'] });
    expect(termsOf(tagged).terms).toEqual([
      'all',
      // Two letters and more, each under its first three: img, 0042 and heic; zoo, trip and ete.
      'prefix=004',
      'prefix=ete',
      'prefix=hei',
      'prefix=img',
      'prefix=tri',
      'prefix=zoo',
      'status=FAILED',
      // A tag as a name, normalised; one of nothing but punctuation is not a term.
      'tag=ete',
      'tag=zoo trip',
    ]);
  });

  it('finds the words of a q= search in the terms and the filename, names split into words', () => {
    expect(
      searchWordsOf(
        [
          'all',
          'label=coffee cup',
          'object=cup',
          'word=cafe',
          'tag=zoo trip',
          'camera=x100v',
          'color=blue',
          'person=p1',
        ],
        'Pier-2.jpg',
      ).sort(),
    ).toEqual(['cafe', 'coffee', 'cup', 'jpg', 'pier', 'trip', 'x100v', 'zoo'].sort());
    expect(prefixOf('été')).toBe('été');
    expect(prefixOf('au')).toBe('au');
    expect(prefixOf('żółw')).toBe('żół');
  });

  it('gives a processed image its format, orientation, camera, colours, faces, people, year, hashes, quality flags, labels, objects, words and place', () => {
    const item = searchableItem();
    expect(termsOf(item).terms).toEqual(
      [
        'all',
        'camera=fujifilm',
        'camera=x100v',
        'color=blue',
        // Four faces: the buckets up to 4, so minFaces=2, 3 and 4 each find it from a term.
        'faces>=1',
        'faces>=2',
        'faces>=3',
        'flagged=false',
        'format=jpeg',
        'label=coffee cup',
        'labelSource=model',
        'object=cup',
        'orientation=landscape',
        // Each word it is found by, under its first three letters (the filename's pier.jpg among them).
        'prefix=au',
        'prefix=caf',
        'prefix=cof',
        'prefix=cup',
        'prefix=fuj',
        'prefix=hol',
        'prefix=jpg',
        'prefix=lai',
        'prefix=pie',
        'prefix=x10',
        // Its place's words (basel, stadt, baselstadt, switzerland, ch).
        'prefix=bas',
        'prefix=ch',
        'prefix=sta',
        'prefix=swi',
        // Its place: each level's name, Basel-Stadt's as written and as words, the country's code; and its path.
        'place=basel',
        'place=basel stadt',
        'place=baselstadt',
        'place=ch',
        'place=switzerland',
        'placePath=ch/baselstadt/basel',
        // Each person once, however many of its faces the image has.
        'person=personA',
        'person=personB',
        'phash0=0123',
        'phash1=4567',
        'phash2=89ab',
        'phash3=cdef',
        'quality=blurry',
        'quality=underexposed',
        `sha256=${'b'.repeat(64)}`,
        'status=PROCESSED',
        'tag=holiday',
        'taken=2019',
        'word=au',
        'word=cafe',
        'word=lait',
      ].sort(),
    );
  });
});
