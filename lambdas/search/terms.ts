import { phashBands } from '../core/analysis/phash-bands';
import { flaggedOf } from '../core/moderation';
import type { PlaceNames } from '../core/place';
import type { Provenance } from '../core/provenance';
import type { ColorName } from '../core/vocabulary';
import type { ImageItem } from '../store/image-item';
import { labelsOf, MIN_WORD_LENGTH, normalizeName, prefixOf, wordsOf } from '../store/labels';
import { takenAtOf } from '../store/timeline-key';
import { CALIBRATION, type Calibration } from '../vision/calibration';
import { confirmedObjectsOf, likelyTermsOf } from './likely';
import { phashTerm, type TermField, term } from './vocabulary';

export { labelsOf, normalizeName, normalizeWord, PREFIX_LENGTH, prefixOf } from '../store/labels';

/**
 * The search terms of an image: what `GET /images` filters match exactly, each `field=value`, normalised so that a
 * query and a record written by any version agree (lower case, accents removed). The search index keeps one posting
 * per term (see postings-design.ts); the record keeps the list it was indexed under, so replacing or removing the
 * postings never depends on how a later version would derive them.
 */

/** A colour counts for an image when its palette entries of that name hold at least this share of it. */
export const COLOR_MIN_PROPORTION = 0.1;

/**
 * Words of the OCR text indexed per image, at most: a scanned page has hundreds, each a posting (a write unit).
 * Past this, the longest words are kept (short ones are the common ones); the record's `indexedTerms` list which.
 */
export const MAX_TEXT_WORDS = 100;

/**
 * Words of what a photo says of itself (its title, headline and caption) indexed per image, at most: a caption may
 * hold 2,000 characters, each word a posting. Past this, the longest are kept, as of the OCR text.
 */
export const MAX_CAPTION_WORDS = 50;

/** The terms whose values are words a `q=` search finds an image by, besides its filename's. */
export const WORD_SOURCES = [
  'tag',
  'label',
  'object',
  'word',
  'camera',
  'place',
  'provenance',
  'credit',
  'keyword',
  'caption',
] as const satisfies readonly TermField[];

/**
 * The words a term of WORD_SOURCES gives a `q=` search: a name's words, a provenance summary's (`ai-generated`: `ai`
 * and `generated`), none for `provenance=unknown` (nothing says where it comes from) nor for any other term.
 */
export function termWordsOf(one: string): string[] {
  const equals = one.indexOf('=');
  const field = one.slice(0, equals);
  const value = one.slice(equals + 1);
  if (!(WORD_SOURCES as readonly string[]).includes(field) || one === term('provenance', 'unknown')) return [];
  return value.split(/[ -]/).filter((word) => word.length >= MIN_WORD_LENGTH);
}

/**
 * The words an image is found by in a `q=` search: those of its filename, and of its terms of WORD_SOURCES (a name
 * split into words). A posting carries both, so a query checks a word without reading the record.
 */
export function searchWordsOf(terms: readonly string[], filename: string | undefined): string[] {
  const words = new Set<string>(filename ? wordsOf(filename) : []);
  for (const one of terms) for (const word of termWordsOf(one)) words.add(word);
  return [...words];
}

/** Words of one name its Content Credentials give that a search finds the image by, at most (the rest are dropped). */
export const MAX_CREDIT_WORDS = 8;

/**
 * The `credit=` values of an image's provenance: the names a `q=` search finds it by, normalised as names are. The
 * generator the summary was read from (the reader keeps none of a claim it does not trust), and the claim generator
 * and the signer's name and organization of a manifest that checks (`valid` or `untrusted`): an `invalid` one's are
 * anyone's to write. Each name at most MAX_CREDIT_WORDS words: the uploader writes the manifest.
 */
export function creditsOf(provenance: Provenance | undefined): string[] {
  if (!provenance) return [];
  const { generator, credentials } = provenance;
  const checked = credentials?.validation === 'invalid' ? undefined : credentials;
  const names = [generator, checked?.claimGenerator, checked?.signer?.name, checked?.signer?.organization];
  const credits = names.map((name) =>
    normalizeName(name ?? '')
      .split(' ')
      .slice(0, MAX_CREDIT_WORDS)
      .join(' '),
  );
  return [...new Set(credits.filter(Boolean))];
}

/**
 * The colour name of an sRGB colour, by hue, saturation and lightness (HSL): near-greys by lightness (black, gray,
 * white), dark oranges and yellows as brown, light reds as pink, then the hue wheel.
 */
