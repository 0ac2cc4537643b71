import { parseRequest } from '../../../../lambdas/api/http';
import { PlaceChangeSchema } from '../../../../lambdas/places/functions/correct-place/route';

/*
 * `PUT /images/{id}/place` bodies under the client text rule (lambdas/store/client-text.ts): a place name with a lone
 * surrogate (a 409 "try again" that never succeeded before), NUL or ESC (stored and listed by GET /places before) is
 * a 400; so is a coordinate DynamoDB cannot store (1e-200 was in range, and a 500 on AWS).
 */

const refusal = (body: unknown) => {
  try {
    parseRequest(PlaceChangeSchema, body, 'body');
    return 'accepted';
  } catch (error) {
    return `${(error as { statusCode: number }).statusCode} ${(error as Error).message}`;
  }
};

describe('a place named by its owner', () => {
  it.each([
    ['a lone surrogate', 'Lyon \udc00', /must be valid Unicode/],
    ['NUL', 'Lyon\u0000', /must not contain control characters/],
    ['ESC', '\u001b[2JLyon', /must not contain control characters/],
  ])('refuses %s in a name or a code with a 400 naming the field', (_, text, message) => {
    expect(refusal({ place: { locality: { name: text } } })).toMatch(/^400 place\.locality\.name: /);
    expect(refusal({ place: { locality: { name: text } } })).toMatch(message);
    expect(refusal({ place: { country: { name: 'France', code: text } } })).toMatch(/^400 place\.country\.code: /);
  });

  it('takes names in any script', () => {
    expect(refusal({ place: { country: { name: '日本', code: 'JP' }, locality: { name: 'Zürich' } } })).toBe(
      'accepted',
    );
  });
});

describe('a position given by its owner', () => {
  it.each([1e-200, -1e-131, 5e-324])('refuses a coordinate DynamoDB cannot store (%s)', (tiny) => {
    expect(refusal({ position: { latitude: tiny, longitude: 2.35 } })).toMatch(/^400 position\.latitude: must be 0 or/);
    expect(refusal({ position: { latitude: 48.85, longitude: tiny } })).toMatch(/^400 position\.longitude: must be 0/);
  });

  it('takes 0, 1e-130 and ordinary coordinates', () => {
    expect(refusal({ position: { latitude: 0, longitude: 1e-130 } })).toBe('accepted');
    expect(refusal({ position: { latitude: 48.858_37, longitude: 2.294_481 } })).toBe('accepted');
  });
});
