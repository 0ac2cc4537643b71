import type { Provenance } from '../../../lambdas/core/provenance';
import type { SearchFilters } from '../../../lambdas/search/filters';
import { matches, phaseOf, SURE } from '../../../lambdas/search/posting-match';
import { postingOf, withTerms } from '../../../lambdas/search/postings';
import { requiredClauses, wordClauses } from '../../../lambdas/search/query-clauses';
import { creditsOf, MAX_CREDIT_WORDS, termsOf, termWordsOf } from '../../../lambdas/search/terms';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { SearchResultSchema, TILE_ATTRIBUTE_PATHS, tileOf } from '../../../lambdas/store/image-view';
import { imageItem, searchableItem } from '../../support/items';

const none: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };

/** What the reader records of the test generator's signed JPEG (test/support/provenance.ts). */
const signedAi: Provenance = {
  summary: 'ai-generated',
  basis: 'c2pa',
  digitalSourceType: 'trainedAlgorithmicMedia',
  generator: 'Imagine 3.1',
  credentials: {
    validation: 'untrusted',
    failures: [{ code: 'signingCredential.untrusted' }],
    claimGenerator: 'Imagine 3.1',
    signer: { name: 'Imagine Test Signer', organization: 'Imagine Labs' },
    actions: [{ action: 'c2pa.created', digitalSourceType: 'trainedAlgorithmicMedia', softwareAgent: 'Imagine 3.1' }],
    ingredients: [],
  },
};

/** A camera's manifest altered since it was signed: the reader keeps its credentials, trusts none of its claim. */
const tamperedCamera: Provenance = {
  summary: 'unknown',
  basis: 'none',
  credentials: {
    validation: 'invalid',
    failures: [{ code: 'assertion.dataHash.mismatch' }],
    claimGenerator: 'Leica M11-P 2.0.1',
    signer: { name: 'Leica Camera AG' },
    actions: [{ action: 'c2pa.created', digitalSourceType: 'digitalCapture' }],
    ingredients: [],
  },
};

const withProvenance = (provenance: Provenance | undefined, item: ImageItem = searchableItem()): ImageItem => ({
  ...item,
  provenance,
});
const provenanceTerms = (item: ImageItem) =>
  termsOf(item).terms.filter(
    (one) => /^(provenance|credit)=/.test(one) || /^prefix=(ai|gen|ima|tes|sig|lab|31)$/.test(one),
  );

describe('provenance terms', () => {
  it('posts the summary for provenance=, and the generator, claim generator and signer as names q= finds', () => {
    expect(provenanceTerms(withProvenance(signedAi))).toEqual([
      'credit=imagine 31',
      'credit=imagine labs',
      'credit=imagine test signer',
      // Each word it is found by under its first three letters: ai and generated from the summary.
      'prefix=31',
      'prefix=ai',
      'prefix=gen',
      'prefix=ima',
      'prefix=lab',
      'prefix=sig',
      'prefix=tes',
      'provenance=ai-generated',
    ]);
  });

  it("indexes no name of a manifest that does not check: an invalid camera claim is its summary's, unknown", () => {
    expect(creditsOf(tamperedCamera)).toEqual([]);
    const terms = termsOf(withProvenance(tamperedCamera)).terms;
    expect(terms.filter((one) => /^(provenance|credit)=/.test(one))).toEqual(['provenance=unknown']);
    expect(terms).not.toContain('prefix=lei');
    expect(terms).not.toContain('prefix=unk');
    // A tampered AI claim is kept by the reader (a claim against itself), with its generator; its signer is not.
    const tamperedAi = { ...signedAi, credentials: { ...signedAi.credentials, validation: 'invalid' as const } };
    expect(creditsOf(tamperedAi as Provenance)).toEqual(['imagine 31']);
  });

  it('posts an XMP-only summary with no name, and nothing for a record read before provenance or not processed', () => {
    const xmp: Provenance = { summary: 'ai-generated', basis: 'xmp', digitalSourceType: 'trainedAlgorithmicMedia' };
    expect(provenanceTerms(withProvenance(xmp))).toEqual(['prefix=ai', 'prefix=gen', 'provenance=ai-generated']);
    expect(provenanceTerms(withProvenance(undefined))).toEqual([]);
    expect(provenanceTerms(withProvenance(signedAi, imageItem({ status: 'REJECTED' })))).toEqual([]);
  });

  it('keeps a name the uploader wrote to MAX_CREDIT_WORDS words', () => {
    const long = 'word '.repeat(50);
    const credits = creditsOf({ ...signedAi, generator: long, credentials: undefined });
    expect(credits).toEqual([Array(MAX_CREDIT_WORDS).fill('word').join(' ')]);
  });

  it('gives a summary its words, none for unknown, and a name its words', () => {
    expect(termWordsOf('provenance=ai-edited')).toEqual(['ai', 'edited']);
    expect(termWordsOf('provenance=unknown')).toEqual([]);
    expect(termWordsOf('credit=imagine test signer')).toEqual(['imagine', 'test', 'signer']);
    expect(termWordsOf('color=red')).toEqual([]);
  });
});

