/**
 * Which queries the bench runs: for each query shape, values picked from the generated library by how many images
 * carry them (a rare and a common label, the pair of common terms that meet least, an absent word...), so the
 * queries mean the same thing at any size and seed.
 */
import type { Catalogue } from './load';
import { PAGE_SIZE, type Shape } from './queries';

/** A value the library has none of (a small library): the query that needs it is left out. */
const NONE = '';

const termValue = (term: string) => term.slice(term.indexOf('=') + 1);

/** How many of `a` are in `b` (both in upload order). */
function overlap(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++;
      i++;
      j++;
    } else if ((a[i] as number) < (b[j] as number)) i++;
    else j++;
  }
  return both;
}

export function chooseShapes(catalogue: Catalogue): Shape[] {
  const ranked = (field: string) =>
    [...catalogue.terms.entries()]
      .filter(([term]) => term.startsWith(`${field}=`))
      .map(([term, images]) => [termValue(term), images.length] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const closest = (field: string, target: number) =>
    [...ranked(field)].sort((a, b) => Math.abs(a[1] - target) - Math.abs(b[1] - target))[0]?.[0] ?? NONE;
  const top = (field: string, rank = 0) => ranked(field)[rank]?.[0] ?? NONE;
  const images = (term: string) => catalogue.terms.get(term) ?? [];

  // Two common terms that rarely meet: the worst case for reading the rarer one and checking the other.
  const common = ['label', 'color', 'format', 'orientation', 'camera', 'object']
    .flatMap((field) =>
      ranked(field)
        .slice(0, 12)
        .map(([value]) => `${field}=${value}`),
    )
    .filter((term) => images(term).length >= 50 * PAGE_SIZE);
  let worst: [string, string] = [NONE, NONE];
  let worstRatio = 0;
  for (let a = 0; a < common.length; a++) {
    for (let b = a + 1; b < common.length; b++) {
      const [x, y] = [common[a] as string, common[b] as string];
      if (x.split('=')[0] === y.split('=')[0] && !x.startsWith('label=')) continue;
      const both = overlap(images(x), images(y));
      const ratio = Math.min(images(x).length, images(y).length) / both;
      if (both >= PAGE_SIZE && ratio > worstRatio) [worst, worstRatio] = [[x, y], ratio];
    }
  }
  const pair = (terms: [string, string]) => {
    const params: Record<string, string | string[]> = {};
    for (const term of terms) {
      const [field, value] = [term.slice(0, term.indexOf('=')), termValue(term)];
      params[field] = field === 'label' ? [...((params[field] as string[]) ?? []), value] : value;
    }
    return params;
  };
  // Two labels each on many images but never together: a query with no answer that still has postings to read.
  const labels = ranked('label').filter(([, n]) => n >= 10 * PAGE_SIZE);
  let disjoint: [string, string] = [NONE, NONE];
  for (let a = labels.length - 1; a > 0 && disjoint[0] === NONE; a--) {
    for (let b = a - 1; b >= 0; b--) {
      const [x, y] = [labels[a]?.[0] as string, labels[b]?.[0] as string];
      if (overlap(images(`label=${x}`), images(`label=${y}`)) === 0) {
        disjoint = [x, y];
        break;
      }
    }
  }
  const cameras = ranked('camera').filter(([, n]) => n >= 10);
  /** The `length` first letters of the word on the most images (a filename's, most likely): the densest prefix. */
  const topWord = (length: number) =>
    [...catalogue.words.entries()].sort((a, b) => b[1].length - a[1].length)[0]?.[0].slice(0, length) ?? NONE;
  const [word1, word2] = [top('word'), top('word', 1)];
  // A word no image has (letters no English word is made of).
  let absent = 'xqzvbnw';
  while (catalogue.terms.has(`word=${absent}`)) absent += 'q';
  const shapes: Shape[] = [
    { shape: 'one label, rare', queries: [{ label: closest('label', 25) }, { label: closest('label', 250) }] },
    { shape: 'one label, common', queries: [{ label: top('label') }, { label: top('label', 2) }] },
    {
      shape: 'two filters',
      queries: [{ label: top('label'), color: 'blue' }, { label: top('label', 1), format: 'heic' }, pair(worst)],
    },
    {
      shape: 'three filters',
      queries: [
        { label: top('label'), color: 'blue', orientation: 'portrait' },
        { label: top('label', 1), camera: top('camera'), format: 'jpeg' },
      ],
    },
    { shape: 'text, one word', queries: [{ text: word1 }, { text: closest('word', 20) }] },
    { shape: 'text, two words', queries: [{ text: `${word1} ${word2}` }] },
    { shape: 'color', queries: [{ color: top('color') }, { color: ranked('color').at(-1)?.[0] ?? 'pink' }] },
    { shape: 'minFaces', queries: [{ minFaces: '2' }, { minFaces: '8' }] },
    { shape: 'camera', queries: [{ camera: top('camera') }, { camera: cameras.at(-1)?.[0] ?? NONE }] },
    {
      shape: 'taken after/before',
      queries: [
        { takenAfter: '2025-12-01' },
        { takenBefore: '2016-01-01' },
        { takenAfter: '2025-06-01', label: closest('label', 250) },
      ],
    },
    {
      // The search box: a word begun (a filename's or a label's), a rare printed word, two words, and a word with a
      // filter; the words a library holds most and least of, as the catalogue counts them.
      shape: 'q, the search box',
      queries: [
        { q: topWord(3) },
        { q: top('label').split(' ')[0]?.slice(0, 4) ?? NONE },
        { q: closest('word', 20) },
        { q: `${word1} ${top('label').split(' ')[0] ?? NONE}` },
        { q: top('label').split(' ')[0] ?? NONE, color: 'blue' },
        { q: absent },
      ],
    },
    { shape: 'tag', queries: [{ tag: top('tag') }] },
    { shape: 'no match', queries: [{ text: absent }, { label: disjoint }] },
    { shape: 'status (plain list)', queries: [{ status: 'FAILED' }, { status: 'PROCESSED' }] },
    { shape: 'status and a filter', queries: [{ status: 'PROCESSED', color: 'teal' }] },
    { shape: 'labelSource=user', queries: [{ labelSource: 'user' }] },
  ];
  return shapes
    .map((shape) => ({
      ...shape,
      queries: shape.queries.filter((query) => !Object.values(query).flat().includes(NONE)),
    }))
    .filter((shape) => shape.queries.length > 0);
}
