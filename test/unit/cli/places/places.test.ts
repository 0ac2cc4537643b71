import { ApiError } from '../../../../lambdas/cli/api-client';
import { placesCommand } from '../../../../lambdas/cli/places/places';
import type { PlacesPage } from '../../../../lambdas/places/functions/list-places/list-places';
import { mergePlacePages } from '../../../../lambdas/places/place-pages';

const CH = { name: 'Switzerland', code: 'CH', place: ['ch'] };
const BS = { name: 'Basel-Stadt', code: 'CH-BS', place: ['ch', 'baselstadt'] };
// A locality's code is its GeoNames id: the tree leaves it out.
const basel = { name: 'Basel', code: '2661604', count: 5, place: ['ch', 'baselstadt', 'basel'] };
const riehen = { name: 'Riehen', count: 1, place: ['ch', 'baselstadt', 'riehen'] };
const weil = { name: 'Weil am Rhein', count: 4, place: ['de', 'badenwurttemberg', 'weil am rhein'] };

// Two pages that split Switzerland and Basel-Stadt between them, as GET /places may.
const PAGES: PlacesPage[] = [
  { countries: [{ ...CH, count: 6, regions: [{ ...BS, count: 5, localities: [basel] }] }], cursor: 'next' },
  {
    countries: [
      { ...CH, count: 1, regions: [{ ...BS, count: 1, localities: [riehen] }] },
      {
        name: 'Germany',
        code: 'DE',
        count: 4,
        place: ['de'],
        regions: [{ name: 'Baden-Württemberg', count: 4, place: ['de', 'badenwurttemberg'], localities: [weil] }],
      },
    ],
  },
];

describe('image-intel places', () => {
  it('reads every page of GET /places and prints one tree, a place a line with the search that lists it', async () => {
    const paths: string[] = [];
    const lines: string[] = [];
    const code = await placesCommand(
      { api: 'http://api' },
      {
        out: (line) => lines.push(line),
        client: {
          call: async (_method: string, path: string) => {
            paths.push(path);
            return PAGES[paths.length - 1];
          },
        },
      },
    );
    expect(code).toBe(0);
    expect(paths).toEqual(['/places', '/places?cursor=next']);
    expect(lines).toEqual([
      '7  Switzerland (CH)\tplace=ch',
      '6    Basel-Stadt (CH-BS)\tplace=ch place=baselstadt',
      '5      Basel\tplace=ch place=baselstadt place=basel',
      '1      Riehen\tplace=ch place=baselstadt place=riehen',
      '4  Germany (DE)\tplace=de',
      '4    Baden-Württemberg\tplace=de place=badenwurttemberg',
      "4      Weil am Rhein\tplace=de place=badenwurttemberg place='weil am rhein'",
    ]);
  });

  it("asks for another owner's places with owner=, and says the API's refusal", async () => {
    const errors: string[] = [];
    const paths: string[] = [];
    const code = await placesCommand(
      { api: 'http://api', owner: 'bob' },
      {
        err: (line) => errors.push(line),
        client: {
          call: async (_method: string, path: string) => {
            paths.push(path);
            throw new ApiError(403, "owner: only an admin may list another owner's places");
          },
        },
      },
    );
    expect(code).toBe(1);
    expect(paths).toEqual(['/places?owner=bob']);
    expect(errors.join('\n')).toMatch(/only an admin/);
  });

  it("asks for a partner's places with partner=, and prints the searches of their library", async () => {
    const lines: string[] = [];
    const paths: string[] = [];
    const code = await placesCommand(
      { api: 'http://api', partner: 'alice' },
      {
        out: (line) => lines.push(line),
        client: {
          call: async (_method: string, path: string) => {
            paths.push(path);
            return PAGES[1];
          },
        },
      },
    );
    expect(code).toBe(0);
    expect(paths).toEqual(['/places?partner=alice']);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.split('\t')[1]?.startsWith('partner=alice place='))).toBe(true);
  });

  it('merges pages without changing a place that is on one page only', () => {
    expect(mergePlacePages([PAGES[1] as PlacesPage])).toEqual(PAGES[1]?.countries);
  });
});
