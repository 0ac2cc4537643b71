import { readSpecBody } from '../../../../../lambdas/renditions/functions/create-rendition/create-rendition';
import { MAX_SPEC_BYTES } from '../../../../../lambdas/renditions/functions/create-rendition/route';
import { badRequest } from '../../../../support/errors';

describe('readSpecBody', () => {
  it('reads a JSON body', () => {
    expect(readSpecBody('{"w":400}')).toEqual({ w: 400 });
    expect(readSpecBody(Buffer.from('{"w":400}').toString('base64'), true)).toEqual({ w: 400 });
  });

  it('refuses a 10 KB spec before parsing it', () => {
    const body = JSON.stringify({ w: 400, padding: 'x'.repeat(10_000) });
    expect(badRequest(() => readSpecBody(body))).toBe(
      `body: ${Buffer.byteLength(body)} bytes, over the ${MAX_SPEC_BYTES} a rendition spec may take`,
    );
    const encoded = Buffer.from(body).toString('base64');
    expect(badRequest(() => readSpecBody(encoded, true))).toMatch(/^body: \d+ bytes, over the 2048/);
  });

  it('refuses a missing or malformed body', () => {
    expect(badRequest(() => readSpecBody(undefined))).toBe('body: a JSON spec is required');
    expect(badRequest(() => readSpecBody('{w:'))).toBe('body: not valid JSON');
  });
});
