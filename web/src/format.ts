import type { ImageDetail, NamedPlace } from './types';

/** Small formatting helpers shared by the pages. */

const MB = 1024 * 1024;

/** Sizes the way the API's limits are spoken of: 25 MiB is "25.0 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Label names compare with case and accents ignored, as the API does. */
export function normalizeName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** The name an image goes by: its file name, or its id when it was uploaded without one. */
export function displayName(image: { filename?: string; imageId: string }): string {
  return image.filename || image.imageId;
}

/** Thumbnails (longest side to URL) as a srcset, in the widths they have for an image of this size. */
export function thumbnailSrcset(thumbnails: Record<string, string>, width?: number, height?: number): string {
  const longest = width && height ? Math.max(width, height) : undefined;
  return sortedThumbnails(thumbnails)
    .map(([side, url]) => {
      const w = longest && width ? Math.round((Math.min(side, longest) * width) / longest) : side;
      return `${url} ${Math.max(1, w)}w`;
    })
    .join(', ');
}

/** [longest side, URL], smallest first. */
export function sortedThumbnails(thumbnails: Record<string, string>): Array<[number, string]> {
  return Object.entries(thumbnails)
    .map(([side, url]): [number, string] => [Number(side), url])
    .filter(([side]) => Number.isFinite(side) && side > 0)
    .sort((a, b) => a[0] - b[0]);
}

/** The smallest thumbnail at least `side` pixels long, else the largest. */
export function thumbnailAtLeast(thumbnails: Record<string, string>, side: number): string | undefined {
  const sorted = sortedThumbnails(thumbnails);
  return (sorted.find(([s]) => s >= side) ?? sorted[sorted.length - 1])?.[1];
}

/** Every code the API rejects with, in words: a code added to the schema must be added here. */
const REJECTIONS: Record<NonNullable<ImageDetail['rejection']>['code'], string> = {
  EMPTY_FILE: 'the file is empty',
  FILE_TOO_LARGE: 'the file is too large',
  UNSUPPORTED_FORMAT: 'the file is not an image format the pipeline reads',
  PIXEL_LIMIT_EXCEEDED: 'the image has too many pixels',
  FRAME_LIMIT_EXCEEDED: 'the image has too many frames',
  CORRUPT_IMAGE: 'the file is damaged or not really an image',
  RAW_NO_PREVIEW: 'the camera RAW file has no embedded preview large enough to make its pictures from',
  MODERATION_POLICY: "its owner's moderation policy refuses it",
};

/** Why an image is REJECTED or FAILED, in words: the record's own reason, else its analysis's. */
export function reasonInWords(record: Pick<ImageDetail, 'status' | 'rejection' | 'error' | 'analysis'>): string {
  const { analysis } = record;
  const rejection = record.rejection ?? (analysis?.status === 'REJECTED' ? analysis.rejection : undefined);
  if (record.status === 'REJECTED' && rejection) return `${REJECTIONS[rejection.code]} (${rejection.message})`;
  const error = record.error ?? (analysis?.status === 'FAILED' ? analysis.error : undefined);
  if (record.status === 'FAILED') {
    return error ? `processing failed: ${error.message} (${error.code})` : 'processing failed';
  }
  return '';
}

/** Why a `q=` search found an image, in words for its tile; undefined when the search did not rank (no meaning on). */
export function matchedInWords(matched: readonly ('words' | 'meaning')[] | undefined): string | undefined {
  if (!matched || matched.length === 0) return undefined;
  const words = matched.includes('words');
  const meaning = matched.includes('meaning');
  if (words && meaning) return 'Matched by its words and its meaning';
  return meaning ? 'Matched by meaning' : 'Matched by its words';
}

/** Where a word was found, as a tile says it (`MATCH_FIELDS` of lambdas/store/image-view.ts). */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  object: 'objects',
  label: 'labels',
  tag: 'tags',
  filename: 'file name',
  word: 'text',
  place: 'place',
  camera: 'camera',
  person: 'people',
  provenance: 'provenance',
  credit: 'content credentials',
  color: 'colours',
  keyword: 'keywords',
  caption: 'caption',
};

/**
 * Why a search with words or label/object values found an image, for its tile: each sure match as the word asked and
 * where it was found ("cat in labels", and what it matched when that is another word: "segment in text
 * (segmentation)"; a person by the word, never their id), then each likely match as "maybe: cat, 56 %"; each once.
 * Undefined when there is nothing to say.
 */
export function matchedByInWords(
  matchedBy:
    | ReadonlyArray<{ word?: string; field: string; value: string; likely?: boolean; score?: number }>
    | undefined,
): { text: string; likely: boolean } | undefined {
  const sure = new Set<string>();
  const maybe = new Set<string>();
  for (const match of matchedBy ?? []) {
    if (match.likely) {
      maybe.add(`maybe: ${match.value}${match.score === undefined ? '' : `, ${Math.round(match.score * 100)} %`}`);
      continue;
    }
    const word = match.word ?? match.value;
    const other = match.field !== 'person' && match.value !== word ? ` (${match.value})` : '';
    sure.add(`${word} in ${FIELD_WORDS[match.field] ?? match.field}${other}`);
  }
  const said = [...sure, ...maybe];
  return said.length > 0 ? { text: said.join(' · '), likely: maybe.size > 0 } : undefined;
}

/** A place in words, the town first: "Weil am Rhein, Baden-Württemberg, Germany". */
export function placeInWords(place: Pick<NamedPlace, 'country' | 'region' | 'area' | 'locality'>): string {
  const names = [place.locality, place.area, place.region, place.country].flatMap((level) =>
    level ? [level.name] : [],
  );
  return names.filter((name, index) => name !== names[index - 1]).join(', ');
}
