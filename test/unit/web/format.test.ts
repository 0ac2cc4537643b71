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
  it('says a likely match with its score', () => {
    expect(matchedByInWords([{ field: 'object', value: 'cat', likely: true, score: 0.56 }])).toEqual({
      text: 'maybe: cat, 56 %',
      likely: true,
    });
  });

  it('says each sure match by the word asked and the field it was found in, the value when it is another word', () => {
    expect(
      matchedByInWords([
        { word: 'cat', field: 'label', value: 'cat' },
        { word: 'segment', field: 'word', value: 'segmentation' },
        { word: 'geneve', field: 'place', value: 'geneve' },
        { word: 'chelsea', field: 'filename', value: 'chelsea' },
      ]),
    ).toEqual({
      text: 'cat in labels · segment in text (segmentation) · geneve in place · chelsea in file name',
      likely: false,
    });
  });

  it("says a match in the photo's own keywords or caption as such", () => {
    expect(
      matchedByInWords([
        { word: 'vaca', field: 'keyword', value: 'vacation' },
        { word: 'sunset', field: 'caption', value: 'sunset' },
      ])?.text,
    ).toBe('vaca in keywords (vacation) · sunset in caption');
  });

  it("names a person by the word asked, never by the person's id", () => {
    expect(matchedByInWords([{ word: 'ada', field: 'person', value: '01JPERSONID' }])?.text).toBe('ada in people');
  });

  it('says the sure matches before the likely ones, each once', () => {
    expect(
      matchedByInWords([
        { word: 'cat', field: 'object', value: 'cat', likely: true, score: 0.56 },
        { word: 'sofa', field: 'label', value: 'sofa' },
        { word: 'sofa', field: 'label', value: 'sofa' },
      ]),
    ).toEqual({ text: 'sofa in labels · maybe: cat, 56 %', likely: true });
    expect(matchedByInWords([])).toBeUndefined();
    expect(matchedByInWords(undefined)).toBeUndefined();
  });
});
