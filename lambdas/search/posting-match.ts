import type { SearchMatch } from '../store/image-view';
import { PREFIX_LENGTH, wordsOf } from '../store/labels';
import type { SearchFilters } from './filters';
import type { Posting } from './postings-design';
import { EVERY_IMAGE_TERM, termWordsOf } from './terms';
import { LIKELY_BANDS, parseLikely, type TermField, term } from './vocabulary';

/*
 * Whether a search's posting meets its filters, in which phase (sure, or a likely band) and why: what a search page
 * (image-search.ts) checks on each posting it reads, without reading the record.
 */

/** Does a query word find this word: it begins it, or, shorter than a prefix, it is it. */
export function wordFinds(queried: string, word: string): boolean {
  return [...queried].length < PREFIX_LENGTH ? word === queried : word.startsWith(queried);
}

/** A word of `q`, or a `label`/`object` value: what a likely match can meet as well as a sure one. */
export interface Wanted {
  asked: SearchMatch['asked'];
  word: string;
}

/** The words and values of a search that a likely match can meet, each once. */
export function wantedOf(filters: SearchFilters): Wanted[] {
  return [
    ...filters.q.map((word) => ({ asked: 'q' as const, word })),
    ...filters.object.map((word) => ({ asked: 'object' as const, word })),
    ...filters.label.map((word) => ({ asked: 'label' as const, word })),
  ];
}

/**
 * The phase of a search a page lists a matching image in: SURE when every word and value is met by a sure term,
 * else the band of the weakest (LIKELY_BANDS - 1 down to 0). An image is listed once, in its phase.
 */
export const SURE = LIKELY_BANDS;

/** The fields a word of `q` is looked for in, in the order `matchedBy` prefers: what the image shows first. */
const WORD_FIELDS = [
  'object',
  'label',
  'tag',
  'keyword',
  'word',
  'caption',
  'place',
  'camera',
  'provenance',
  'credit',
] as const satisfies readonly (TermField & SearchMatch['field'])[];

/**
 * How a posting meets one wanted word or value at best: a sure match (SURE) where it has one, else its strongest
 * likely one (its band), with what it matched; undefined when it does not.
 */
function bestMatch(
  posting: Posting,
  facets: ReadonlySet<string>,
  wanted: Wanted,
  named: Readonly<Record<string, readonly string[]>> | undefined,
): { phase: number; match: SearchMatch } | undefined {
  const { asked, word } = wanted;
  const sure = (field: SearchMatch['field'], value: string) => ({ phase: SURE, match: { asked, word, field, value } });
  // A likely term finds the wanted one: its class is the value asked for, or has a word the query word begins.
  const finds = (likely: string) => {
    const [field, name] = likely.split('=') as [string, string];
    return asked === 'q'
      ? (field === 'object' || field === 'label') && name.split(' ').some((one) => wordFinds(word, one))
      : field === asked && name === word;
  };
  if (asked !== 'q') {
    if (facets.has(term(asked, word))) return sure(asked, word);
  } else {
    for (const field of WORD_FIELDS) {
      for (const one of facets) {
        if (!one.startsWith(`${field}=`)) continue;
        if (termWordsOf(one).some((part) => wordFinds(word, part))) return sure(field, one.slice(field.length + 1));
      }
    }
    const filename = wordsOf(posting.summary?.filename ?? '').find((one) => wordFinds(word, one));
    if (filename !== undefined) return sure('filename', filename);
    const person = (named?.[word] ?? []).find((id) => facets.has(term('person', id)));
    if (person !== undefined) return sure('person', person);
  }
  let best: { phase: number; match: SearchMatch } | undefined;
  for (const one of facets) {
    const likely = parseLikely(one);
    if (likely === undefined || !finds(likely.term)) continue;
    const [field, value] = likely.term.split('=') as ['object' | 'label', string];
    // The strongest band; within one, an object over the label it is posted as too (terms.ts likelyTermsOf).
    const better =
      best === undefined ||
      likely.band > best.phase ||
      (likely.band === best.phase && field === 'object' && best.match.field === 'label');
    if (!better) continue;
    const score = posting.scores?.[likely.term];
    best = {
      phase: likely.band,
      match: { asked, word, field, value, likely: true, ...(score !== undefined && { score }) },
    };
  }
  return best;
}

/**
 * Does a posting's image pass every filter, and in which phase (SURE, or a likely band) with what it matched? Each
 * clause (one term, or a choice of terms) from its facets, but those of the `label` and `object` values, which a
 * likely match may meet as the words of `q` may (bestMatch); faces and the date bounds from its own attributes.
 */
export function phaseOf(
  posting: Posting,
  required: readonly (string | readonly string[])[],
  filters: SearchFilters,
  named?: Readonly<Record<string, readonly string[]>>,
): { phase: number; matchedBy: SearchMatch[] } | undefined {
  const facets = new Set(posting.facets);
  const wanted = wantedOf(filters);
  const wantedTerms = new Set(
    wanted.filter((one) => one.asked !== 'q').map((one) => term(one.asked as TermField, one.word)),
  );
  const holds = (clause: string | readonly string[]) => {
    const terms = typeof clause === 'string' ? [clause] : clause;
    return (
      (terms.length === 1 && wantedTerms.has(terms[0] as string)) ||
      terms.some((one) => one === EVERY_IMAGE_TERM || facets.has(one))
    );
  };
  if (!required.every(holds)) return undefined;
  if (filters.minFaces !== undefined && (posting.faces ?? 0) < filters.minFaces) return undefined;
  if (filters.takenAfter !== undefined && !(posting.takenAt && posting.takenAt >= filters.takenAfter)) return undefined;
  if (filters.takenBefore !== undefined && !(posting.takenAt && posting.takenAt <= filters.takenBefore)) {
    return undefined;
  }
  let phase = SURE;
  const matchedBy: SearchMatch[] = [];
  for (const one of wanted) {
    const best = bestMatch(posting, facets, one, named);
    if (best === undefined) return undefined;
    phase = Math.min(phase, best.phase);
    matchedBy.push(best.match);
  }
  return { phase, matchedBy };
}

/**
 * Does a posting's image pass every filter with sure matches alone? Each clause from its facets; each word of `q`
 * from the words the posting carries (its facets and filename) or a person named by it (`named`); faces and the
 * date bounds from its own attributes.
 */
export function matches(
  posting: Posting,
  required: readonly (string | readonly string[])[],
  filters: SearchFilters,
  named?: Readonly<Record<string, readonly string[]>>,
): boolean {
  return phaseOf(posting, required, filters, named)?.phase === SURE;
}
