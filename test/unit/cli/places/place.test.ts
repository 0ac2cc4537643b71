import { ApiError } from '../../../../lambdas/cli/api-client';
import { parsePlaceName, parsePosition } from '../../../../lambdas/cli/places/command';
import { placeCommand } from '../../../../lambdas/cli/places/place';

const ANSWER = {
  imageId: 'img',
  position: { latitude: 47.6, longitude: 7.62 },
  place: { locality: { name: 'Weil am Rhein' }, country: { name: 'Germany', code: 'DE' }, source: 'position' },
  placeCorrection: { position: { latitude: 47.6, longitude: 7.62 }, at: '2026-11-26T00:00:00.000Z' },
};

function client(answer: unknown = ANSWER) {
  const calls: unknown[][] = [];
  return {
    calls,
    client: {
      call: async (...args: unknown[]) => {
        calls.push(args);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  };
}

describe('image-intel place', () => {
  it('reads LATITUDE,LONGITUDE and refuses what is not a position', () => {
    expect(parsePosition(' 47.56, 7.59 ')).toEqual({ latitude: 47.56, longitude: 7.59 });
    expect(() => parsePosition('47.56')).toThrow(/LATITUDE,LONGITUDE/);
    expect(() => parsePosition('47.56,7.59,3')).toThrow(/LATITUDE,LONGITUDE/);
    expect(() => parsePosition('95,7')).toThrow(/-90 to 90/);
  });

  it('reads "Locality, [Area,] [Region,] Country", a two-letter country as its code too', () => {
    expect(parsePlaceName('Riehen, Basel-City, ch')).toEqual({
      locality: { name: 'Riehen' },
      region: { name: 'Basel-City' },
      country: { name: 'CH', code: 'CH' },
    });
    expect(parsePlaceName('Lyon, Rhône, Auvergne-Rhône-Alpes, France')).toEqual({
      locality: { name: 'Lyon' },
      area: { name: 'Rhône' },
      region: { name: 'Auvergne-Rhône-Alpes' },
      country: { name: 'France' },
    });
    expect(parsePlaceName('Atlantis')).toEqual({ locality: { name: 'Atlantis' } });
    expect(() => parsePlaceName('a, , b')).toThrow(/up to four parts/);
  });

  it.each([
    [
      '--position',
      { position: { latitude: 47.6, longitude: 7.62 } },
      'PUT',
      { position: { latitude: 47.6, longitude: 7.62 } },
    ],
    ['--name', { name: { locality: { name: 'Riehen' } } }, 'PUT', { place: { locality: { name: 'Riehen' } } }],
    ['--clear', { clear: true }, 'PUT', { cleared: true }],
    ['--reset', { reset: true }, 'DELETE', undefined],
  ])('%s calls %s /images/{id}/place and prints the place', async (_flag, flags, method, body) => {
    const { calls, client: c } = client();
    const lines: string[] = [];
    const code = await placeCommand('img', { api: 'http://api', ...flags }, { out: (l) => lines.push(l), client: c });
    expect(code).toBe(0);
    expect(calls).toEqual([[method, '/images/img/place', body]]);
    expect(lines).toEqual(['img: Weil am Rhein, Germany (source position), corrected at 2026-11-26T00:00:00.000Z']);
  });

  it('refuses none or two changes as a usage error, and says what the API refused', async () => {
    const errors: string[] = [];
    const err = (line: string) => errors.push(line);
    expect(await placeCommand('img', { api: 'http://api' }, { err, client: client().client })).toBe(2);
    expect(
      await placeCommand('img', { api: 'http://api', clear: true, reset: true }, { err, client: client().client }),
    ).toBe(2);
    expect(errors[0]).toMatch(/exactly one of --position, --name, --clear, --reset/);
    const refused = client(new ApiError(404, 'image img not found'));
    expect(await placeCommand('img', { api: 'http://api', clear: true }, { err, client: refused.client })).toBe(1);
  });
});
