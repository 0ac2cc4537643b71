import type { SearchMatch } from '../store/image-view';
import { PREFIX_LENGTH, wordsOf } from '../store/labels';
import type { SearchFilters } from './filters';
import type { Posting } from './postings-design';
import type { Reach } from './query-words';
import { readingOf } from './query-words';
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

/**
 * The phase after every likely band: a word met only by what is written on the photo (its OCR text) or said of it
 * (its camera, the names in its Content Credentials), or a narrower word met by its class (`eagle` by a bird). A
 * hit on a sign reading "Car Parks" is not a car: the cars found as likely come first.
 */
export const WEAK = -1;

/**
 * The fields a word of `q` finds the image by surely, in the order `matchedBy` prefers: what the image shows first,
 * then what its owner and the photo's own metadata say of it (tags, keywords, caption), where it was taken.
 */
const WORD_FIELDS = [
  'object',
  'label',
  'tag',
  'keyword',
  'caption',
  'place',
  'provenance',
] as const satisfies readonly (TermField & SearchMatch['field'])[];

/** The fields a word of `q` finds the image by in the WEAK phase: what is written on it or said of it. */
const WEAK_FIELDS = ['word', 'camera', 'credit'] as const satisfies readonly (TermField & SearchMatch['field'])[];

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
  const sure = (field: SearchMatch['field'], value: string, through?: Reach) => ({
    phase: SURE,
    match: { asked, word, field, value, ...(through !== undefined && { through }) },
  });
  const reading = asked === 'q' ? readingOf(word) : undefined;
  // How a word of `q` finds a word of the image: by one of its forms (`horses` by `horse`), saying so when not its own.
  const throughForm = (part: string): Reach | undefined | false => {
    if (wordFinds(word, part)) return undefined;
    return reading?.forms.some((form) => form !== word && wordFinds(form, part)) ? 'form' : false;
  };
  const wordIn = (fields: readonly SearchMatch['field'][]) => {
    for (const field of fields) {
      for (const one of facets) {
        if (!one.startsWith(`${field}=`)) continue;
        for (const part of termWordsOf(one)) {
          const through = throughForm(part);
          if (through !== false) return { field, value: one.slice(field.length + 1), through };
        }
      }
    }
    return undefined;
  };
  // A class a word reaches (`animal`: dog), its object or label.
  const classIn = (classes: readonly string[]) => {
    for (const field of ['object', 'label'] as const) {
      const name = classes.find((one) => facets.has(term(field, one)));
      if (name !== undefined) return { field, value: name };
    }
    return undefined;
  };
  // A likely term finds the wanted one: its class is the value asked for, a class the word reaches, or has a word
  // the query word (or another form of it) begins.
  const finds = (likely: string) => {
    const [field, name] = likely.split('=') as [string, string];
    if (reading === undefined) return field === asked && name === word;
    if (field !== 'object' && field !== 'label') return false;
    return (
      reading.classes.includes(name) ||
      name.split(' ').some((one) => reading.forms.some((form) => wordFinds(form, one)))
    );
  };
  if (reading === undefined) {
    if (facets.has(term(asked as TermField, word))) return sure(asked as 'object' | 'label', word);
  } else {
    const shown = wordIn(WORD_FIELDS);
    if (shown !== undefined) return sure(shown.field, shown.value, shown.through);
    const reached = classIn(reading.classes);
    if (reached !== undefined) return sure(reached.field, reached.value, 'broader');
    if (reading.colour !== undefined && facets.has(term('color', reading.colour))) {
      return sure('color', reading.colour, 'colour');
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
    const through: Reach | undefined = reading?.classes.includes(value) ? 'broader' : undefined;
    best = {
      phase: likely.band,
      match: {
        asked,
        word,
        field,
        value,
        likely: true,
        ...(score !== undefined && { score }),
        ...(through !== undefined && { through }),
      },
    };
  }
  if (best !== undefined || reading === undefined) return best;
  // Only what is written on it or said of it, or a class the word is narrower than: after every likely match.
  const weak = wordIn(WEAK_FIELDS);
  if (weak !== undefined) {
    const { field, value, through } = weak;
    return { phase: WEAK, match: { asked, word, field, value, ...(through !== undefined && { through }) } };
  }
  // A class it is narrower than, shown or likely: the model never said it is an eagle.
  const narrower =
    classIn(reading.narrower) ??
    [...facets]
      .map((one) => parseLikely(one)?.term.split('=') as [string, string] | undefined)
      .map((parts) => parts && { field: parts[0], value: parts[1] })
      .find(
        (one): one is { field: 'object' | 'label'; value: string } =>
          one !== undefined &&
          (one.field === 'object' || one.field === 'label') &&
          reading.narrower.includes(one.value),
      );
  if (narrower !== undefined) {
    return { phase: WEAK, match: { asked, word, ...narrower, likely: true, through: 'narrower' } };
  }
  return undefined;
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
