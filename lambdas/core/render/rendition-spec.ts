import type { z } from 'zod';
import type { DefaultedField, FilterName, OutputFormat, RenditionSpec } from './rendition';
import { PARAM_ENTRIES, RENDITION_PARAMS, SPEC_FIELDS, type SpecField, type SpecParams } from './rendition-params';
import { strict } from './rendition-values';

/**
 * Reading a rendition request, from the JSON body of `POST /images/{id}/renditions`, a preset or (through
 * renditions/query.ts) the query string of a rendition URL `/<imageId>?...`, into one checked `RenditionSpec`: the
 * parameters' schemas (rendition-params.ts, one row each), then the preset, the defaults and the deployment's
 * limits. Pure: no AWS, no image bytes, no HTTP: problems come back as text, and renditions/spec.ts answers them
 * with a 400. docs/renditions.md describes the grammar with examples.
 */

export { flag, name, strict } from './rendition-values';

type Defaults = { -readonly [K in DefaultedField]: SpecParams[K] extends { readonly default: infer D } ? D : never };
/** What a spec is when a field is not given: the rows' defaults (one the row's schema refuses does not compile). */
export const RENDITION_DEFAULTS = Object.fromEntries(
  PARAM_ENTRIES.flatMap(([field, row]) => ('default' in row ? [[field, row.default]] : [])),
) as Defaults satisfies Pick<RenditionSpec, DefaultedField>;

/** Each field of the spec, optional, as its row's schema checks it (presets take these too). */
export const SPEC_SHAPE = Object.fromEntries(
  SPEC_FIELDS.map((field) => [field, RENDITION_PARAMS[field].schema.optional()]),
) as { [K in SpecField]: z.ZodOptional<SpecParams[K]['schema']> };

/** The JSON body of `POST /images/{id}/renditions`: every field optional, a preset name to start from. */
export const RenditionSpecInputSchema = strict({ ...SPEC_SHAPE, preset: RENDITION_PARAMS.preset.schema.optional() });
export type RenditionSpecInput = z.input<typeof RenditionSpecInputSchema>;

/** What one deployment allows (its `rendition*` settings and configured watermarks). */
export interface RenditionLimits {
  /** Largest output side in device pixels (w or h times dpr, or the source's when no size is given). */
  maxSide: number;
  maxDpr: number;
  /** The most render work a rendition may take, CPU ms as render-cost.ts estimates it (`renditionBudgetMs`). */
  budgetMs: number;
  formats: readonly OutputFormat[];
  filters: readonly FilterName[];
  /** Names of the configured watermarks. */
  watermarks: readonly string[];
}

/** What a preset says besides its spec: `eager` is the processor's, `public` the render function's (a stable URL). */
export interface PresetFlags {
  eager?: boolean;
  public?: boolean;
}

/** Named specs a request may start from (`renditionPresets`). */
export type PresetSpecs = Readonly<Record<string, RenditionSpecInput & PresetFlags>>;

/** A preset's spec alone, without the flags that say how it is served (`PresetFlags`). */
export function presetSpecOf<T extends PresetFlags>(preset: T): Omit<T, keyof PresetFlags> {
  const { eager: _eager, public: _public, ...spec } = preset;
  return spec;
}

/** How a field is named in messages: its JSON name, or its name in a URL (queryNameOf). */
export type Naming = (field: string) => string;
export const jsonName: Naming = (field) => field;

/** A checked spec with its defaults filled in, or every problem with the input, one sentence each. */
export type SpecResult = { spec: RenditionSpec; problems?: undefined } | { spec?: undefined; problems: string[] };

/** Every input's common path (a JSON body, a preset, a rendition URL): schema, preset, defaults, limits. */
export function checkSpec(input: unknown, limits: RenditionLimits, presets: PresetSpecs, naming: Naming): SpecResult {
  const parsed = RenditionSpecInputSchema.safeParse(input);
  if (!parsed.success) return { problems: [issuesText(parsed.error, naming)] };
  const { preset, ...explicit } = parsed.data;
  let merged = explicit;
  if (preset !== undefined) {
    const chosen = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
    if (chosen === undefined) {
      const known = Object.keys(presets).join(', ') || 'none is configured';
      return { problems: [`${naming('preset')}: no preset named ${preset} (presets: ${known})`] };
    }
    merged = { ...presetSpecOf(chosen), ...explicit };
  }
  const problems = pairingProblems(merged, naming);
  const spec: RenditionSpec = { ...RENDITION_DEFAULTS, ...merged };
  for (const [field, row] of PARAM_ENTRIES) {
    const value = (spec as Record<string, unknown>)[field];
    if (row.canonical && value !== undefined) (spec as Record<string, unknown>)[field] = row.canonical(value as never);
  }
  problems.push(...limitProblems(spec, limits, naming));
  return problems.length > 0 ? { problems } : { spec };
}

function issuesText(error: z.ZodError, naming: Naming): string {
  return error.issues
    .map((issue) => {
      const [field, ...rest] = issue.path.map(String);
      const path = field === undefined ? 'spec' : [naming(field), ...rest].join('.');
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** A field that needs another without it is almost surely a mistake (a typo'd or forgotten `wm`). */
function pairingProblems(input: Partial<RenditionSpec>, naming: Naming): string[] {
  const given = input as Record<string, unknown>;
  return PARAM_ENTRIES.flatMap(([field, { needs }]) =>
    needs && given[field] !== undefined && given[needs.field] === undefined
      ? [`${naming(field)}: only applies with ${naming(needs.field)} (${needs.what})`]
      : [],
  );
}

/** Filters a spec uses (a value given; a flag on), by their names in `renditionFilters`. */
export function filtersOf(spec: RenditionSpec): FilterName[] {
  const given = spec as Record<string, unknown>;
  const used = PARAM_ENTRIES.filter(
    ([field, row]) => row.filter && given[field] !== undefined && given[field] !== false,
  );
  return used.map(([field]) => field as FilterName);
}

function limitProblems(spec: RenditionSpec, limits: RenditionLimits, naming: Naming): string[] {
  const problems: string[] = [];
  if (spec.format !== 'auto' && !limits.formats.includes(spec.format)) {
    problems.push(`format: ${spec.format} is not allowed here (renditionFormats: ${limits.formats.join(', ')})`);
  }
  for (const filter of filtersOf(spec).filter((used) => !limits.filters.includes(used))) {
    const allowed = limits.filters.join(', ') || 'none';
    problems.push(`${filter}: the ${filter} filter is not allowed here (renditionFilters: ${allowed})`);
  }
  if (spec.watermark !== undefined && !limits.watermarks.includes(spec.watermark)) {
    const known = limits.watermarks.join(', ') || 'none is configured';
    problems.push(`${naming('watermark')}: no watermark named ${spec.watermark} (watermarks: ${known})`);
  }
  if (spec.dpr > limits.maxDpr) {
    problems.push(`dpr: ${spec.dpr} is over the largest this deployment allows (renditionMaxDpr ${limits.maxDpr})`);
  }
  for (const side of ['w', 'h'] as const) {
    const css = spec[side];
    if (css === undefined || Math.ceil(css * spec.dpr) <= limits.maxSide) continue;
    const device = spec.dpr === 1 ? '' : ` × dpr ${spec.dpr} = ${Math.ceil(css * spec.dpr)} px`;
    problems.push(
      `${side}: ${css} px${device} is over the largest side this deployment renders (renditionMaxSide ${limits.maxSide})`,
    );
  }
  return problems;
}
