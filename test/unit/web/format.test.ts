import { matchedByInWords, matchedInWords } from '../../../web/src/format';

describe("a tile's why-it-matched", () => {
  it('says which of words and meaning found the image, and nothing for a search that did not rank', () => {
    expect(matchedInWords(['words', 'meaning'])).toBe('Matched by its words and its meaning');
    expect(matchedInWords(['meaning'])).toBe('Matched by meaning');
    expect(matchedInWords(['words'])).toBe('Matched by its words');
    expect(matchedInWords([])).toBeUndefined();
    expect(matchedInWords(undefined)).toBeUndefined();
  });
});

describe("a tile's why-it-was-found", () => {
  it('says a likely match with its score, and a sure one the tile does not show already', () => {
    expect(matchedByInWords([{ field: 'object', value: 'cat', likely: true, score: 0.56 }])).toEqual({
      text: 'maybe: cat, 56 %',
      likely: true,
    });
    expect(
      matchedByInWords([
        { field: 'place', value: 'cataluna' },
        { field: 'label', value: 'dog' },
      ]),
    ).toEqual({ text: 'place: cataluna', likely: false });
    expect(matchedByInWords([{ field: 'filename', value: 'cat' }])).toBeUndefined();
    expect(matchedByInWords(undefined)).toBeUndefined();
  });
});
