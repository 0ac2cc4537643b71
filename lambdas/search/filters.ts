import {
  COLOR_NAMES,
  IMAGE_STATUSES,
  LABEL_SOURCES,
  ORIENTATIONS,
  PROCESSED_FORMATS,
  PROVENANCE_SUMMARIES,
  QUALITY_SEARCH_VALUES,
} from '../core/vocabulary';
import type { TermField } from './vocabulary';

/*
 * The search filters of `GET /images`, one entry each: what the API's query schema (list-images/route.ts), the
 * search (image-search.ts), the OpenAPI document, the CLI's help and the web app's filter form are all made from.
 * Plain data, no zod: the web app bundles this file.
 */

/** How a filter's value is written and checked; each kind has one parser in list-images/route.ts. */
export type FilterKind =
  /** Names of labels or objects, repeatable, each normalised as the index is. */
  | 'names'
  /** One name (a camera's make or model). */
  | 'name'
  /** Free text, split into the words the OCR text is indexed by. */
  | 'words'
  /** Free text whose every word must begin a word the image is found by (terms.ts `searchWordsOf`). */
  | 'query'
  /** One of `values`. */
  | 'choice'
  /** A whole number from 0 to `max`. */
  | 'count'
  /** `true` or `false`. */
  | 'flag'
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`; a date alone is the day's start (`after`) or end (`before`). */
  | 'date'
  /** An opaque id the API handed out (a person's: letters and digits, at most 64). */
  | 'id';

export interface SearchFilter {
  readonly kind: FilterKind;
  /** The search term an image must have (terms.ts): the posting list this filter reads. None: checked per posting. */
  readonly term?: TermField;
  /**
   * Another term that meets it as well: an image with either matches (the clause reads both terms' postings). The
   * `tag` filter's is `keyword`, the keywords the photo carries itself, which its owner's tags never replace.
   */
  readonly also?: TermField;
  readonly values?: readonly string[];
  /** What each value reads as in a form, where not the value itself. */
  readonly names?: Readonly<Record<string, string>>;
  readonly max?: number;
  readonly bound?: 'after' | 'before';
  /** A form's label for it. */
  readonly title: string;
  /** What it matches, for the OpenAPI document and the CLI's help. */
  readonly description: string;
}

/**
 * What a label, object or camera name may be where a client gives one (a filter, a label correction): letters,
 * digits, spaces and `' . -`, at most 64 characters, so nothing a key or an expression could mistake for syntax.
 */
