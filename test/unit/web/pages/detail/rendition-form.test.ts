import { FILTERS } from '../../../../../lambdas/core/render/rendition';
import { RENDITION_PARAMS } from '../../../../../lambdas/core/render/rendition-params';
import { canonicalQuery } from '../../../../../lambdas/renditions/query';
import { parseRenditionSpec } from '../../../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS } from '../../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../../lambdas/settings/renditions';
import {
  EMPTY_FIELDS,
  fieldOfProblem,
  fieldsOfPreset,
  filterInput,
  requestOf,
} from '../../../../../web/src/pages/detail/rendition-form';

/*
 * The web app's rendition builder (web/src/pages/detail/rendition-form.ts) against the API's own parser: what the
 * form offers for each filter is what the filter's row takes, and a preset's form asks for the preset's rendition.
 */

const LIMITS = renditionLimitsOf(DEFAULT_SETTINGS);
const PRESETS = DEFAULT_SETTINGS.renditionPresets;
const signedUrl = (query: string) => `https://renditions.example/01J0000000000000000000000A?${query}&exp=1&kid=k&sig=s`;
const canonicalOf = (body: unknown) => canonicalQuery(parseRenditionSpec(body, LIMITS, PRESETS));

describe('the rendition builder’s form', () => {
  it('asks each filter’s value as its row takes it: a flag none, a range its limits, a choice its values', () => {
    expect(FILTERS.length).toBeGreaterThan(0);
    for (const filter of FILTERS) {
      const row = RENDITION_PARAMS[filter];
      const input = filterInput(filter);
      if (row.kind === 'flag') {
        expect([filter, input.kind]).toEqual([filter, 'flag']);
      } else if (input.kind === 'range') {
        const { min, max } = input.range;
        const accepts = (value: number) => row.schema.safeParse(value).success;
        expect([filter, accepts(min), accepts(max), accepts(min - 0.01), accepts(max + 0.01)]).toEqual([
          filter,
          true,
          true,
          false,
          false,
        ]);
      } else if (input.kind === 'choice') {
        for (const value of input.values)
          expect([filter, value, row.schema.safeParse(value).success]).toEqual([filter, value, true]);
      } else {
        throw new Error(`${filter}: a ${row.kind} filter the form would send as a flag`);
      }
    }
  });

  it.each(Object.keys(PRESETS))('starts from preset %s: as filled in, it asks for exactly the preset', (preset) => {
    const presetQuery = canonicalOf({ preset });
    const fields = fieldsOfPreset(preset, signedUrl(presetQuery), LIMITS.filters);
    expect(fields.preset).toBe(preset);
    expect(canonicalOf(requestOf(fields))).toBe(presetQuery);
  });

  it('sends what was changed over the preset, a filter with its value, and nothing for an empty field', () => {
    const fields = fieldsOfPreset('card', signedUrl(canonicalOf({ preset: 'card' })), LIMITS.filters);
    const body = requestOf({ ...fields, w: '320', dpr: '2', format: 'png', filter: 'blur', amount: '2.5' });
    expect(body).toEqual({ preset: 'card', w: 320, h: 300, dpr: 2, format: 'png', blur: 2.5 });
    expect(canonicalOf(body)).toBe('w=320&h=300&dpr=2&blur=2.5&format=png');
    expect(requestOf({ ...EMPTY_FIELDS, filter: 'grayscale' })).toEqual({ grayscale: true });
    expect(requestOf({ ...EMPTY_FIELDS, filter: 'kernel', amount: 'edge' })).toEqual({ kernel: 'edge' });
    expect(requestOf({ ...EMPTY_FIELDS, filter: 'median', amount: '5' })).toEqual({ median: 5 });
    expect(requestOf(EMPTY_FIELDS)).toEqual({});
  });

  it('reads a preset’s filter from its URL', () => {
    const fields = fieldsOfPreset('soft', signedUrl('w=200&blur=3&format=webp'), LIMITS.filters);
    expect(fields).toMatchObject({ w: '200', filter: 'blur', amount: '3', format: 'webp' });
  });

  it('marks the field an API message names, the filter’s value for a filter, none for the rest', () => {
    const fields = { ...EMPTY_FIELDS, filter: 'blur' };
    expect(fieldOfProblem('w: 5000 px is over the largest side', fields)).toBe('w');
    expect(fieldOfProblem('blur: must be a number from 0.3 to 100', fields)).toBe('amount');
    expect(fieldOfProblem('format: avif is not allowed here', fields)).toBe('format');
    expect(fieldOfProblem('body: not valid JSON', fields)).toBeUndefined();
    expect(fieldOfProblem('image is PENDING', fields)).toBeUndefined();
  });
});
