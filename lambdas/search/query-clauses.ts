import { SEARCH_FILTERS, type SearchFilter, type SearchFilters } from './filters';
import { readingOf } from './query-words';
import { EVERY_IMAGE_TERM, faceTerm, prefixOf } from './terms';
import { type TermField, term } from './vocabulary';

/*
 * The terms a search reads, from its filters and words: the clauses an image must meet, each a set of posting keys
 * of which it must have one. image-search.ts reads the postings under them.
 */

/**
 * The terms an image must have to match, each a posting key; none means every image (`all`). Each filter with a
 * `term` (filters.ts) asks for that term with each of its values; `minFaces` for its bucket's.
 */
export function requiredTerms(filters: SearchFilters): string[] {
  const terms: string[] = [];
  for (const [name, filter] of Object.entries(SEARCH_FILTERS as Record<string, SearchFilter>)) {
    const value = filters[name as keyof SearchFilters];
    if (filter.term === undefined || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) terms.push(term(filter.term, one));
  }
  const faces = filters.minFaces === undefined ? undefined : faceTerm(filters.minFaces);
  if (faces !== undefined) terms.push(faces);
  return terms.length > 0 ? [...new Set(terms)] : [EVERY_IMAGE_TERM];
}

/** Years a date search can be driven by at most: a wider range is most of the library, read through `all`. */
export const MAX_YEAR_TERMS = 8;

/** The field of each filter's term that another field meets as well (filters.ts `also`): `tag` to `keyword`. */
const ALSO = new Map(
  Object.values(SEARCH_FILTERS as Record<string, SearchFilter>).flatMap((filter) =>
    filter.term !== undefined && filter.also !== undefined ? [[filter.term, filter.also] as const] : [],
  ),
);

/**
 * The filters as clauses, each a set of terms of which an image must have one: a term per equality filter (and the
 * term of its `also`, `tag=beach` or `keyword=beach`), for a person its id and those merged into it (`personIds`),
 * and for an EXIF date range the years it spans (`taken=2019`...) when they are few. The exact bounds, and
 * `minFaces` past its bucket, are checked on each posting.
 */
export function requiredClauses(filters: SearchFilters, personIds?: readonly string[]): string[][] {
  const person = filters.person === undefined ? undefined : term('person', filters.person);
  const clauses = requiredTerms(filters)
    .filter((one) => one !== EVERY_IMAGE_TERM && one !== person)
    .map((one) => {
      const equals = one.indexOf('=');
      const also = ALSO.get(one.slice(0, equals) as TermField);
      return also === undefined ? [one] : [one, term(also, one.slice(equals + 1))];
    });
  if (filters.person !== undefined) {
    const ids = personIds && personIds.length > 0 ? personIds : [filters.person];
    clauses.push([...new Set(ids)].map((id) => term('person', id)));
  }
  const years = yearsOf(filters.takenAfter, filters.takenBefore);
  if (years !== undefined) clauses.push(years.map((year) => term('taken', year)));
  return clauses.length > 0 ? clauses : [[EVERY_IMAGE_TERM]];
}

/** Whether the search bounds the EXIF date: its postings' `takenAt` is then checked against the bounds. */
export function hasDateBounds(filters: SearchFilters): boolean {
  return filters.takenAfter !== undefined || filters.takenBefore !== undefined;
}

/** The years from `after` to `before` (this year when open), or undefined when there are too many to read. */
function yearsOf(after: string | undefined, before: string | undefined): number[] | undefined {
  if (after === undefined && before === undefined) return undefined;
  const first = after === undefined ? undefined : Number(after.slice(0, 4));
  const last = before === undefined ? new Date().getUTCFullYear() : Number(before.slice(0, 4));
  if (first === undefined || last < first || last - first + 1 > MAX_YEAR_TERMS) return undefined;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Terms a word's clause reads at most for what it reaches beyond its own letters (the image-search's MAX_CLAUSE_TERMS,
 * which a clause must keep to to drive a search): its forms, a person named by it and its colour first, then as many
 * of its classes as fit, broader before narrower, in word-classes.json's order.
 */
export const MAX_WORD_TERMS = 12;

/**
 * The clauses of a `q=` search, one per word: the `prefix=` postings of the word and of its other forms, of the
 * classes it reaches (query-words.ts: `animal` reads `dog`'s, `eagle` `bird`'s), of its colour (`color=blue`), or those
 * of a person whose name it begins (`named`: the word's person ids, from the people store).
 */
export function wordClauses(filters: SearchFilters, named?: Readonly<Record<string, readonly string[]>>): string[][] {
  return filters.q.map((word) => {
    const reading = readingOf(word);
    const own = [
      ...reading.forms.map((form) => term('prefix', prefixOf(form))),
      ...(named?.[word] ?? []).map((id) => term('person', id)),
      ...(reading.colour === undefined ? [] : [term('color', reading.colour)]),
    ];
    const reached = [...reading.classes, ...reading.narrower].map((name) =>
      term('prefix', prefixOf(name.split(' ')[0] as string)),
    );
    const terms = [...new Set(own)];
    for (const one of reached) if (terms.length < MAX_WORD_TERMS && !terms.includes(one)) terms.push(one);
    return terms;
  });
}
