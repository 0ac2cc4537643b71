import { ApiError } from '../../../../lambdas/cli/api-client';
import {
  grantPartnerCommand,
  listPartnersCommand,
  partnerPhotosCommand,
  revokePartnerCommand,
} from '../../../../lambdas/cli/partners/partners';

/*
 * `image-intel partners ...` with a fake API: each command's call, what it prints for people and with --json, and a
 * refusal as one line in the API's words with exit code 1.
 */

const flags = { api: 'http://api.test' };
const grant = { grantor: 'alice', partner: 'bob', createdAt: 'c', updatedAt: 'u' };

function fake(answers: Record<string, unknown>) {
  const calls: [string, string, unknown?][] = [];
  const lines: string[] = [];
  const errors: string[] = [];
  const client = {
    call: async (method: string, path: string, body?: unknown) => {
      calls.push(body === undefined ? [method, path] : [method, path, body]);
      const answer = answers[`${method} ${path}`];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return {
    io: { client, out: (line: string) => lines.push(line), err: (line: string) => errors.push(line) },
    calls,
    lines,
    errors,
  };
}

describe('image-intel partners', () => {
  it('grants with albums and a date, and prints what the grant covers', async () => {
    const { io, calls, lines } = fake({
      'POST /partners': { ...grant, albums: ['al_0123456789abcdef0123'], from: '2024-01-01T00:00:00' },
    });
    const scope = { albums: ['al_0123456789abcdef0123'], from: '2024-01-01' };
    expect(await grantPartnerCommand('bob', scope, flags, io)).toBe(0);
    expect(calls).toEqual([['POST', '/partners', { partner: 'bob', ...scope }]]);
    expect(lines).toEqual(['shared with bob: albums al_0123456789abcdef0123, taken from 2024-01-01T00:00:00']);
  });

  it('lists whom the caller shares with and who shares with them', async () => {
    const { io, lines } = fake({
      'GET /partners': { granted: [grant], received: [{ ...grant, grantor: 'carol', partner: 'alice' }] },
    });
    expect(await listPartnersCommand(flags, io)).toBe(0);
    expect(lines.join('\n')).toMatch(/you share with\s+bob\s+every photo/);
    expect(lines.join('\n')).toMatch(/shares with you\s+carol\s+every photo/);
  });

  it('revokes, and says the API refusal in its words with exit code 1', async () => {
    const { io, calls, lines } = fake({ 'DELETE /partners/bob': undefined });
    expect(await revokePartnerCommand('bob', { ...flags, json: true }, io)).toBe(0);
    expect(calls).toEqual([['DELETE', '/partners/bob']]);
    expect(lines).toEqual([JSON.stringify({ partner: 'bob', revoked: true })]);
    const refused = fake({
      'DELETE /partners/dan': new ApiError(
        404,
        'DELETE /partners/dan: 404 partner: you have not shared your library with dan',
      ),
    });
    expect(await revokePartnerCommand('dan', flags, refused.io)).toBe(1);
    expect(refused.errors.join('\n')).toContain('not shared your library with dan');
  });

  it("prints a partner's photos page by page, and every grantor's with all", async () => {
    const photo = (id: string) => ({ imageId: id, filename: `${id}.jpg`, takenAt: '2024-05-01T10:00:00' });
    const { io, calls, lines } = fake({
      'GET /images?partner=alice&limit=3': { items: [photo('A'), photo('B')], cursor: 'next' },
      'GET /images?partner=alice&limit=1&cursor=next': { items: [photo('C')] },
      'GET /images?partners=all&limit=100': { items: [] },
    });
    expect(await partnerPhotosCommand('alice', { ...flags, limit: 3 }, io)).toBe(0);
    expect(calls.map(([, path]) => path)).toEqual([
      '/images?partner=alice&limit=3',
      '/images?partner=alice&limit=1&cursor=next',
    ]);
    expect(lines.slice(1).map((line) => line.split(/\s+/).at(-1))).toEqual(['A', 'B', 'C']);
    expect(await partnerPhotosCommand('all', flags, io)).toBe(0);
    expect(lines.at(-1)).toBe('no photos');
  });

  it("prints the caller's own timeline with every partner's photos merged in with all --mine", async () => {
    const mine = { imageId: 'M', filename: 'mine.jpg', takenAt: '2024-06-01T10:00:00' };
    const hers = { imageId: 'A', filename: 'hers.jpg', takenAt: '2024-05-01T10:00:00' };
    const { io, calls, lines } = fake({ 'GET /images?partners=include&limit=100': { items: [mine, hers] } });
    expect(await partnerPhotosCommand('all', { ...flags, mine: true }, io)).toBe(0);
    expect(calls.map(([, path]) => path)).toEqual(['/images?partners=include&limit=100']);
    expect(lines.slice(1).map((line) => line.split(/\s+/).at(-1))).toEqual(['M', 'A']);
  });

  it('refuses --mine with one owner: the merge is of every partner', async () => {
    const { io, calls, errors } = fake({});
    expect(await partnerPhotosCommand('alice', { ...flags, mine: true }, io)).toBe(2);
    expect(calls).toEqual([]);
    expect(errors.join('\n')).toContain('name all');
  });
});
