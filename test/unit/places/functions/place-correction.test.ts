import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import type { AnalysisRecord } from '../../../../lambdas/core/record';
import type { ImageEvent } from '../../../../lambdas/manifest/events';
import { correctPlace } from '../../../../lambdas/places/functions/correct-place/correct-place';
import { type PlaceChange, PlaceChangeSchema } from '../../../../lambdas/places/functions/correct-place/route';
import type { PlaceCorrectionDeps } from '../../../../lambdas/places/functions/place-api';
import { resetPlace } from '../../../../lambdas/places/functions/reset-place/reset-place';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { fixture } from '../../../fixtures';
import { cancelledTransaction } from '../../../support/errors';
import { FakeGeocoder } from '../../../support/geocoder-fake';
import { OTHER_USER, TEST_USER } from '../../../support/identities';
import { IDS, imageItem } from '../../../support/items';

const BASEL = { latitude: 47.56, longitude: 7.59 };
const WEIL = { latitude: 47.6, longitude: 7.62 };
const caller = { owner: TEST_USER.sub, admin: false };
const NOW = '2026-11-26T10:00:00.000Z';

/** A PROCESSED image whose photo has Basel's GPS, named by an earlier run. */
let analysis: AnalysisRecord;
beforeAll(async () => {
  analysis = (await analyzeImage(fixture('places/basel.jpg'), { includeGps: true, thumbnailSizes: [64] })).record;
});

function located(overrides: Partial<ImageItem> = {}): ImageItem {
  return { ...imageItem(overrides), analysis, position: BASEL, ...overrides };
}

function world(item: ImageItem | undefined, writes = true) {
  const calls = { written: [] as ImageItem[], upserted: [] as ImageItem[], events: [] as ImageEvent[] };
  const deps: PlaceCorrectionDeps = {
    store: {
      get: async () => item,
      correctPlace: async (written) => {
        calls.written.push(written as ImageItem);
        return writes;
      },
      clearUnindexTerms: async () => undefined,
    },
    index: { upsert: async (upserted) => void calls.upserted.push(upserted) },
    publisher: { publish: async (event) => void calls.events.push(event as ImageEvent) },
    geocoder: new FakeGeocoder('d2'),
    now: () => new Date(NOW),
  };
  return { calls, deps };
}

const change = (body: unknown): PlaceChange => PlaceChangeSchema.parse(body);

describe('place corrections', () => {
  it('a position is named now (source position), written with its terms, indexed and announced', async () => {
    const { calls, deps } = world(located());
    const answer = await correctPlace(IDS.newer, change({ position: WEIL }), caller, deps);
    expect(answer).toEqual({
      imageId: IDS.newer,
      position: WEIL,
      place: expect.objectContaining({ locality: { name: 'Weil am Rhein' }, source: 'position', data: 'd2' }),
      placeCorrection: { position: WEIL, at: NOW, by: TEST_USER.sub },
    });
    expect(calls.written[0]).toMatchObject({ position: WEIL, placeCorrection: answer.placeCorrection, updatedAt: NOW });
    expect(calls.upserted).toHaveLength(1);
    expect(calls.events[0]?.detailType).toBe('Image Place Changed');
    expect(calls.events[0]?.detail).toMatchObject({ corrected: true, place: { locality: { name: 'Weil am Rhein' } } });
    expect(JSON.stringify(calls.events[0])).not.toMatch(/latitude|longitude/);
  });

  it('a place named by hand keeps the GPS position; cleared leaves neither', async () => {
    const named = { locality: { name: 'Riehen' }, country: { name: 'Switzerland', code: 'CH' } };
    const byHand = await correctPlace(IDS.newer, change({ place: named }), caller, world(located()).deps);
    expect(byHand).toMatchObject({ position: BASEL, place: { ...named, source: 'owner' } });
    const cleared = await correctPlace(IDS.newer, change({ cleared: true }), caller, world(located()).deps);
    expect(cleared.position).toBeUndefined();
    expect(cleared.place).toBeUndefined();
    expect(cleared.placeCorrection).toEqual({ cleared: true, at: NOW, by: TEST_USER.sub });
  });

  it('a name the places data cannot place is a 400 naming the level, and nothing is written', async () => {
    const { calls, deps } = world(located());
    await expect(
      correctPlace(IDS.newer, change({ place: { locality: { name: 'Nowhere' } } }), caller, deps),
    ).rejects.toMatchObject({
      name: 'BadRequestError',
      message: 'place.locality: the places data has no locality called "Nowhere"',
    });
    expect(calls.written).toEqual([]);
    expect(calls.events).toEqual([]);
  });

  it("DELETE goes back to what the photo's GPS says, without a correction", async () => {
    const { calls, deps } = world(located({ placeCorrection: { cleared: true, at: NOW } }));
    const answer = await resetPlace(IDS.newer, caller, deps);
    expect(answer).toEqual({
      imageId: IDS.newer,
      position: BASEL,
      place: expect.objectContaining({ locality: { name: 'Basel' }, source: 'gps' }),
    });
    expect(calls.written[0]?.placeCorrection).toBeUndefined();
    expect(calls.events[0]?.detail).toMatchObject({ corrected: false });
  });

  it("answers 404 for another owner's image, 409 before PROCESSED or when it changed meanwhile", async () => {
    const other = { owner: OTHER_USER.sub, admin: false };
    await expect(correctPlace(IDS.newer, change({ cleared: true }), other, world(located()).deps)).rejects.toThrow(
      'not found',
    );
    const admin = { owner: OTHER_USER.sub, admin: true };
    await expect(
      correctPlace(IDS.newer, change({ cleared: true }), admin, world(located()).deps),
    ).resolves.toBeDefined();
    const pending = world(located({ status: 'PENDING' })).deps;
    await expect(resetPlace(IDS.newer, caller, pending)).rejects.toThrow('once it is PROCESSED');
    const raced = world(located(), false).deps;
    await expect(correctPlace(IDS.newer, change({ cleared: true }), caller, raced)).rejects.toThrow('try again');
  });

  it('a conflict on the place counters (another photo at the place at that moment) is tried again, then a 409', async () => {
    const conflict = () => cancelledTransaction('None', 'TransactionConflict');
    const once = world(located());
    let conflicts = 1;
    const upsert = once.deps.index.upsert;
    once.deps.index.upsert = async (item) => {
      if (conflicts-- > 0) throw conflict();
      return upsert(item);
    };
    await expect(correctPlace(IDS.newer, change({ position: WEIL }), caller, once.deps)).resolves.toBeDefined();
    expect(once.calls.upserted).toHaveLength(1);

    const always = world(located());
    always.deps.index.upsert = async () => {
      throw conflict();
    };
    await expect(correctPlace(IDS.newer, change({ position: WEIL }), caller, always.deps)).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/counted: try again/),
    });
    expect(always.calls.events).toHaveLength(0);
  });

  it.each([
    ['nothing', {}],
    ['two at once', { cleared: true, position: WEIL }],
    ['a latitude out of range', { position: { latitude: 91, longitude: 7 } }],
    ['a place with no name', { place: {} }],
    ['cleared false', { cleared: false }],
    ['an unknown field', { city: 'Basel' }],
  ])('refuses a body with %s', (_case, body) => {
    expect(PlaceChangeSchema.safeParse(body).success).toBe(false);
  });
});
