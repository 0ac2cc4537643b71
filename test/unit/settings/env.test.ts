import { z } from 'zod';
import { COMPILED_ENVIRONMENT_GLOBAL, compiledEnvironment, parseEnv } from '../../../lambdas/settings/env';

const Schema = z.object({ TABLE_NAME: z.string().min(1), RENDITION_SETTINGS: z.string().min(1) });
const globals = globalThis as Record<string, unknown>;

describe('parseEnv', () => {
  afterEach(() => {
    delete globals[COMPILED_ENVIRONMENT_GLOBAL];
  });

  it('reads the environment alone when the code runs unbundled, as in the local runner and the tests', () => {
    expect(compiledEnvironment()).toEqual({});
    expect(parseEnv(Schema, { TABLE_NAME: 't', RENDITION_SETTINGS: '{}' }, 'fn')).toEqual({
      TABLE_NAME: 't',
      RENDITION_SETTINGS: '{}',
    });
  });

  it('reads what the stack compiled into the bundle as if it were in the environment', () => {
    // esbuild's define puts this JSON where the identifier was; a global is the same thing to the code.
    globals[COMPILED_ENVIRONMENT_GLOBAL] = JSON.stringify({ RENDITION_SETTINGS: '{"renditionMaxSide":4096}' });
    expect(parseEnv(Schema, { TABLE_NAME: 't' }, 'fn').RENDITION_SETTINGS).toBe('{"renditionMaxSide":4096}');
  });

  it('fails the cold start naming the function and each missing variable', () => {
    expect(() => parseEnv(Schema, {}, 'get-image')).toThrow(
      'invalid environment for get-image: TABLE_NAME: Invalid input: expected string, received undefined; ' +
        'RENDITION_SETTINGS: Invalid input: expected string, received undefined',
    );
  });
});
