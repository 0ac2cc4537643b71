import {
  type CoverDetails,
  groupPlaces,
  listPlaces,
} from '../../../../../lambdas/places/functions/list-places/list-places';
import { ListPlacesQuerySchema } from '../../../../../lambdas/places/functions/list-places/route';
import type { PlaceCount } from '../../../../../lambdas/search/place-counts';
import { InvalidCursorError } from '../../../../../lambdas/store/page-cursor';

const CH = { name: 'Switzerland', code: 'CH' };
const items: PlaceCount[] = [
  { path: 'ch//', names: { country: CH }, count: 1 },
  { path: 'ch/baselstadt/', names: { country: CH, region: { name: 'Basel-Stadt', code: 'CH-BS' } }, count: 2 },
  {
    path: 'ch/baselstadt/basel',
    names: { country: CH, region: { name: 'Basel-Stadt', code: 'CH-BS' }, locality: { name: 'Basel' } },
    count: 5,
  },
  {
    path: 'ch/baselstadt/riehen',
    names: { country: CH, region: { name: 'Basel-Stadt', code: 'CH-BS' }, locality: { name: 'Riehen' } },
    count: 1,
  },
  {
    path: 'ch/zurich/zurich',
    names: { country: CH, region: { name: 'Zürich' }, locality: { name: 'Zürich' } },
    count: 3,
  },
  {
    path: 'de/badenwurttemberg/weil am rhein',
    names: {
      country: { name: 'Germany', code: 'DE' },
      region: { name: 'Baden-Württemberg' },
      locality: { name: 'Weil am Rhein' },
    },
    count: 4,
  },
];

const query = (input: Record<string, string> = {}) => ListPlacesQuerySchema.parse(input);
/** No cover has details: a cover the details leave out is left out of the answer. */
const covers = async () => new Map<string, CoverDetails>();