export function colorName(r: number, g: number, b: number): ColorName {
  const [h, s, l] = toHsl(r, g, b);
  if (l < 0.12) return 'black';
  if (l > 0.9 && s < 0.5) return 'white';
  if (s < 0.15) return l < 0.3 ? 'black' : l > 0.8 ? 'white' : 'gray';
  if (h < 15 || h >= 345) return l > 0.7 ? 'pink' : l < 0.35 && s < 0.6 ? 'brown' : 'red';
  if (h < 45) return l < 0.45 ? 'brown' : 'orange';
  if (h < 70) return l < 0.3 ? 'brown' : 'yellow';
  if (h < 160) return 'green';
  if (h < 195) return 'teal';
  if (h < 255) return 'blue';
  if (h < 290) return 'purple';
  return l > 0.6 ? 'pink' : 'purple';
}

function toHsl(r: number, g: number, b: number): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return [0, 0, l];
  const s = d / (1 - Math.abs(2 * l - 1));
  let h: number;
  if (max === rn) h = ((gn - bn) / d) % 6;
  else if (max === gn) h = (bn - rn) / d + 2;
  else h = (rn - gn) / d + 4;
  return [(h * 60 + 360) % 360, s, l];
}

/** The colours that hold at least COLOR_MIN_PROPORTION of an image, from its palette. */
export function colorsOf(palette: ReadonlyArray<{ rgb: { r: number; g: number; b: number }; proportion: number }>) {
  const shares = new Map<ColorName, number>();
  for (const { rgb, proportion } of palette) {
    const name = colorName(rgb.r, rgb.g, rgb.b);
    shares.set(name, (shares.get(name) ?? 0) + proportion);
  }
  return [...shares].filter(([, share]) => share >= COLOR_MIN_PROPORTION).map(([name]) => name);
}

/** The term every final image is posted under: a search with no other term, and a plain list page's details. */
export const EVERY_IMAGE_TERM = 'all';

export interface ImageTerms {
  /** `field=value` terms, each a posting of its own; `all` lists every indexed image. */
  terms: string[];
  /** The OCR text had more distinct words than MAX_TEXT_WORDS: the shortest were left out. */
  wordsCut: boolean;
}

/**
 * Every term of a final image. PROCESSED images get what their analysis and vision say; any final image gets `all`
 * and its status, so a search with a status filter and any other narrows correctly. Its likely matches are posted
 * apart, each under its confidence band (likelyTermsOf), at the retrieval thresholds of `calibration`.
 */
export function termsOf(item: ImageItem, calibration: Calibration = CALIBRATION): ImageTerms {
  const terms = new Set<string>([EVERY_IMAGE_TERM, term('status', item.status)]);
  const add = (field: TermField, value: string | undefined) => {
    if (value) terms.add(term(field, value));
  };
  let wordsCut = false;
  const analysis = item.analysis;
  if (item.status === 'PROCESSED' && analysis?.status === 'PROCESSED') {
    const { metadata, palette } = analysis;
    add('format', metadata.format);
    add('orientation', metadata.orientation);
    add('camera', metadata.exif?.make && normalizeName(metadata.exif.make));
    add('camera', metadata.exif?.model && normalizeName(metadata.exif.model));
    for (const color of colorsOf(palette)) add('color', color);
    for (const [band, value] of phashBands(analysis.hashes.phash).entries()) terms.add(phashTerm(band, value));
    add('sha256', analysis.hashes.sha256);
    if (analysis.quality) {
      for (const flag of analysis.quality.flags) add('quality', flag);
      if (analysis.quality.flags.length === 0) add('quality', 'ok');
    }
    // What the photo says of itself (its IPTC and XMP): each keyword whole, which `tag=` reads beside its owner's
    // tags (filters.ts) and whose words `q=` finds; the words of its title, headline and caption. From its analysis,
    // so its owner's tag edits, which write only `tags`, never take them away.
    const { described } = analysis;
    for (const keyword of described?.keywords ?? []) add('keyword', normalizeName(keyword));
    const said = [described?.title, described?.headline, described?.caption].filter(Boolean).join(' ');
    for (const word of longestWords(wordsOf(said), MAX_CAPTION_WORDS)) add('caption', word);
  }
  // What the client said of any final image, rejected or failed ones too: a search finds an upload by its name.
  for (const tag of item.tags ?? []) add('tag', normalizeName(tag));
  const vision = item.vision;
  if (item.status === 'PROCESSED') {
    // The model's labels not taken away and people's (label corrections), each with where it came from.
    for (const label of labelsOf(item)) {
      add('label', normalizeName(label.name));
      add('labelSource', label.source);
    }
  }
  if (item.status === 'PROCESSED' && analysis?.status === 'PROCESSED') {
    // Its owner's date taken, else the EXIF one (timeline-key.ts).
    add('taken', takenYear(takenAtOf(item)));
  }
  // Only a favourite is posted (`favourite=true`): the filter asks for favourites, never for the rest.
  if (item.status === 'PROCESSED' && item.favourite === true) add('favourite', 'true');
  // Its place: each level's name (and the country's code) for `place=` and the words of `q=`; its path, counted.
  if (item.status === 'PROCESSED') {
    for (const name of placeNamesOf(item.place)) add('place', name);
    add('placePath', placePathOf(item.place));
  }
  // Where it comes from (lambdas/provenance): its summary, and the names its credentials give (creditsOf).
  if (item.status === 'PROCESSED' && item.provenance) {
    add('provenance', item.provenance.summary);
    for (const name of creditsOf(item.provenance)) add('credit', name);
  }
  // Flagged by its owner's policy on any category, or checked and not (core/moderation.ts): with no vision too, when
  // provenance's categories flagged it.
  const flagged = flaggedOf(item);
  if (item.status === 'PROCESSED' && flagged !== undefined) add('flagged', String(flagged));
  // Each person the image's faces joined (face grouping on; a later merge is read through termsOf).
  if (item.status === 'PROCESSED') for (const face of item.people?.faces ?? []) add('person', face.personId);
  if (item.status === 'PROCESSED' && vision) {
    for (const bucket of FACE_BUCKETS) if (vision.faces.length >= bucket) add('faces>', String(bucket));
    for (const object of vision.objects) add('object', normalizeName(object.name));
    for (const object of confirmedObjectsOf(item, calibration)) add('object', object.name);
    const words = wordsOf(vision.text.fullText);
    wordsCut = words.length > MAX_TEXT_WORDS;
    for (const word of longestWords(words, MAX_TEXT_WORDS)) add('word', word);
  }
  // The words a `q=` search finds the image by, each under its first PREFIX_LENGTH characters.
  for (const word of searchWordsOf([...terms], item.filename)) add('prefix', prefixOf(word));
  for (const one of likelyTermsOf(item, calibration)) terms.add(one);
  return { terms: [...terms].sort(), wordsCut };
}

