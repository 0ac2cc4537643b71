import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { gpsExifTags } from '../../lambdas/core/analysis/exif';
import type { Place, Position } from '../../lambdas/core/place';
import { fixture } from '../fixtures';
import { reanalyse } from '../support/reanalyse';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { eventually } from './support';

/**
 * Places on the local runner (issue 45, docs/places.md): photos with EXIF GPS get their place from the shipped data,
 * with `inference=none` (the jwt profile) and with the offline models (offline-faces); an owner's correction is
 * answered by GET /images/{id}, sticks through a re-analysis (a backfill with reprocess of the one image), and DELETE
 * goes back to the photo's GPS.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 4);

type View = {
  imageId: string;
  key: string;
  status: string;
  position?: Position;
  place?: Place;
  placeCorrection?: unknown;
};

let none: SharedRunner;
let alice: ImageApiClient;

/** Bytes no other upload has: the photo with random bytes after its end (the same pixels, the same EXIF). */
const unique = (name: string) => Buffer.concat([fixture(`places/${name}`), randomBytes(16)]);

async function processed(api: ImageApiClient, name: string): Promise<View> {
  const imageId = await api.upload(unique(name), { filename: name });
  return (await api.waitForFinal(imageId, WAIT)) as unknown as View;
}

const names = (place: Place | undefined) => ({
  country: place?.country?.code,
  region: place?.region?.code,
  locality: place?.locality?.name,
});

beforeAll(async () => {
  none = await profileRunner('jwt');
  alice = new ImageApiClient(none.ready.apiUrl, { bearerToken: await none.token({ user: fileUser('alice') }) });
}, WAIT);

describe('places on the runner', () => {
  it('names the place of each photo with GPS, with inference=none; none for no GPS or 0,0', async () => {
    const [basel, weil, vatican, noGps, nullIsland] = await Promise.all(
      ['basel.jpg', 'weil-am-rhein.jpg', 'vatican.jpg', 'no-gps.jpg', 'null-island.jpg'].map((name) =>
        processed(alice, name),
      ),
    );
    expect(basel?.position).toEqual({ latitude: 47.56, longitude: 7.59 });
    expect(names(basel?.place)).toEqual({ country: 'CH', region: 'CH-BS', locality: 'Basel' });
    expect(basel?.place?.source).toBe('gps');
    expect(names(weil?.place)).toEqual({ country: 'DE', region: 'DE-BW', locality: 'Weil am Rhein' });
    expect(names(vatican?.place)).toMatchObject({ country: 'VA' });
    for (const image of [noGps, nullIsland]) {
      expect(image?.status).toBe('PROCESSED');
      expect(image?.position).toBeUndefined();
      expect(image?.place).toBeUndefined();
    }
  });

  it("keeps the position from another owner: their GET is a 404, the owner's and an admin's show it", async () => {
    const basel = await processed(alice, 'basel.jpg');
    const bob = new ImageApiClient(none.ready.apiUrl, { bearerToken: await none.token({ user: fileUser('bob') }) });
    await expect(bob.call('GET', `/images/${basel.imageId}`)).rejects.toMatchObject({ status: 404 });
    const admin = new ImageApiClient(none.ready.apiUrl, {
      bearerToken: await none.token({ user: fileUser('admin'), admin: true }),
    });
    expect(((await admin.call('GET', `/images/${basel.imageId}`)) as View).position).toEqual(basel.position);
  });

  it('a correction is answered by GET, sticks through a re-analysis, and DELETE goes back to the GPS place', async () => {
    const image = await processed(alice, 'basel.jpg');
    const get = async () => (await alice.call('GET', `/images/${image.imageId}`)) as View;
    const put = (body: unknown) => alice.call('PUT', `/images/${image.imageId}/place`, body);

    await put({ position: { latitude: 47.5947, longitude: 7.6208 } });
    expect(names((await get()).place)).toEqual({ country: 'DE', region: 'DE-BW', locality: 'Weil am Rhein' });
    expect((await get()).place?.source).toBe('position');

    // Named as the data names it: the town's region and its GeoNames id added.
    await put({ place: { locality: { name: 'Riehen' }, country: { name: 'Switzerland', code: 'CH' } } });
    const riehen = (await get()).place;
    expect(names(riehen)).toEqual({ country: 'CH', region: 'CH-BS', locality: 'Riehen' });
    expect(riehen?.source).toBe('owner');
    expect((await get()).position).toEqual({ latitude: 47.56, longitude: 7.59 });

    await reanalyse(none, image, WAIT);
    const after = await get();
    expect(after.place).toEqual(riehen);
    expect(after.placeCorrection).toMatchObject({ place: { locality: { name: 'Riehen' }, region: { code: 'CH-BS' } } });

    await put({ cleared: true });
    expect((await get()).place).toBeUndefined();
    expect((await get()).position).toBeUndefined();
    await reanalyse(none, image, WAIT);
    expect((await get()).place).toBeUndefined();

    await alice.call('DELETE', `/images/${image.imageId}/place`);
    const back = await get();
    expect(back.placeCorrection).toBeUndefined();
    expect(names(back.place)).toEqual({ country: 'CH', region: 'CH-BS', locality: 'Basel' });
    expect(back.place?.source).toBe('gps');
  });
});