describe('provenance in a search', () => {
  const posting = (provenance: Provenance) => {
    const item = withTerms(withProvenance(provenance), undefined);
    return { term: 'all', imageId: item.imageId, ...postingOf(item) };
  };

  it('reads provenance= from its own posting list, as any choice filter', () => {
    expect(requiredClauses({ ...none, provenance: 'ai-generated' })).toEqual([['provenance=ai-generated']]);
    expect(wordClauses({ ...none, q: ['ai', 'imagine'] })).toEqual([['prefix=ai'], ['prefix=ima']]);
  });

  it('finds the signed AI image by provenance= and by the words of its summary and credentials, and says where', () => {
    const ai = posting(signedAi);
    expect(matches(ai, [['provenance=ai-generated']], none)).toBe(true);
    expect(matches(ai, [['provenance=camera']], none)).toBe(false);
    expect(phaseOf(ai, [], { ...none, q: ['ai', 'generated'] })).toEqual({
      phase: SURE,
      matchedBy: [
        { asked: 'q', word: 'ai', field: 'provenance', value: 'ai-generated' },
        { asked: 'q', word: 'generated', field: 'provenance', value: 'ai-generated' },
      ],
    });
    expect(phaseOf(ai, [], { ...none, q: ['imagine', 'labs'] })?.matchedBy).toEqual([
      { asked: 'q', word: 'imagine', field: 'credit', value: 'imagine 31' },
      { asked: 'q', word: 'labs', field: 'credit', value: 'imagine labs' },
    ]);
    expect(matches(posting(tamperedCamera), [], { ...none, q: ['leica'] })).toBe(false);
    expect(matches(posting(tamperedCamera), [], { ...none, q: ['unknown'] })).toBe(false);
  });
});

describe('provenance on a tile', () => {
  it('carries the summary but unknown, from the record and from a projection of TILE_ATTRIBUTE_PATHS', () => {
    expect(tileOf({ provenance: { summary: 'ai-generated' } }).provenance).toBe('ai-generated');
    expect(tileOf({ provenance: { summary: 'unknown' } })).not.toHaveProperty('provenance');
    expect(tileOf({})).not.toHaveProperty('provenance');
    expect(TILE_ATTRIBUTE_PATHS).toContainEqual(['provenance', 'summary']);
  });

  it("is on a search hit's summary and in the API's result, summary only", () => {
    const item = withTerms(withProvenance(signedAi), undefined);
    const summary = postingOf(item).summary;
    expect(summary?.provenance).toBe('ai-generated');
    const result = SearchResultSchema.parse({ ...summary, imageId: item.imageId });
    expect(result.provenance).toBe('ai-generated');
  });
});
