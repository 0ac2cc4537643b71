/** The search API's filters (docs/api.md#search-filters); the app's own URL carries them under the same names. */
export const FILTERS = [
  'label',
  'object',
  'text',
  'color',
  'minFaces',
  'flagged',
  'format',
  'orientation',
  'takenAfter',
  'takenBefore',
  'camera',
  'status',
  'labelSource',
] as const;
export const REPEATABLE = new Set(['label', 'object']);
export const COLORS = [
  'red',
  'orange',
  'yellow',
  'green',
  'teal',
  'blue',
  'purple',
  'pink',
  'brown',
  'black',
  'white',
  'gray',
];
export const FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'heic', 'svg'];
export const ORIENTATIONS = ['landscape', 'portrait', 'square'];
export type SearchIn = 'label' | 'object' | 'text';

/** The filters of the app's URL, as the API takes them (unknown parameters dropped). */
export function filtersOf(search: string): URLSearchParams {
  const from = new URLSearchParams(search);
  const to = new URLSearchParams();
  for (const name of FILTERS) {
    const values = from.getAll(name).filter((value) => value !== '');
    for (const value of REPEATABLE.has(name) ? values : values.slice(0, 1)) to.append(name, value);
  }
  return to;
}
