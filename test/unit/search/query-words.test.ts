import type { SearchFilters } from '../../../lambdas/search/filters';
import { phaseOf, SURE, WEAK } from '../../../lambdas/search/posting-match';
import { wordClauses } from '../../../lambdas/search/query-clauses';
import { readingOf } from '../../../lambdas/search/query-words';
import { LIKELY_BANDS } from '../../../lambdas/search/vocabulary';

/*
 * Issue 77: a word of the search box finds what its other forms, the classes under it and its colour find; a
 * narrower word finds its class as a likely match; a word only written on the photo or said of it comes after.
 */

const none = { q: [], label: [], object: [], text: [], tag: [] } as unknown as SearchFilters;
const q = (...words: string[]) => ({ ...none, q: words });
const posting = (...facets: string[]) => ({
  term: 'x',
  imageId: 'i',
  facets,
  summary: { status: 'PROCESSED' as const, createdAt: '', updatedAt: '', filename: 'IMG_0001.JPG' },
});

describe('what a word of q stands for', () => {
  it('reads plurals and other forms as their singular', () => {
    for (const [word, form] of [
      ['horses', 'horse'],
      ['dogs', 'dog'],
      ['birds', 'bird'],
      ['cars', 'car'],
      ['kites', 'kite'],
      ['men', 'man'],
      ['knives', 'knife'],
      ['mice', 'mouse'],
    ]) {
      expect(readingOf(word as string).forms).toEqual([word, form]);
    }
    expect(readingOf('dog').forms).toEqual(['dog']);
  });

  it('reaches the classes under a broader word, and person from the everyday words for one', () => {
    expect(readingOf('animal').classes).toEqual(expect.arrayContaining(['dog', 'cat', 'horse', 'bird', 'sheep']));
    expect(readingOf('animals').classes).toEqual(readingOf('animal').classes);
    expect(readingOf('vehicle').classes).toEqual(expect.arrayContaining(['car', 'bicycle', 'truck', 'motorcycle']));
    // WordNet files buses and trains under public transport, beside vehicles: everyday English does not.
    expect(readingOf('vehicles').classes).toEqual(expect.arrayContaining(['bus', 'train']));
    expect(readingOf('fruit').classes).toEqual(expect.arrayContaining(['apple', 'orange', 'banana']));
    for (const word of ['people', 'man', 'woman', 'men', 'women', 'child']) {
      expect(readingOf(word).classes).toContain('person');
    }
    // A word people use of anything reaches nothing: every object is an object.
    expect(readingOf('object').classes).toEqual([]);
    expect(readingOf('thing').classes).toEqual([]);
  });

  it('reaches the class over a narrower word apart, as likely', () => {
    expect(readingOf('eagle')).toMatchObject({ classes: [], narrower: ['bird'] });
    expect(readingOf('puppy').narrower).toEqual(['dog']);
    expect(readingOf('beagle').narrower).toEqual(['dog']);
    // Its most common sense only: a dish is dishware before it is an attractive person.
    expect(readingOf('dish').narrower).not.toContain('person');
  });

  it('names a palette colour, grey as gray', () => {
    expect(readingOf('blue').colour).toBe('blue');
    expect(readingOf('grey').colour).toBe('gray');
    expect(readingOf('beach').colour).toBeUndefined();
  });

  it('leaves a two-letter word as it is', () => {
    expect(readingOf('tv')).toEqual({ word: 'tv', forms: ['tv'], classes: [], narrower: [] });
  });
});

describe('a word clause', () => {
  it("reads the prefixes of the word's forms and classes, and its colour, within the clause's terms", () => {
    expect(wordClauses(q('horses'))).toEqual([['prefix=hor']]);
    expect(wordClauses(q('blue'))).toEqual([['prefix=blu', 'color=blue']]);
    const animal = wordClauses(q('animal'))[0] as string[];
    expect(animal).toEqual(expect.arrayContaining(['prefix=ani', 'prefix=dog', 'prefix=cat', 'prefix=hor']));
    expect(animal.length).toBeLessThanOrEqual(12);
    expect(wordClauses(q('eagle'))).toEqual([['prefix=eag', 'prefix=bir']]);
  });
});

describe('a posting met by a word', () => {
  it('is sure for a plural of its object, a class under a broader word, and its colour; saying how', () => {
    expect(phaseOf(posting('object=horse', 'label=horse'), [], q('horses'))).toEqual({
      phase: SURE,
      matchedBy: [{ asked: 'q', word: 'horses', field: 'object', value: 'horse', through: 'form' }],
    });
    expect(phaseOf(posting('object=dog'), [], q('animal'))?.matchedBy).toEqual([
      { asked: 'q', word: 'animal', field: 'object', value: 'dog', through: 'broader' },
    ]);
    expect(phaseOf(posting('color=blue'), [], q('blue'))?.matchedBy).toEqual([
      { asked: 'q', word: 'blue', field: 'color', value: 'blue', through: 'colour' },
    ]);
    expect(phaseOf(posting('object=dog'), [], q('fruit'))).toBeUndefined();
  });

  it('is likely for a likely class under a broader word', () => {
    const found = phaseOf(posting('likely7:object=horse', 'likely7:label=horse'), [], q('animals'));
    expect(found?.phase).toBe(7);
    expect(found?.matchedBy[0]).toMatchObject({ field: 'object', value: 'horse', likely: true, through: 'broader' });
  });

  it('comes after every likely match when met only by its text or camera, or as a narrower word', () => {
    expect(phaseOf(posting('word=car', 'word=parks'), [], q('car'))?.phase).toBe(WEAK);
    expect(phaseOf(posting('camera=apple iphone 12'), [], q('apple'))?.phase).toBe(WEAK);
    expect(phaseOf(posting('likely3:object=car', 'word=car'), [], q('car'))?.phase).toBe(3);
    expect(phaseOf(posting('object=apple', 'camera=apple iphone 12'), [], q('apple'))?.phase).toBe(SURE);
    expect(phaseOf(posting('object=bird'), [], q('eagle'))).toEqual({
      phase: WEAK,
      matchedBy: [{ asked: 'q', word: 'eagle', field: 'object', value: 'bird', likely: true, through: 'narrower' }],
    });
    expect(WEAK).toBeLessThan(0);
    expect(SURE).toBe(LIKELY_BANDS);
  });
});
