import { phashBands } from '../../../lambdas/core/analysis/phash-bands';
import type { Quality } from '../../../lambdas/core/quality';
import type { ProcessedRecord } from '../../../lambdas/core/record';
import { likelyBands, likelyMatchesOf, likelyResultsOf, MAX_LIKELY } from '../../../lambdas/search/likely';
import { colorName, colorsOf, normalizeWord, prefixOf, searchWordsOf, termsOf } from '../../../lambdas/search/terms';
import { wordsOf } from '../../../lambdas/store/labels';
import { CALIBRATION, CalibrationSchema, foundThresholdOf } from '../../../lambdas/vision/calibration';
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

  it("files the year of its owner's date taken, not the EXIF one, and no favourite term for the others", () => {
    const item = {
      ...searchableItem(),
      favourite: false,
      takenCorrection: { takenAt: '2001-02-03T04:05:06', offset: 'Z', at: '2026-11-28T10:00:00.000Z' },
    };
    const { terms } = termsOf(item);
    expect(terms.filter((one) => one.startsWith('taken=') || one.startsWith('favourite='))).toEqual(['taken=2001']);
  });

  it('gives a processed image its format, orientation, camera, colours, faces, people, year, hashes, quality flags, labels, objects, words, place, provenance, keywords and caption', () => {
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
        // Its owner marked it a favourite.
        'favourite=true',
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
        // Where it comes from (its XMP says a capture): the summary, and its word.
        'provenance=camera',
        'prefix=cam',
        // What the photo says of itself: each keyword whole, the words of its title and caption, and their prefixes.
        'keyword=lake zurich',
        'keyword=summer',
        'caption=at',
        'caption=bains',
        'caption=evening',
        'caption=swim',
        'caption=swimmers',
        'caption=the',
        'prefix=at',
        'prefix=bai',
        'prefix=eve',
        'prefix=lak',
        'prefix=sum',
        'prefix=the',
        'prefix=zur',
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

describe('likely terms', () => {
  const box = { left: 0, top: 0, width: 0.5, height: 0.5 };
  /** Shown from 0.8, found from 0.4 (`cat` from 0.5, `Dark` from 0.3): as a calibration file says it. */
  const calibration = CalibrationSchema.parse({
    made: { command: 'test', set: 'none', date: '2026-11-27' },
    target: 0.9,
    objects: { pooled: 0.8, classes: {} },
    faces: 0.8,
    labels: { pooled: 0.8, classes: {} },
    moderation: { pooled: 0.8, classes: {} },
    found: {
      target: 0.7,
      objects: { pooled: 0.4, classes: { cat: 0.5 } },
      labels: { pooled: 0.4, classes: { Dark: 0.3 } },
    },
  });
  const withCandidates = (objects: Array<[string, number]>, labels: Array<[string, number]> = []) => {
    const item = searchableItem();
    const vision = item.vision as NonNullable<typeof item.vision>;
    return {
      ...item,
      vision: {
        ...vision,
        candidates: {
          objects: objects.map(([name, confidence]) => ({ name, confidence, box })),
          labels: labels.map(([name, confidence]) => ({ name, confidence, source: 'colour' as const })),
          faces: [],
        },
      },
    };
  };
  const likely = (item: ReturnType<typeof withCandidates>) =>
    termsOf(item, calibration).terms.filter((one) => one.startsWith('likely'));

  it('posts a candidate from its retrieval threshold under its tenth, as its class and its words’ prefixes', () => {
    const item = withCandidates(
      [
        ['cat', 0.56],
        ['dining table', 0.41],
        ['dog', 0.39],
      ],
      [['Dark', 0.35]],
    );
    expect(likely(item)).toEqual([
      'likely3:label=dark',
      'likely3:prefix=dar',
      'likely4:label=dining table',
      'likely4:object=dining table',
      'likely4:prefix=din',
      'likely4:prefix=tab',
      'likely5:label=cat',
      'likely5:object=cat',
      'likely5:prefix=cat',
    ]);
    // The class's own threshold: a cat at 0.45 is under its 0.5, a bird at 0.45 over the pooled 0.4.
    expect(
      likely(
        withCandidates([
          ['cat', 0.45],
          ['bird', 0.45],
        ]),
      ),
    ).toEqual(['likely4:label=bird', 'likely4:object=bird', 'likely4:prefix=bir']);
  });

  it('posts each class once at its best score, none the image is shown with, and the MAX_LIKELY strongest', () => {
    // The item shows a cup (objects) and a Coffee Cup label: a weaker cup adds nothing.
    expect(
      likely(
        withCandidates([
          ['cat', 0.45 + 0.1],
          ['cat', 0.71],
          ['cup', 0.6],
        ]),
      ),
    ).toEqual(['likely7:label=cat', 'likely7:object=cat', 'likely7:prefix=cat']);
    const many = withCandidates(
      Array.from({ length: 14 }, (_, i) => [`thing${String.fromCharCode(97 + i)}`, 0.5 + i / 100]),
    );
    const classes = likely(many).filter((one) => one.includes(':object='));
    expect(classes).toHaveLength(MAX_LIKELY);
    expect(classes).not.toContain('likely5:object=thinga');
    expect(likelyMatchesOf(many, calibration)[0]).toEqual({
      field: 'object',
      name: 'thingn',
      score: 0.63,
      modelName: 'thingn',
      box,
    });
  });

  it('answers each likely match by the name the model gives it, with an object’s box, strongest first', () => {
    const item = withCandidates(
      [
        ['dining table', 0.41],
        ['cat', 0.56],
      ],
      [['Dark', 0.35]],
    );
    expect(likelyResultsOf(item, calibration)).toEqual([
      { field: 'object', name: 'cat', confidence: 0.56, box },
      { field: 'object', name: 'dining table', confidence: 0.41, box },
      { field: 'label', name: 'Dark', confidence: 0.35 },
    ]);
  });

  it('leaves out a class its owner confirmed or dismissed as a label, as a label and as an object', () => {
    const at = '2026-11-28T10:00:00.000Z';
    const item = {
      ...withCandidates(
        [
          ['cat', 0.56],
          ['dining table', 0.41],
        ],
        [['Dark', 0.35]],
      ),
      labelCorrections: {
        added: [{ name: 'Cat', at }],
        removed: [
          { name: 'Dining Table', at },
          { name: 'dark', at },
        ],
      },
    };
    expect(likely(item)).toEqual([]);
    expect(likelyMatchesOf(item, calibration)).toEqual([]);
    const { terms } = termsOf(item, calibration);
    // The confirmed cat is found surely, as the label its owner gave and as the object the models saw.
    expect(terms).toEqual(expect.arrayContaining(['label=cat', 'object=cat', 'labelSource=user', 'prefix=cat']));
    expect(terms.filter((one) => one.includes('dining') || one.includes('dark'))).toEqual([]);
  });

  it('makes a confirmed class a sure object only where the models found it from its retrieval threshold', () => {
    const at = '2026-11-28T10:00:00.000Z';
    const item = {
      ...withCandidates([['dog', 0.39]]),
      labelCorrections: { added: [{ name: 'dog', at }], removed: [] },
    };
    const { terms } = termsOf(item, calibration);
    expect(terms).toContain('label=dog');
    expect(terms).not.toContain('object=dog');
  });

  it('posts nothing for a record without candidates (Rekognition, or made before them), nor an image not PROCESSED', () => {
    expect(likely(searchableItem() as ReturnType<typeof withCandidates>)).toEqual([]);
    expect(likely({ ...withCandidates([['cat', 0.6]]), status: 'FAILED' })).toEqual([]);
  });

  it('reads the thresholds of the calibration in use by default (foundThresholdOf), never above the shown ones', () => {
    const item = withCandidates([['zebra', 0.99]]);
    const found = foundThresholdOf(CALIBRATION, 'objects', 'zebra');
    const shown = withCandidates([['zebra', found]]);
    expect(termsOf(shown).terms).toContain(`likely${Math.floor(found * 10)}:object=zebra`);
    expect(termsOf(withCandidates([['zebra', found - 0.01]])).terms.some((one) => one.includes('zebra'))).toBe(false);
    expect(termsOf(item).terms).toContain('likely9:object=zebra');
  });

  it('walks the bands from the top down to that of the lowest retrieval threshold', () => {
    expect(likelyBands(calibration)).toEqual([9, 8, 7, 6, 5, 4, 3]);
    // The pooled threshold finds no class when the rare classes have one of their own.
    const rare = { pooled: 0.1, rare: 0.6, classes: {} };
    expect(likelyBands({ ...calibration, found: { ...calibration.found, objects: rare, labels: rare } })).toEqual([
      9, 8, 7, 6,
    ]);
  });
});
