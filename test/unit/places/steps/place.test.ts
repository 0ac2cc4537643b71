import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { PlaceCorrection } from '../../../../lambdas/core/place';
import { ANALYSIS_VERSION } from '../../../../lambdas/core/record';
import { isFinalFor, processUpload } from '../../../../lambdas/ingest/functions/processor/process-upload';
import type { ImageEvent } from '../../../../lambdas/manifest/events';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { ImageStore } from '../../../../lambdas/store/image-store';
import { fixture } from '../../../fixtures';
import { FakeGeocoder } from '../../../support/geocoder-fake';

const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const notice = { imageId: ID, bucket: 'images', key: `uploads/${ID}.jpg`, eventTime: '2026-11-22T10:00:00Z' };
const at = '2026-11-26T10:00:00.000Z';
const BASEL = { latitude: 47.56, longitude: 7.59 };
const WEIL = { latitude: 47.6, longitude: 7.62 };

/** Deps with no inference (`inference=none`): the place is named all the same. */
function deps(photo: string, geocoder: FakeGeocoder | undefined, published: ImageEvent[] = []): ProcessorDeps {
  return {
    steps: PROCESSOR_STEP_LIST,
    objects: {
      read: async () => ({ kind: 'object', bytes: fixture(`places/${photo}`), etag: '"e"' }),
      write: async () => undefined,
    },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async (event) => void published.push(event as ImageEvent) },
    ...(geocoder && { geocoder }),
    options: { thumbnailSizes: [64], maxPixels: 100_000_000, maxBytes: 10_000_000 },
  };
}

/** The final item as the store's conditional SET wrote it, and the fields it removed. */
function written(): { item: Record<string, unknown>; removed: string[] } {
  const update = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression?.startsWith('SET'));
  const input = update?.args[0].input;
  const item: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [alias, name] of Object.entries(input?.ExpressionAttributeNames ?? {})) {
    const value = input?.ExpressionAttributeValues?.[alias.replace('#', ':')];
    if (value !== undefined) item[name] = value;
    if (alias.startsWith('#r_')) removed.push(name);
  }
  return { item, removed };
}

function recorded(placeCorrection?: PlaceCorrection) {
  const pending = {
    ...{ imageId: ID, entity: 'IMAGE', status: 'PENDING', bucket: 'images', key: notice.key, owner: 'alice' },
    ...{ createdAt: '2026-11-22T09:59:00.000Z', updatedAt: '2026-11-22T09:59:00.000Z' },
    ...(placeCorrection && { placeCorrection }),
  };
  dynamo.on(GetCommand).resolves({ Item: pending });
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
  recorded();
});

const attempt = { count: 1, last: false };

describe('processor place step', () => {
  it("names the EXIF position with no inference, and keeps the photo's GPS in its analysis only", async () => {
    const published: ImageEvent[] = [];
    await expect(processUpload(notice, attempt, deps('basel.jpg', new FakeGeocoder('d1'), published))).resolves.toBe(
      'PROCESSED',
    );
    const { item } = written();
    expect(item.position).toEqual(BASEL);
    expect(item.place).toEqual({
      country: { name: 'Switzerland', code: 'CH' },
      region: { name: 'Basel-City', code: 'CH-BS' },
      locality: { name: 'Basel' },
      source: 'gps',
      data: 'd1',
    });
    expect((item.analysis as { metadata: { exif: unknown } }).metadata.exif).toEqual({ gps: BASEL });
    // The event names the place, never the position (docs/places.md).
    const detail = JSON.stringify(published[0]?.detail);
    expect(detail).toContain('"locality":{"name":"Basel"}');
    expect(detail).not.toMatch(/latitude|longitude|47\.56/);
  });

  it.each([
    ['no GPS', 'no-gps.jpg'],
    ['0,0 (no fix)', 'null-island.jpg'],
  ])('records neither position nor place for a photo with %s, removing what an earlier run said', async (_, photo) => {
    await processUpload(notice, attempt, deps(photo, new FakeGeocoder()));
    const { item, removed } = written();
    expect(item.position).toBeUndefined();
    expect(item.place).toBeUndefined();
    expect(removed).toEqual(expect.arrayContaining(['position', 'place']));
  });

  it("applies the owner's correction on every run: a position, a name, or cleared", async () => {
    recorded({ position: WEIL, at });
    await processUpload(notice, attempt, deps('basel.jpg', new FakeGeocoder()));
    expect(written().item).toMatchObject({ position: WEIL, place: { locality: { name: 'Weil am Rhein' } } });
    expect(written().item.place).toMatchObject({ source: 'position' });
    // The correction is the record's own: the run neither writes nor removes it.
    expect(written().item.placeCorrection).toBeUndefined();
    expect(written().removed).not.toContain('placeCorrection');

    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const place = { locality: { name: 'Riehen' }, country: { name: 'Switzerland', code: 'CH' } };
    recorded({ place, at });
    await processUpload(notice, attempt, deps('basel.jpg', new FakeGeocoder()));
    expect(written().item).toMatchObject({ position: BASEL, place: { ...place, source: 'owner' } });

    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });
    recorded({ cleared: true, at });
    await processUpload(notice, attempt, deps('basel.jpg', new FakeGeocoder()));
    expect(written().item.position).toBeUndefined();
    expect(written().removed).toEqual(expect.arrayContaining(['position', 'place']));
  });

  it('without a geocoder records the position and names no place', async () => {
    await processUpload(notice, attempt, deps('basel.jpg', undefined));
    expect(written().item.position).toEqual(BASEL);
    expect(written().item.place).toBeUndefined();
  });
});

describe('a re-analysis after the places data changed (backfill --reprocess)', () => {
  const named = (data: string, source = 'gps') =>
    ({
      imageId: ID,
      status: 'PROCESSED',
      etag: '"e"',
      analysisVersion: ANALYSIS_VERSION,
      position: BASEL,
      place: { country: { name: 'Switzerland', code: 'CH' }, source, data },
    }) as ImageItem;
  const asked = { reanalyse: true };
  /** The processor's deps as isFinalFor reads them: the places data it names places with now, or no geocoder. */
  const geocoding = { steps: PROCESSOR_STEP_LIST, geocoder: { data: 'new/2' } } as unknown as ProcessorDeps;

  it('names again a place older data named, and skips one this data named or its owner named by hand', async () => {
    expect(await isFinalFor(named('old/1'), '"e"', asked, geocoding)).toBe(false);
    expect(await isFinalFor(named('old/1', 'position'), '"e"', asked, geocoding)).toBe(false);
    expect(await isFinalFor(named('new/2'), '"e"', asked, geocoding)).toBe(true);
    expect(await isFinalFor(named('old/1', 'owner'), '"e"', asked, geocoding)).toBe(true);
  });

  it('leaves it as it is when not re-analysing, or with no geocoder', async () => {
    expect(await isFinalFor(named('old/1'), '"e"', { reanalyse: false }, geocoding)).toBe(true);
    expect(await isFinalFor(named('old/1'), '"e"', asked, { steps: PROCESSOR_STEP_LIST } as ProcessorDeps)).toBe(true);
  });
});
