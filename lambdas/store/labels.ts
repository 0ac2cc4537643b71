import type { ImageItem } from './image-item';

/*
 * An image's labels as they are now: the model's, less those a person took away, and those people added
 * (`labelCorrections`). Every place that shows or files an image's labels takes them from here: the record's view,
 * a list or search tile, the search terms.
 */

/** Lower case, accents removed (NFKD, then combining marks dropped), anything but letters and digits dropped. */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Shortest word indexed (single letters are OCR noise far more often than words). */
export const MIN_WORD_LENGTH = 2;

/** The distinct words of a text, normalised, at least MIN_WORD_LENGTH long. */
export function wordsOf(text: string): string[] {
  const words = new Set<string>();
  for (const raw of text.split(/[\s\p{P}\p{S}]+/u)) {
    const word = normalizeWord(raw);
    if (word.length >= MIN_WORD_LENGTH) words.add(word);
  }
  return [...words];
}

/**
 * How many leading characters of a word its `prefix=` posting is keyed by: a query word of at least this many is
 * read from the postings of its first PREFIX_LENGTH characters and checked in full on each; a shorter one (two
 * letters) matches the words that short exactly, which a word of that length is posted under whole.
 */
export const PREFIX_LENGTH = 3;

/** The `prefix=` term value a word is posted under, and a query word read from. */
export function prefixOf(word: string): string {
  return [...word].slice(0, PREFIX_LENGTH).join('');
}

/** A label, object or camera name as a term value: normalised words joined by single spaces. */
export function normalizeName(name: string): string {
  return name.split(/\s+/).map(normalizeWord).filter(Boolean).join(' ');
}

/** What labels are made from: the model's, with their confidence, and people's corrections. */
export interface LabelSource {
  vision?: { labels?: ReadonlyArray<{ name: string; confidence: number }> };
  labelCorrections?: ImageItem['labelCorrections'];
}

/** The model's labels a person has not taken away. */
function modelLabelsKept(item: LabelSource) {
  const removed = new Set(item.labelCorrections?.removed.map((label) => normalizeName(label.name)));
  return (item.vision?.labels ?? []).filter((label) => !removed.has(normalizeName(label.name)));
}

/** An image's labels: the model's not taken away by a person, then those people added (label corrections). */
export function labelsOf(item: LabelSource): Array<{ name: string; source: 'model' | 'user' }> {
  const model = modelLabelsKept(item).map((label) => ({ name: label.name, source: 'model' as const }));
  const user = (item.labelCorrections?.added ?? []).map((label) => ({ name: label.name, source: 'user' as const }));
  return [...model, ...user];
}

/** Up to `count` labels for a tile: those people added, then the model's not taken away, most confident first. */
export function topLabelsOf(item: LabelSource, count = 3): string[] {
  const model = [...modelLabelsKept(item)].sort((a, b) => b.confidence - a.confidence).map((label) => label.name);
  const added = (item.labelCorrections?.added ?? []).map((label) => label.name);
  return [...new Set([...added, ...model])].slice(0, count);
}