describe('places by their other names', () => {
  /** A photo whose EXIF GPS says it was taken at this position, written as a camera writes it (gpsExifTags). */
  const photoAt = (latitude: number, longitude: number) =>
    sharp(fixture('places/no-gps.jpg'))
      .resize(64)
      .withExif({ IFD3: gpsExifTags({ latitude, longitude }) })
      .jpeg()
      .toBuffer()
      .then((bytes) => Buffer.concat([bytes, randomBytes(16)]));
  const found = async (api: ImageApiClient, query: string) =>
    ((await api.call('GET', `/images?${query}`)) as { items: Array<{ imageId: string }> }).items.map((i) => i.imageId);

  it('finds Genève by geneva and New York by usa; "Geneva, CH" is the data\'s place, never a country "CH"', async () => {
    const dave = new ImageApiClient(none.ready.apiUrl, { bearerToken: await none.token({ user: fileUser('dave') }) });
    const [geneva, newYork] = await Promise.all(
      [
        [46.2044, 6.1432, 'geneva.jpg'],
        [40.7128, -74.006, 'new-york.jpg'],
      ].map(async ([latitude, longitude, filename]) => {
        const imageId = await dave.upload(await photoAt(latitude as number, longitude as number), {
          filename: filename as string,
        });
        return (await dave.waitForFinal(imageId, WAIT)) as unknown as View;
      }),
    );
    expect(geneva?.place?.locality?.name).toBe('Genève');
    expect(newYork?.place?.country?.code).toBe('US');
    const genevaId = geneva?.imageId as string;
    const newYorkId = newYork?.imageId as string;
    // A record is final when stored; its postings are written just after, before its event: the search catches up.
    for (const [query, id] of [
      ['geneva', genevaId],
      ['usa', newYorkId],
    ] as const) {
      await eventually(`${query} to be searchable`, WAIT, async () =>
        (await found(dave, `q=${query}`)).includes(id) ? true : undefined,
      );
    }
    expect(await found(dave, 'q=geneva')).toEqual([genevaId]);
    expect(await found(dave, 'q=switzerland')).toEqual([genevaId]);
    expect(await found(dave, 'q=usa')).toEqual([newYorkId]);
    expect(await found(dave, 'q=united%20states')).toEqual([newYorkId]);
    expect(await found(dave, 'place=usa')).toEqual([newYorkId]);

    // New York named "Geneva, CH" by its owner: the data's Genève, in Switzerland, its country's code CH.
    const named = (await dave.call('PUT', `/images/${newYorkId}/place`, {
      place: { locality: { name: 'Geneva' }, country: { name: 'CH', code: 'CH' } },
    })) as { place: Place };
    expect(named.place).toMatchObject({
      country: { name: 'Switzerland', code: 'CH' },
      region: { code: 'CH-GE' },
      locality: { name: 'Genève' },
      source: 'owner',
    });
    const { countries } = (await dave.call('GET', '/places')) as {
      countries: Array<{
        name: string;
        code?: string;
        count: number;
        cover?: { imageId: string; thumbnailUrl: string };
      }>;
    };
    expect(countries.map((country) => country.name)).toEqual(['Switzerland']);
    expect(countries[0]).toMatchObject({ code: 'CH', count: 2, cover: { imageId: expect.any(String) } });
    // The cover links its thumbnail: the Places view reads no image for it.
    expect((await fetch(countries[0]?.cover?.thumbnailUrl as string)).status).toBe(200);
    expect(await found(dave, 'q=geneva')).toEqual(expect.arrayContaining([genevaId, newYorkId]));

    // A name the data cannot place is refused in words, and nothing changes.
    await expect(
      dave.call('PUT', `/images/${genevaId}/place`, { place: { locality: { name: 'Xqzzyville' } } }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('no town called "Xqzzyville"') });
  });
});

describe('places with the offline models', () => {
  it('names the place as with inference=none', async () => {
    const offline = await profileRunner('offline-faces');
    const carol = new ImageApiClient(offline.ready.apiUrl, {
      bearerToken: await offline.token({ user: fileUser('carol') }),
    });
    const vatican = await processed(carol, 'vatican.jpg');
    expect(vatican.status).toBe('PROCESSED');
    expect(names(vatican.place)).toMatchObject({ country: 'VA' });
  });
});