/** The `max` longest of `words` (short words are the common ones), all of them when they are no more. */
function longestWords(words: readonly string[], max: number): readonly string[] {
  return words.length > max ? [...words].sort((a, b) => b.length - a.length).slice(0, max) : words;
}

/** Other names of one level of a place posted at most, whatever a record holds (the data keeps 6 a country, 2 a town). */
export const MAX_AKA = 6;

/**
 * The `place=` values of a place: each level's whole name, the country's code and each level's other names (`aka`:
 * `geneva` for Genève, `usa` and `united states` for the United States of America), normalised as names are. A name
 * with punctuation in it is posted twice, as a name reads it (`Basel-Stadt` is `baselstadt`) and with the
 * punctuation as spaces (`basel stadt`), so `place=basel stadt` finds it too, and `q=stadt` finds a word of it.
 */
export function placeNamesOf(place: PlaceNames | undefined): string[] {
  if (!place) return [];
  const { country, region, area, locality } = place;
  const names = [
    country?.name,
    country?.code,
    region?.name,
    area?.name,
    locality?.name,
    // Other names the places data gives (`Geneva`, `USA`, `Schweiz`): a few a level at most (places/aliases.ts).
    ...[country, region, area, locality].flatMap((level) => level?.aka?.slice(0, MAX_AKA) ?? []),
  ].flatMap((name) => (name ? [normalizeName(name), normalizeName(name.replace(/[\p{P}\p{S}]+/gu, ' '))] : []));
  return [...new Set(names.filter(Boolean))];
}

/**
 * The `placePath=` value an image's place is counted under (place-counts.ts): country (its code, else its name),
 * region and locality, normalised and joined by `/`, a level it lacks left empty (`va//vatican city`); none for a
 * place with none of the three. The Places view shows a path by the levels it has (list-places.ts `groupPlaces`).
 */
export function placePathOf(place: PlaceNames | undefined): string | undefined {
  if (!place) return undefined;
  const { country, region, locality } = place;
  const path = [
    country && normalizeName(country.code ?? country.name),
    region && normalizeName(region.name),
    locality && normalizeName(locality.name),
  ];
  return path.some(Boolean) ? path.map((key) => key ?? '').join('/') : undefined;
}

/**
 * `minFaces` reads the postings of the largest of these at most as large, and checks the exact count on each: a
 * term per bucket rather than per count keeps an image to 5 such postings however many faces it has.
 */
export const FACE_BUCKETS = [1, 2, 3, 5, 10] as const;

/** The `faces>=` term that drives a `minFaces` search: the largest bucket not above it. */
export function faceTerm(minFaces: number): string | undefined {
  const bucket = [...FACE_BUCKETS].reverse().find((b) => b <= minFaces);
  return bucket === undefined ? undefined : term('faces>', bucket);
}

/** The year of a date taken (`YYYY-MM-DDTHH:MM:SS`), the term a date search is driven by. */
export function takenYear(takenAt: string | undefined): string | undefined {
  return takenAt && /^\d{4}-/.test(takenAt) ? takenAt.slice(0, 4) : undefined;
}
