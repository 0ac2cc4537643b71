import type { PlaceNames } from '../../../lambdas/core/place';
import { filtersOf, queryOf } from '../../../lambdas/images/functions/list-images/filters';
import { ListQuerySchema } from '../../../lambdas/images/functions/list-images/route';
import { matches } from '../../../lambdas/search/posting-match';
import { postingOf, withTerms } from '../../../lambdas/search/postings';
import type { Posting } from '../../../lambdas/search/postings-design';
import { requiredClauses, requiredTerms } from '../../../lambdas/search/query-clauses';
import { MAX_AKA, placeNamesOf, placePathOf, termsOf } from '../../../lambdas/search/terms';
import { searchableItem } from '../../support/items';

const ZURICH: PlaceNames = {
  country: { name: 'Switzerland', code: 'CH' },
  region: { name: 'Zürich', code: 'CH-ZH' },
  area: { name: 'Bezirk Zürich' },
  locality: { name: 'Zürich' },
};
const WEIL: PlaceNames = {
  country: { name: 'Germany', code: 'DE' },
  region: { name: 'Baden-Württemberg', code: 'DE-BW' },
  area: { name: 'Landkreis Lörrach' },
  locality: { name: 'Weil am Rhein' },
};
const NEW_YORK: PlaceNames = {
  country: { name: 'United States', code: 'US' },
  region: { name: 'New York', code: 'US-NY' },
  locality: { name: 'New York' },
};

/** `GET /images?...` as the list function parses it, down to the search's filters. */
function searched(query: Record<string, string[]>) {
  const { limit: _l, owner: _o, cursor: _c, sort: _s, ...asked } = ListQuerySchema.parse(queryOf(query));
  const filters = filtersOf(asked);
  if (!filters) throw new Error('no search');
  return filters;
}

/** The posting of a processed image taken at `place`, as the index keeps it. */
function postingAt(place: PlaceNames): Posting {
  const item = withTerms({ ...searchableItem(), place: { ...place, source: 'gps' } }, undefined);
  return { term: 'all', imageId: item.imageId, ...postingOf(item) };
}

/** Does a search of `query` find a photo taken at `place`: the terms it reads are posted, and the posting passes. */
function finds(query: Record<string, string[]>, place: PlaceNames): boolean {
  const filters = searched(query);
  const posting = postingAt(place);
  const terms = new Set(termsOf({ ...searchableItem(), place: { ...place, source: 'gps' } }).terms);
  const read = requiredTerms(filters).filter((one) => one !== 'all');
  const wordsRead = filters.q.map((word) => `prefix=${[...word].slice(0, 3).join('')}`);
  return (
    read.every((one) => terms.has(one)) &&
    wordsRead.every((one) => terms.has(one)) &&
    matches(posting, requiredClauses(filters), filters)
  );
}

