import { matchedInWords } from '../../../web/src/format';

describe("a tile's why-it-matched", () => {
  it('says which of words and meaning found the image, and nothing for a search that did not rank', () => {
    expect(matchedInWords(['words', 'meaning'])).toBe('Matched by its words and its meaning');
    expect(matchedInWords(['meaning'])).toBe('Matched by meaning');
    expect(matchedInWords(['words'])).toBe('Matched by its words');
    expect(matchedInWords([])).toBeUndefined();
    expect(matchedInWords(undefined)).toBeUndefined();
  });
});