describe('GET /places', () => {
  it('groups the counts country, region, locality, a parent counting what it holds and what names no level below', () => {
    const [ch, de] = groupPlaces(items);
    expect(ch).toEqual({
      name: 'Switzerland',
      code: 'CH',
      count: 12,
      place: ['ch'],
      regions: [
        {
          name: 'Basel-Stadt',
          code: 'CH-BS',
          count: 8,
          place: ['ch', 'baselstadt'],
          localities: [
            { name: 'Basel', count: 5, place: ['ch', 'baselstadt', 'basel'] },
            { name: 'Riehen', count: 1, place: ['ch', 'baselstadt', 'riehen'] },
          ],
        },
        {
          name: 'Zürich',
          count: 3,
          place: ['ch', 'zurich'],
          localities: [{ name: 'Zürich', count: 3, place: ['ch', 'zurich', 'zurich'] }],
        },
      ],
    });
    expect(de?.count).toBe(4);
    expect(de?.regions[0]?.localities[0]?.place).toEqual(['de', 'badenwurttemberg', 'weil am rhein']);
  });

  it('shows a place missing a level by the levels it has: a town of a country with no region, a town alone', () => {
    const vatican = { name: 'Vatican', code: 'VA' };
    const groups = groupPlaces([
      { path: '//nowhere', names: { locality: { name: 'Nowhere' } }, count: 2 },
      {
        path: '/bretagne/saint-malo',
        names: { region: { name: 'Bretagne' }, locality: { name: 'Saint-Malo' } },
        count: 1,
      },
      { path: 'va//', names: { country: vatican }, count: 1 },
      { path: 'va//vatican city', names: { country: vatican, locality: { name: 'Vatican City' } }, count: 3 },
    ]);
    expect(groups).toEqual([
      { name: 'Nowhere', count: 2, place: ['nowhere'], regions: [] },
      {
        name: 'Bretagne',
        count: 1,
        place: ['bretagne'],
        regions: [{ name: 'Saint-Malo', count: 1, place: ['bretagne', 'saint-malo'], localities: [] }],
      },
      {
        name: 'Vatican',
        code: 'VA',
        count: 4,
        place: ['va'],
        regions: [{ name: 'Vatican City', count: 3, place: ['va', 'vatican city'], localities: [] }],
      },
    ]);
  });

  it('gives each place the newest cover of its places, and a country named by its code alone the name another has', () => {
    const [ch] = groupPlaces([
      { path: 'ch//', names: { country: { name: 'CH', code: 'CH' } }, count: 1, cover: '01JD0000000000000000000003' },
      {
        path: 'ch/geneve/geneve',
        names: { country: CH, region: { name: 'Genève' }, locality: { name: 'Genève' } },
        count: 2,
        cover: '01JD0000000000000000000009',
      },
      {
        path: 'ch/geneve/versoix',
        names: { country: CH, region: { name: 'Genève' }, locality: { name: 'Versoix' } },
        count: 1,
      },
    ]);
    expect(ch).toMatchObject({ name: 'Switzerland', code: 'CH', cover: { imageId: '01JD0000000000000000000009' } });
    expect(ch?.regions[0]?.cover).toEqual({ imageId: '01JD0000000000000000000009' });
    expect(ch?.regions[0]?.localities[1]?.cover).toBeUndefined();
  });

  it("reads the caller's own counters, with the page asked for", async () => {
    const counts = jest.fn(async () => ({ items, cursor: 'next' }));
    const page = await listPlaces(
      query({ limit: '5', cursor: 'abc' }),
      { owner: 'alice', admin: false },
      { counts, covers },
    );
    expect(counts).toHaveBeenCalledWith('alice', { limit: 5, cursor: 'abc' });
    expect(page.cursor).toBe('next');
    expect(page.countries.map((country) => country.name)).toEqual(['Switzerland', 'Germany']);
  });

  it("lets an admin read another owner's places, and no one else", async () => {
    const counts = jest.fn(async () => ({ items: [] }));
    await listPlaces(query({ owner: 'bob' }), { owner: 'root', admin: true }, { counts, covers });
    expect(counts).toHaveBeenCalledWith('bob', { limit: 1000 });
    await expect(
      listPlaces(query({ owner: 'bob' }), { owner: 'alice', admin: false }, { counts, covers }),
    ).rejects.toThrow(/only an admin/);
    await expect(
      listPlaces(query({ owner: 'alice' }), { owner: 'alice', admin: false }, { counts, covers }),
    ).resolves.toEqual({
      countries: [],
    });
  });

  it("gives each place's cover its thumbnail link and position, asking once for every cover of the page", async () => {
    const covered: PlaceCount[] = [
      { path: 'ch//', names: { country: CH }, count: 1, cover: '01JD0000000000000000000003' },
      { ...(items[2] as PlaceCount), cover: '01JD0000000000000000000009' },
      { ...(items[3] as PlaceCount), cover: '01JD0000000000000000000005' },
    ];
    const asked: string[][] = [];
    const details = async (imageIds: readonly string[]) => {
      asked.push([...imageIds].sort());
      return new Map<string, CoverDetails>([
        ['01JD0000000000000000000009', { thumbnailUrl: 'https://t/9', position: { latitude: 47.56, longitude: 7.59 } }],
        ['01JD0000000000000000000005', { thumbnailUrl: 'https://t/5' }],
      ]);
    };
    const page = await listPlaces(
      query(),
      { owner: 'alice', admin: false },
      { counts: async () => ({ items: covered }), covers: details },
    );
    expect(asked).toEqual([['01JD0000000000000000000005', '01JD0000000000000000000009']]);
    const [ch] = page.countries;
    const basel = {
      imageId: '01JD0000000000000000000009',
      thumbnailUrl: 'https://t/9',
      position: { latitude: 47.56, longitude: 7.59 },
    };
    expect(ch?.cover).toEqual(basel);
    expect(ch?.regions[0]?.cover).toEqual(basel);
    expect(ch?.regions[0]?.localities.map((locality) => locality.cover)).toEqual([
      basel,
      { imageId: '01JD0000000000000000000005', thumbnailUrl: 'https://t/5' },
    ]);
  });

  it('answers a cursor it did not make with a 400, and bounds the page', async () => {
    const counts = async () => {
      throw new InvalidCursorError('cursor is not one this API returned');
    };
    await expect(
      listPlaces(query({ cursor: 'x' }), { owner: 'alice', admin: false }, { counts, covers }),
    ).rejects.toMatchObject({ name: 'BadRequestError' });
    expect(query({ limit: '100000' }).limit).toBe(1000);
    expect(ListPlacesQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(ListPlacesQuerySchema.safeParse({ sort: 'name' }).success).toBe(false);
  });
});

describe("GET /places?partner= (a partner's places)", () => {
  const bob = { owner: 'bob', admin: false };
  const cover = (imageId: string): CoverDetails => ({ thumbnailUrl: `https://thumbs/${imageId}` });
  function partnerDeps(grant: { from?: string; albums?: string[] } | undefined) {
    const asked: unknown[] = [];
    return {
      asked,
      deps: {
        counts: async (owner: string) => {
          asked.push(['counts', owner]);
          return { items: [{ ...(items[5] as PlaceCount), cover: '01JD0000000000000000000009' }] };
        },
        covers: async (ids: readonly string[], partnerOf?: string) => {
          asked.push(['covers', partnerOf]);
          return new Map(ids.map((id) => [id, cover(id)]));
        },
        grant: async (grantor: string, partner: string) => {
          asked.push(['grant', grantor, partner]);
          return grant;
        },
      },
    };
  }

  it("lists the grantor's places with their counts, and asks for the covers a partner of theirs may see", async () => {
    const { deps, asked } = partnerDeps({});
    const page = await listPlaces(query({ partner: 'alice' }), bob, deps);
    expect(asked).toEqual([
      ['grant', 'alice', 'bob'],
      ['counts', 'alice'],
      ['covers', 'alice'],
    ]);
    expect(page.countries).toEqual([
      expect.objectContaining({
        name: 'Germany',
        count: 4,
        cover: expect.objectContaining({ thumbnailUrl: expect.any(String) }),
      }),
    ]);
  });

  it('answers 404 without a grant, and reads none of their places', async () => {
    const { deps, asked } = partnerDeps(undefined);
    await expect(listPlaces(query({ partner: 'alice' }), bob, deps)).rejects.toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('has not shared'),
    });
    expect(asked).toEqual([['grant', 'alice', 'bob']]);
  });

  it.each([
    [{ from: '2024-01-01T00:00:00' }, 'taken from 2024-01-01T00:00:00'],
    [{ albums: ['al_1'] }, 'some albums'],
  ])('refuses a grant limited by %j with a 400 that says why and where its photos are', async (grant, what) => {
    const { deps, asked } = partnerDeps(grant);
    const listed = listPlaces(query({ partner: 'alice' }), bob, deps);
    await expect(listed).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining(what),
    });
    await expect(listed).rejects.toMatchObject({ message: expect.stringContaining('GET /images?partner=alice') });
    expect(asked).toEqual([['grant', 'alice', 'bob']]);
  });

  it.each([
    [{ partner: 'alice', owner: 'alice' }, 'take no owner'],
    [{ partner: 'bob' }, 'without partner'],
  ])('refuses %j with a 400', async (params, why) => {
    const { deps, asked } = partnerDeps({});
    await expect(listPlaces(query(params), bob, deps)).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining(why),
    });
    expect(asked).toEqual([]);
  });

  it('is refused where the deployment wires no grants', async () => {
    const { deps } = partnerDeps({});
    const { grant: _none, ...without } = deps;
    await expect(listPlaces(query({ partner: 'alice' }), bob, without)).rejects.toMatchObject({ statusCode: 400 });
  });
});
