import { FITS, KERNELS, MEDIAN_SIZES, RANGES, type ValueRange } from '../../../../lambdas/core/render/rendition-words';
import type { RenditionRequest } from '../../types';

/*
 * The rendition builder's form as text fields, and the spec it asks the API to sign: the fields' values and ranges
 * come from the parameters' plain description (lambdas/core/render/rendition-words.ts, which the API's schemas are made
 * from) and the deployment's limits (config.json `renditions`); the API checks the spec either way and its 400 names
 * the field.
 */

/** What the form holds: each field as typed, `''` when not given (the preset's value, else the default). */
export interface BuilderFields {
  preset: string;
  w: string;
  h: string;
  fit: string;
  dpr: string;
  format: string;
  /** One filter of `renditionFilters`, or `''`. */
  filter: string;
  /** The filter's value: a number in its range, a median size or a kernel; none for a flag (grayscale). */
  amount: string;
}

export const EMPTY_FIELDS: BuilderFields = {
  preset: '',
  w: '',
  h: '',
  fit: '',
  dpr: '',
  format: '',
  filter: '',
  amount: '',
};

export { FITS };

/** How a filter's value is asked for. */
export type FilterInput =
  | { kind: 'range'; range: ValueRange }
  | { kind: 'choice'; values: readonly (string | number)[] }
  | { kind: 'flag' };

export function filterInput(filter: string): FilterInput {
  if (filter in RANGES) return { kind: 'range', range: RANGES[filter as keyof typeof RANGES] };
  if (filter === 'median') return { kind: 'choice', values: MEDIAN_SIZES };
  if (filter === 'kernel') return { kind: 'choice', values: KERNELS };
  return { kind: 'flag' };
}

/** `0.3 to 100 sigma`: what a ranged value takes, as the form's hint says it. */
export function rangeText(range: ValueRange): string {
  return `${range.min} to ${range.max}${range.unit ? ` ${range.unit}` : ''}${range.whole ? ', whole' : ''}`;
}

/**
 * The fields a preset fills in, read from its signed URL in the record (`renditions.<name>.url`): the URL holds the
 * preset's spec in its canonical spelling, so the form starts from exactly what the preset makes.
 */
export function fieldsOfPreset(preset: string, url: string, filters: readonly string[]): BuilderFields {
  const query = new URL(url, 'http://x').searchParams;
  const fields: BuilderFields = { ...EMPTY_FIELDS, preset };
  for (const name of ['w', 'h', 'fit', 'dpr', 'format'] as const) fields[name] = query.get(name) ?? '';
  const filter = filters.find((name) => query.has(name));
  if (filter) {
    fields.filter = filter;
    fields.amount = filterInput(filter).kind === 'flag' ? '' : (query.get(filter) ?? '');
  }
  return fields;
}

/** The body of `POST /images/{id}/renditions`: the preset, then each field given. */
export function requestOf(fields: BuilderFields): RenditionRequest {
  const body: Record<string, string | number | boolean> = {};
  if (fields.preset) body.preset = fields.preset;
  for (const name of ['w', 'h', 'dpr'] as const) if (fields[name].trim()) body[name] = Number(fields[name]);
  if (fields.fit) body.fit = fields.fit;
  if (fields.format) body.format = fields.format;
  if (fields.filter) {
    const input = filterInput(fields.filter);
    const amount = fields.amount.trim();
    body[fields.filter] =
      input.kind === 'flag' ? true : input.kind === 'choice' && fields.filter === 'kernel' ? amount : Number(amount);
  }
  return body as RenditionRequest;
}

/** The form field an API message is about (`w: 5000 px is over ...`), if it is one of the form's. */
export function fieldOfProblem(message: string, fields: BuilderFields): keyof BuilderFields | undefined {
  const name = /^(\w+):/.exec(message)?.[1];
  if (!name) return undefined;
  if (name === fields.filter) return 'amount';
  return name in EMPTY_FIELDS && name !== 'amount' && name !== 'filter' ? (name as keyof BuilderFields) : undefined;
}
