import type { Described } from '../../../lambdas/core/record';
import type { SearchFilters } from '../../../lambdas/search/filters';
import { metadataOf } from '../../../lambdas/search/meaning/vector-index';
import { matches, phaseOf, SURE } from '../../../lambdas/search/posting-match';
import { postingOf, withTerms } from '../../../lambdas/search/postings';
import { requiredClauses } from '../../../lambdas/search/query-clauses';
import { MAX_CAPTION_WORDS, termsOf } from '../../../lambdas/search/terms';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { imageItem, processedAnalysis } from '../../support/items';

/*
 * What a photo says of itself (its record's `analysis.described`: IPTC and XMP keywords, title, headline, caption) in
 * the search index: each keyword whole, for `tag=`, and the words of all of them for `q=`, apart from its owner's tags.
 */

const none: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };

function described(said: Described | undefined, overrides: Partial<ImageItem> = {}): ImageItem {
  const analysis = processedAnalysis({ width: 4, height: 3 });
  return imageItem({ filename: 'IMG_0042.JPG', analysis: { ...analysis, described: said }, ...overrides });
}

const posting = (item: ImageItem) => {
  const indexed = withTerms(item, undefined);
  return { term: 'all', imageId: indexed.imageId, ...postingOf(indexed) };
};

const HOLIDAY: Described = {
  keywords: ['Beach', 'Vacation', 'Côte d’Opale'],
  title: 'Kite day',
  caption: 'A red kite over the dunes at Wissant',
};

describe("a photo's own keywords and caption as terms", () => {
  it('posts each keyword whole and each word of the title, headline and caption, with their prefixes', () => {
    const terms = termsOf(described({ ...HOLIDAY, headline: 'Windy' })).terms;
    expect(terms.filter((one) => /^(keyword|caption)=/.test(one))).toEqual([
      'caption=at',
      'caption=day',
      'caption=dunes',
      'caption=kite',
      'caption=over',
      'caption=red',
      'caption=the',
      'caption=windy',
      'caption=wissant',
      'keyword=beach',
      'keyword=cote dopale',
      'keyword=vacation',
    ]);
    expect(terms).toEqual(expect.arrayContaining(['prefix=bea', 'prefix=vac', 'prefix=cot', 'prefix=wis']));
  });

  it(`posts the ${MAX_CAPTION_WORDS} longest words of a long caption, as of the OCR text`, () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${'x'.repeat(i % 20)}${i}`);
    const terms = termsOf(described({ caption: words.join(' ') })).terms.filter((one) => one.startsWith('caption='));
    expect(terms).toHaveLength(MAX_CAPTION_WORDS);
    const shortest = Math.min(...terms.map((one) => one.length - 'caption='.length));
    expect(words.filter((word) => word.length > shortest).every((word) => terms.includes(`caption=${word}`))).toBe(
      true,
    );
  });

  it('posts nothing of a photo that says nothing, or of one that is not PROCESSED', () => {
    const said = (item: ImageItem) => termsOf(item).terms.filter((one) => /^(keyword|caption)=/.test(one));
    expect(said(described(undefined))).toEqual([]);
    expect(said(described(HOLIDAY, { status: 'REJECTED' }))).toEqual([]);
  });
});

describe("a photo's own keywords and caption in a search", () => {
  it('reads tag= from the postings of the tag and of the keyword alike', () => {
    expect(requiredClauses({ ...none, tag: ['beach', 'sun'] })).toEqual([
      ['tag=beach', 'keyword=beach'],
      ['tag=sun', 'keyword=sun'],
    ]);
  });

  it('finds the photo by tag= of a whole keyword, not by a word of one', () => {
    const photo = posting(described(HOLIDAY));
    expect(matches(photo, requiredClauses({ ...none, tag: ['beach'] }), none)).toBe(true);
    expect(matches(photo, requiredClauses({ ...none, tag: ['cote dopale'] }), none)).toBe(true);
    expect(matches(photo, requiredClauses({ ...none, tag: ['cote'] }), none)).toBe(false);
    // Its owner's tags still meet tag= as before.
    const tagged = posting(described(undefined, { tags: ['Beach'] }));
    expect(matches(tagged, requiredClauses({ ...none, tag: ['beach'] }), none)).toBe(true);
  });

  it('finds the photo by q= of a word of a keyword or of its caption, and says which', () => {
    const photo = posting(described(HOLIDAY));
    expect(phaseOf(photo, [], { ...none, q: ['vaca', 'cote', 'wissant', 'kite'] })).toEqual({
      phase: SURE,
      matchedBy: [
        { asked: 'q', word: 'vaca', field: 'keyword', value: 'vacation' },
        { asked: 'q', word: 'cote', field: 'keyword', value: 'cote dopale' },
        { asked: 'q', word: 'wissant', field: 'caption', value: 'wissant' },
        { asked: 'q', word: 'kite', field: 'caption', value: 'kite' },
      ],
    });
    expect(matches(photo, [], { ...none, q: ['mountain'] })).toBe(false);
  });

  it('keeps the keywords in the filterable metadata of a vector, after every other filter term, the caption out', () => {
    const keywords = Array.from({ length: 40 }, (_, i) => `keyword number ${i} of a long list of them`);
    const item = withTerms(described({ keywords, caption: 'Sunset' }, { tags: ['Zoo'] }), undefined);
    const { terms } = metadataOf({ ...item, owner: 'alice' }, { model: 'm', dimension: 4 });
    expect(terms).toEqual(
      expect.arrayContaining(['tag=zoo', 'status=PROCESSED', 'keyword=keyword number 0 of a long list of them']),
    );
    expect(terms.some((one) => one.startsWith('caption='))).toBe(false);
    // The budget cut falls on the keywords, never on a filter term after them in order.
    const firstKeyword = terms.findIndex((one) => one.startsWith('keyword='));
    expect(terms.slice(firstKeyword).every((one) => one.startsWith('keyword='))).toBe(true);
    expect(terms.filter((one) => one.startsWith('keyword=')).length).toBeLessThan(40);
  });
});