describe('place search', () => {
  it.each([['zurich'], ['Zürich'], ['ZÜRICH'], ['CH'], ['ch'], ['switzerland'], ['Bezirk Zürich']])(
    'place=%s finds a photo taken in Zürich',
    (value) => {
      expect(finds({ place: [value] }, ZURICH)).toBe(true);
    },
  );

  it('place= names a whole level: a part of a name, or another place, finds nothing', () => {
    expect(finds({ place: ['zur'] }, ZURICH)).toBe(false);
    expect(finds({ place: ['bezirk'] }, ZURICH)).toBe(false);
    expect(finds({ place: ['germany'] }, ZURICH)).toBe(false);
    expect(finds({ place: ['weil'] }, WEIL)).toBe(false);
  });

  it('place= takes a name of several words whole, in any case, with or without its punctuation', () => {
    expect(finds({ place: ['Weil am Rhein'] }, WEIL)).toBe(true);
    expect(finds({ place: ['weil  am rhein'] }, WEIL)).toBe(true);
    expect(finds({ place: ['new york'] }, NEW_YORK)).toBe(true);
    expect(finds({ place: ['Baden-Württemberg'] }, WEIL)).toBe(true);
    expect(finds({ place: ['baden wurttemberg'] }, WEIL)).toBe(true);
    expect(finds({ place: ['rhein am weil'] }, WEIL)).toBe(false);
  });

  it('place= repeated narrows: every name must be one of the place', () => {
    expect(finds({ place: ['new york', 'US'] }, NEW_YORK)).toBe(true);
    expect(finds({ place: ['new york', 'DE'] }, NEW_YORK)).toBe(false);
  });

  it('reads one posting list per name, the term indexing wrote', () => {
    expect(requiredTerms(searched({ place: ['Zürich', 'CH'] }))).toEqual(['place=zurich', 'place=ch']);
  });

  it('q= finds a photo by a word of its place, a word begun, with the other words of the image', () => {
    expect(finds({ q: ['basel'] }, { country: { name: 'Switzerland', code: 'CH' }, locality: { name: 'Basel' } })).toBe(
      true,
    );
    expect(finds({ q: ['rhein'] }, WEIL)).toBe(true);
    expect(finds({ q: ['wurtt'] }, WEIL)).toBe(true);
    expect(finds({ q: ['zürich coffee'] }, ZURICH)).toBe(true);
    expect(finds({ q: ['lörrach'] }, ZURICH)).toBe(false);
  });

  it('an image with no place, or one not processed, is posted under no place', () => {
    const { place: _none, ...unplaced } = searchableItem();
    expect(termsOf(unplaced).terms.filter((one) => one.startsWith('place'))).toEqual([]);
    const failed = { ...searchableItem(), status: 'FAILED' as const };
    expect(termsOf(failed).terms.filter((one) => one.startsWith('place'))).toEqual([]);
  });

  it('names each level once, the country by name and code; counts by country code, region and locality', () => {
    expect(placeNamesOf(ZURICH)).toEqual(['switzerland', 'ch', 'zurich', 'bezirk zurich']);
    expect(placePathOf(ZURICH)).toBe('ch/zurich/zurich');
    expect(placePathOf({ country: { name: 'Atlantis' }, locality: { name: 'Poseidonia' } })).toBe(
      'atlantis//poseidonia',
    );
    expect(placePathOf({ locality: { name: 'Nowhere' } })).toBe('//nowhere');
    expect(placePathOf({ area: { name: 'Bezirk Zürich' } })).toBeUndefined();
  });

  it("posts a level's other names (aka), so geneva, usa and united states find Genève and New York", () => {
    const geneva: PlaceNames = {
      country: { name: 'Switzerland', code: 'CH', aka: ['Schweiz', 'Suisse'] },
      region: { name: 'Genève', code: 'CH-GE' },
      locality: { name: 'Genève', code: '2660646', aka: ['Geneva'] },
    };
    const newYork: PlaceNames = {
      ...NEW_YORK,
      country: { name: 'United States of America', code: 'US', aka: ['United States', 'USA', 'Estados Unidos'] },
    };
    expect(placeNamesOf(geneva)).toEqual(['switzerland', 'ch', 'geneve', 'schweiz', 'suisse', 'geneva']);
    expect(finds({ q: ['geneva'] }, geneva)).toBe(true);
    expect(finds({ place: ['geneva'] }, geneva)).toBe(true);
    expect(finds({ q: ['usa'] }, newYork)).toBe(true);
    expect(finds({ q: ['united states'] }, newYork)).toBe(true);
    expect(finds({ place: ['united states'] }, newYork)).toBe(true);
    expect(finds({ q: ['usa'] }, geneva)).toBe(false);
  });

  it('posts at most MAX_AKA other names a level, whatever the record holds', () => {
    const many = { country: { name: 'Utopia', aka: Array.from({ length: 12 }, (_, i) => `Name${i}`) } };
    expect(placeNamesOf(many)).toHaveLength(1 + MAX_AKA);
  });

  it('keeps the counted path out of the facets a posting is checked by', () => {
    expect(postingAt(ZURICH).facets.filter((one) => one.startsWith('placePath='))).toEqual([]);
  });
});
