import { ApiError } from '../../../../lambdas/cli/api-client';
import { main } from '../../../../lambdas/cli/main';
import { stackCommand } from '../../../../lambdas/cli/stack/stack';
import { fakeApi } from '../fake-api';

/** `image-intel stack ...` with a fake API: each form's call, what it prints, and its usage errors. */

const flags = { api: 'http://api.test' };
const [a, b] = ['01JABCDEFGHJKMNPQRSTVWXY01', '01JABCDEFGHJKMNPQRSTVWXY02'];
const stack = {
  stackId: 'st_0123456789abcdef0123',
  kind: 'manual',
  primary: b,
  count: 2,
  frames: [
    { imageId: b, filename: 'IMG_2.JPG', takenAt: '2026-05-01T10:00:00', takenAtMs: 400 },
    { imageId: a, filename: 'IMG_1.JPG' },
  ],
};

describe('image-intel stack', () => {
  it('stacks photos with a primary, and prints the stack with its frames', async () => {
    const api = fakeApi(() => stack);
    expect(await stackCommand([a, b], { ...flags, primary: b }, api.io)).toBe(0);
    expect(api.calls).toEqual([['POST', '/stacks', { imageIds: [a, b], primary: b }]]);
    expect(api.out[0]).toBe('st_0123456789abcdef0123: a manual stack of 2, shown as 01JABCDEFGHJKMNPQRSTVWXY02');
    expect(api.out.join('\n')).toMatch(/\*\s+01JABCDEFGHJKMNPQRSTVWXY02\s+IMG_2\.JPG\s+2026-05-01T10:00:00\.400/);
  });

  it('shows and unstacks one stack', async () => {
    const api = fakeApi((method) => (method === 'GET' ? stack : undefined));
    expect(await stackCommand(['show', stack.stackId], { ...flags, json: true }, api.io)).toBe(0);
    expect(await stackCommand(['unstack', stack.stackId], flags, api.io)).toBe(0);
    expect(api.calls).toEqual([
      ['GET', `/stacks/${stack.stackId}`, undefined],
      ['DELETE', `/stacks/${stack.stackId}`, undefined],
    ]);
    expect(JSON.parse(api.out[0] as string)).toEqual(stack);
    expect(api.out[1]).toBe(`unstacked ${stack.stackId}`);
  });

  it('refuses one photo, and show without a stack id, as usage errors; says a refusal in the API’s words', async () => {
    const api = fakeApi(() => {
      throw new ApiError(409, `POST /stacks: 409 image ${a} is already in stack st_x`);
    });
    expect(await stackCommand([a], flags, api.io)).toBe(2);
    expect(await stackCommand(['show'], flags, api.io)).toBe(2);
    expect(api.calls).toEqual([]);
    expect(await stackCommand([a, b], flags, api.io)).toBe(1);
    expect(api.err.join('\n')).toContain('is already in stack');
  });

  it('is listed in the help', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['stack', '--help'])).toBe(0);
      expect(write.mock.calls.join('')).toContain('image-intel stack show <stackId>');
    } finally {
      write.mockRestore();
    }
  });
});
