import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { clientsFor, EventCollector, eventually } from './support';
import type { E2eTarget } from './target';

/**
 * An owner crops a photo after upload (issue 78, `PUT` and `DELETE /images/{id}/crop`) on the local runner: a photo
 * whose left half is red and right half blue, cropped to its left half, is made again from that half (the record's
 * width halves; its thumbnail and a rendition signed before the crop are red only); `Image Updated` says so; the
 * same crop again does nothing, a crop under 16 px is refused, and DELETE puts the whole photo back. A user of its
 * own on the shared jwt runner.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 4);

let runner: SharedRunner;
let collector: EventCollector;
let alice: ImageApiClient;
let token = '';
let imageId = '';
const LEFT_HALF = { left: 0, top: 0, width: 0.5, height: 1 };
const WHOLE = { left: 0, top: 0, width: 1, height: 1 };

async function call(method: 'PUT' | 'DELETE', body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}/images/${imageId}/crop`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The record once its pixels are cut as asked. */
const cut = (crop: typeof WHOLE | undefined) =>
  eventually(`${imageId} cut to ${JSON.stringify(crop)}`, WAIT, async () => {
    const record = await alice.get(imageId);
    const applied = record?.cropApplied;
    return record?.status === 'PROCESSED' && JSON.stringify(applied) === JSON.stringify(crop) ? record : undefined;
  });

/** The size of the image at a URL the API gave, and how many of its columns are mostly red and mostly blue. */
async function seenAt(url: string): Promise<{ size: [number, number]; red: number; blue: number }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const { data, info } = await sharp(Buffer.from(await response.arrayBuffer()))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let red = 0;
  let blue = 0;
  const y = info.height >> 1;
  for (let x = 0; x < info.width; x++) {
    const [r = 0, , b = 0] = data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3);
    if (r > 200 && b < 60) red++;
    if (b > 200 && r < 60) blue++;
  }
  return { size: [info.width, info.height], red, blue };
}

beforeAll(async () => {
  runner = await profileRunner('jwt');
  token = await runner.token({ user: fileUser('alice') });
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: token });
  const { sqs, events } = clientsFor({ apiUrl: runner.ready.apiUrl, endpoint: runner.ready.endpoint } as E2eTarget);
  collector = new EventCollector(sqs, events, runner.ready.eventBus);
  await collector.start();
  // 320 x 200: its left half red, its right half blue.
  const half = (background: string) =>
    sharp({ create: { width: 160, height: 200, channels: 3, background } })
      .png()
      .toBuffer();
  const bytes = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#ff0000' } })
    .composite([{ input: await half('#0000ff'), left: 160, top: 0 }])
    .png()
    .toBuffer();
  imageId = await alice.upload(bytes, { filename: 'halves.png' });
  expect((await alice.waitForFinal(imageId, WAIT)).status).toBe('PROCESSED');
}, WAIT * 2);

afterAll(async () => {
  await collector?.stop();
});

describe('PUT and DELETE /images/{id}/crop on the runner', () => {
  it('refuses a crop outside the photo or under 16 px (400), and changes nothing', async () => {
    expect((await call('PUT', { left: 0.6, top: 0, width: 0.5, height: 1 })).status).toBe(400);
    const tiny = await call('PUT', { left: 0, top: 0, width: 0.04, height: 1 });
    expect(tiny).toMatchObject({ status: 400, body: { message: expect.stringMatching(/at least 16 px/) } });
    expect((await alice.get(imageId))?.crop).toBeUndefined();
  });

  it('crops it to the left half: 202, Image Updated, then the record, thumbnail and a rendition signed before are the red half', async () => {
    const before = await alice.rendition(imageId, { w: 100, format: 'png' });
    const whole = await seenAt(before.url);
    expect(whole.size).toEqual([100, 63]);
    expect(whole.blue).toBeGreaterThan(40);

    expect(await call('PUT', LEFT_HALF)).toEqual({
      status: 202,
      body: { imageId, crop: LEFT_HALF, status: 'REANALYSING' },
    });
    const record = await cut(LEFT_HALF);
    expect(record.crop).toEqual(LEFT_HALF);
    expect(record.analysis).toMatchObject({ metadata: { width: 160, height: 200, orientation: 'portrait' } });
    const thumbnail = await seenAt(record.urls?.thumbnails?.['128'] as string);
    expect(thumbnail).toMatchObject({ size: [102, 128], blue: 0 });
    expect(thumbnail.red).toBe(102);
    // The URL signed before the crop names the same spec: it is rendered again from the cut original.
    const after = await seenAt(before.url);
    expect(after).toMatchObject({ size: [100, 125], red: 100, blue: 0 });

    await eventually('Image Updated, then Image Processed', WAIT, async () => {
      const mine = collector.events.filter((event) => event.detail.imageId === imageId);
      const updated = mine.find((event) => event.detailType === 'Image Updated');
      const processed = mine.filter((event) => event.detailType === 'Image Processed');
      return updated && processed.length === 2 ? { updated } : undefined;
    }).then(({ updated }) => expect(updated.detail).toMatchObject({ changed: ['crop'], crop: LEFT_HALF }));
  });

  it('answers the same crop again 200 UNCHANGED, and DELETE puts the whole photo back', async () => {
    expect(await call('PUT', LEFT_HALF)).toEqual({
      status: 200,
      body: { imageId, crop: LEFT_HALF, status: 'UNCHANGED' },
    });
    expect(await call('DELETE')).toEqual({ status: 202, body: { imageId, crop: WHOLE, status: 'REANALYSING' } });
    const record = await cut(undefined);
    expect(record.crop).toEqual(WHOLE);
    expect(record.analysis).toMatchObject({ metadata: { width: 320, height: 200 } });
    const thumbnail = await seenAt(record.urls?.thumbnails?.['128'] as string);
    expect(thumbnail.size).toEqual([128, 80]);
    expect(thumbnail.blue).toBeGreaterThan(50);
    expect((await call('DELETE')).status).toBe(200);
  });
});
