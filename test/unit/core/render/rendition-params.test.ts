import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FILTERS } from '../../../../lambdas/core/render/rendition';
import { PARAM_ENTRIES, RENDITION_PARAMS, SPEC_FIELDS } from '../../../../lambdas/core/render/rendition-params';
import { RENDITION_DEFAULTS, RenditionSpecInputSchema } from '../../../../lambdas/core/render/rendition-spec';
import { RENDITION_QUERY_NAMES } from '../../../../lambdas/renditions/query';

const ROOT = path.join(__dirname, '../../../..');

/** The URL names as the API signed them before this table existed: URLs out there hold them in this order. */
const SIGNED_ORDER = [
  ...['w', 'h', 'fit', 'dpr', 'enlarge', 'gravity', 'crop', 'rotate', 'flip', 'flop', 'blur', 'sharpen', 'median'],
  ...['kernel', 'grayscale', 'normalize', 'brightness', 'saturation', 'hue', 'contrast', 'wm', 'wmg', 'wmo'],
  ...['format', 'q', 'preset'],
];

describe('the table of rendition parameters', () => {
  it('keeps the names URLs were already signed with, in the order they were signed in', () => {
    expect(RENDITION_QUERY_NAMES.filter((name) => SIGNED_ORDER.includes(name))).toEqual(SIGNED_ORDER);
  });

  it('names each parameter once, as a lower-case word the edge function admits', () => {
    for (const name of RENDITION_QUERY_NAMES) expect(name).toMatch(/^[a-z][a-z0-9]*$/);
    expect(new Set(RENDITION_QUERY_NAMES).size).toBe(PARAM_ENTRIES.length);
    expect(RENDITION_QUERY_NAMES).not.toEqual(expect.arrayContaining(['exp', 'kid', 'sig']));
  });

  it('gives each default as a value its own schema takes', () => {
    const defaulted = PARAM_ENTRIES.filter(([, row]) => 'default' in row);
    expect(defaulted.length).toBeGreaterThan(0);
    for (const [field, row] of defaulted) {
      expect([field, row.schema.safeParse(row.default).success]).toEqual([field, true]);
      expect(RENDITION_DEFAULTS).toHaveProperty(field, row.default);
    }
  });

  it('makes the spec schema: a field per row, preset aside', () => {
    expect(Object.keys(RenditionSpecInputSchema.shape)).toEqual(PARAM_ENTRIES.map(([field]) => field));
    expect(SPEC_FIELDS).not.toContain('preset');
    expect(FILTERS).toEqual(PARAM_ENTRIES.filter(([, row]) => row.filter).map(([field]) => field));
  });

  it('pairs a field only with a field of the spec that needs none itself', () => {
    for (const [, { needs }] of PARAM_ENTRIES) {
      if (needs === undefined) continue;
      expect(SPEC_FIELDS).toContain(needs.field);
      expect(RENDITION_PARAMS[needs.field as keyof typeof RENDITION_PARAMS]).not.toHaveProperty('needs');
    }
  });

  it('is described in docs/renditions.md, one row per URL name, in canonical order', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/renditions.md'), 'utf8');
    const table = doc.slice(doc.indexOf('| parameter | values |'), doc.indexOf('| `exp`, `kid`, `sig` |'));
    const documented = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z]+)`/g)].map((match) => match[1]));
    expect(documented).toEqual(RENDITION_QUERY_NAMES);
  });

  it('describes each field in the committed OpenAPI document as its row does', () => {
    const document = JSON.parse(readFileSync(path.join(ROOT, 'docs/openapi.json'), 'utf8'));
    const fields: Record<string, { description?: string }> = document.components.schemas.RenditionSpec.properties;
    expect(Object.fromEntries(Object.entries(fields).map(([field, schema]) => [field, schema.description]))).toEqual(
      Object.fromEntries(PARAM_ENTRIES.map(([field, row]) => [field, row.description])),
    );
  });
});