export const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} '.-]{0,63}$/u;
/** The longest label, object or camera name a client may give (NAME_PATTERN's bound, said on its own). */
export const MAX_NAME_CHARS = 64;
/** NAME_PATTERN's characters without its length: a name too long is refused for its length, naming the limit. */
export const NAME_CHARS = /^[\p{L}\p{N}][\p{L}\p{N} '.-]*$/u;

/** Values a repeatable filter may have at most (`label=a&label=b`...). */
export const MAX_NAMES = 10;
/** Words a `text` or `q` filter may have at most. */
export const MAX_TEXT_WORDS_QUERIED = 10;

export const SEARCH_FILTERS = {
  q: {
    kind: 'query',
    title: 'Search',
    description:
      'Words that must each begin a word of the image: its filename, tags, labels (corrections included), objects, ' +
      'text, camera, place, provenance (`ai-generated`, and the generator, signer and claim generator its Content ' +
      "Credentials name), the keywords, title, headline and caption of the photo's own IPTC and XMP, or the name of " +
      'a person in it; accents and case do not matter (at most ' +
      `${MAX_TEXT_WORDS_QUERIED} words; a word of two letters matches only itself)`,
  },
  tag: {
    kind: 'names',
    term: 'tag',
    also: 'keyword',
    title: 'Tag',
    description:
      "A tag the image has (given at upload or since) or a whole keyword of the photo's own IPTC or XMP; repeat for " +
      `more, each must match (at most ${MAX_NAMES})`,
  },
  label: {
    kind: 'names',
    term: 'label',
    title: 'Label',
    description: `A vision label the image has; repeat for more, each must match (at most ${MAX_NAMES})`,
  },
  object: {
    kind: 'names',
    term: 'object',
    title: 'Object',
    description: `An object detected in the image; repeat for more, each must match (at most ${MAX_NAMES})`,
  },
  text: {
    kind: 'words',
    term: 'word',
    title: 'Text in the image',
    description: `Words that must all be in the image's text as OCR read it (at most ${MAX_TEXT_WORDS_QUERIED} words)`,
  },
  color: {
    kind: 'choice',
    term: 'color',
    values: COLOR_NAMES,
    title: 'Colour',
    description: "A colour name the image's palette has",
  },
  minFaces: {
    kind: 'count',
    max: 100,
    title: 'At least this many faces',
    description: 'At least this many faces (0 to 100)',
  },
  flagged: {
    kind: 'flag',
    term: 'flagged',
    names: { true: 'Flagged', false: 'Not flagged' },
    title: 'Moderation',
    description:
      "Whether its owner's moderation policy flagged the image, on vision's categories or provenance's (AI Generated, " +
      'Tampered Credentials); an image nothing checked matches neither',
  },
  quality: {
    kind: 'choice',
    term: 'quality',
    values: QUALITY_SEARCH_VALUES,
    names: {
      blurry: 'Blurry',
      underexposed: 'Underexposed',
      overexposed: 'Overexposed',
      lowContrast: 'Low contrast',
      ok: 'No quality flag',
    },
    title: 'Quality',
    description:
      'A quality flag the core gave the image, or `ok` for none (images analysed before 1.1.0 match neither)',
  },
  provenance: {
    kind: 'choice',
    term: 'provenance',
    values: PROVENANCE_SUMMARIES,
    names: {
      'ai-generated': 'Made by AI',
      'ai-edited': 'Edited with AI',
      camera: 'Camera',
      edited: 'Edited',
      unknown: 'Unknown',
    },
    title: 'Provenance',
    description:
      'Where the image comes from, as its Content Credentials (C2PA) or its XMP digital source type say: made by a ' +
      'generative model, partly made by one, a camera capture, edited with other software, or unknown (images ' +
      'analysed before 1.3.0 match none)',
  },
  person: {
    kind: 'id',
    term: 'person',
    title: 'Person',
    description:
      "A person one of the image's faces joined (an id of GET /people, face grouping on); a person merged into it " +
      'counts as it',
  },
  format: {
    kind: 'choice',
    term: 'format',
    values: PROCESSED_FORMATS,
    title: 'Format',
    description: 'The format the analysis found in the bytes',
  },
  orientation: {
    kind: 'choice',
    term: 'orientation',
    values: ORIENTATIONS,
    title: 'Orientation',
    description: 'The shape of the image',
  },
  place: {
    kind: 'names',
    term: 'place',
    title: 'Place',
    description:
      "A whole name of the image's place at any level: its country's name or code, region, area or locality " +
      `(\`place=Zürich\`, \`place=CH\`, \`place=new york\`; accents, case and punctuation do not matter); repeat for ` +
      `more, each must match (at most ${MAX_NAMES})`,
  },
  takenAfter: {
    kind: 'date',
    bound: 'after',
    title: 'Taken on or after',
    description: "Taken on or after this date (local time: the owner's date taken, else the camera's EXIF clock)",
  },
  takenBefore: {
    kind: 'date',
    bound: 'before',
    title: 'Taken on or before',
    description: "Taken on or before this date (a date alone: to the day's end)",
  },
  camera: {
    kind: 'name',
    term: 'camera',
    title: 'Camera',
    description: "The camera's make or model, as its EXIF names it",
  },
  status: {
    kind: 'choice',
    term: 'status',
    values: IMAGE_STATUSES,
    title: 'Status',
    description: 'Only images with this status',
  },
  labelSource: {
    kind: 'choice',
    term: 'labelSource',
    values: LABEL_SOURCES,
    names: { model: 'A model', user: 'A person' },
    title: 'Labels from',
    description: "Whose labels the image has: the vision models' or its owner's",
  },
  favourite: {
    kind: 'choice',
    term: 'favourite',
    values: ['true'],
    names: { true: 'Favourites' },
    title: 'Favourites',
    description: '`true`: only the images their owner marked a favourite (`PUT /images/{id}/favourite`)',
  },
} as const satisfies Record<string, SearchFilter>;

export type FilterName = keyof typeof SEARCH_FILTERS;
export const FILTER_NAMES = Object.keys(SEARCH_FILTERS) as FilterName[];

/** Filters that may be given more than once. */
export const isRepeatable = (name: string) => (SEARCH_FILTERS as Record<string, SearchFilter>)[name]?.kind === 'names';

/** Filters whose value is a list (names, or the words of a text): always there once parsed, maybe empty. */
export const isList = (name: string) =>
  ['names', 'words', 'query'].includes((SEARCH_FILTERS as Record<string, SearchFilter>)[name]?.kind ?? '');

/** What a filter's value is once parsed (list-images/route.ts): a list, a count, a flag, one of its values. */
export type FilterValue<F> = F extends { kind: 'names' | 'words' | 'query' }
  ? string[]
  : F extends { kind: 'count' }
    ? number
    : F extends { kind: 'flag' }
      ? boolean
      : F extends { values: readonly (infer V)[] }
        ? V
        : string;
type ValueOfFilter<K extends FilterName> = FilterValue<(typeof SEARCH_FILTERS)[K]>;
type ListFilter = { [K in FilterName]: ValueOfFilter<K> extends string[] ? K : never }[FilterName];

/**
 * What a search asks for, every filter ANDed: each of SEARCH_FILTERS, parsed. Dates are `YYYY-MM-DDTHH:MM:SS` (the
 * camera's local time, as the record keeps it), the bounds inclusive.
 */
export type SearchFilters = { [K in ListFilter]: ValueOfFilter<K> } & {
  [K in Exclude<FilterName, ListFilter>]?: ValueOfFilter<K>;
};
