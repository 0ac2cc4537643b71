import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { clientsFor, EventCollector, eventually } from './support';
import type { E2eTarget } from './target';

/**
 * An owner turns a photo after upload (issue 60, `PUT /images/{id}/rotation`) on the local runner: the answer is at
 * once (202), `Image Updated` says so, the processor makes it again from the turned picture (its size, the
 * thumbnail the gallery and the timeline show, a rendition signed before the turn) and `Image Processed` says when;
 * the same turn again is a 200 that does nothing, and 0 turns it back. A user of its own on the shared jwt runner.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 4);

let runner: SharedRunner;
let collector: EventCollector;
let alice: ImageApiClient;
let token = '';
let imageId = '';

async function put(degrees: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}/images/${imageId}/rotation`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ degrees }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The record once its pixels are turned as asked. */
const turned = (degrees: number) =>
  eventually(`${imageId} turned ${degrees}`, WAIT, async () => {
    const record = await alice.get(imageId);
    const applied = (record?.rotationApplied as number | undefined) ?? 0;
    return record?.status === 'PROCESSED' && applied === degrees ? record : undefined;
  });

/** The size of the image at a URL the API gave. */
async function sizeAt(url: string): Promise<[number, number]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const { width = 0, height = 0 } = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
  return [width, height];
}

beforeAll(async () => {
  runner = await profileRunner('jwt');
  token = await runner.token({ user: fileUser('alice') });
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: token });
  const { sqs, events } = clientsFor({ apiUrl: runner.ready.apiUrl, endpoint: runner.ready.endpoint } as E2eTarget);
  collector = new EventCollector(sqs, events, runner.ready.eventBus);
  await collector.start();
  // 320 x 200, wider than tall, its own colour.
  const bytes = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3a5f7d' } })
    .jpeg()
    .toBuffer();
  imageId = await alice.upload(bytes, { filename: 'sideways.jpg' });
  expect((await alice.waitForFinal(imageId, WAIT)).status).toBe('PROCESSED');
}, WAIT * 2);

afterAll(async () => {
  await collector?.stop();
});

describe('PUT /images/{id}/rotation on the runner', () => {
  it('refuses a turn that is not a quarter (400), and changes nothing', async () => {
    expect((await put(45)).status).toBe(400);
    expect((await alice.get(imageId))?.rotation).toBeUndefined();
  });

  it('turns it: 202, Image Updated, then the record, the thumbnail, the list and a rendition signed before are the turned picture', async () => {
    const before = await alice.rendition(imageId, { w: 100, format: 'png' });
    const [width, height] = await sizeAt(before.url);
    expect(width).toBe(100);
    expect(height).toBeLessThan(width);

    expect(await put(90)).toEqual({ status: 202, body: { imageId, rotation: 90, status: 'REANALYSING' } });
    const record = await turned(90);
    expect(record.rotation).toBe(90);
    expect(record.analysis).toMatchObject({ metadata: { width: 200, height: 320, orientation: 'portrait' } });
    const thumbnail = record.urls?.thumbnails?.['128'] as string;
    expect(await sizeAt(thumbnail)).toEqual([80, 128]);
    // The gallery's and the timeline's tiles.
    for (const query of [{}, { sort: 'taken' }]) {
      const tile = (await alice.list(query)).items.find((item) => item.imageId === imageId);
      expect(tile).toMatchObject({ width: 200, height: 320 });
    }
    // The URL signed before the turn names the same spec: it is rendered again from the turned original.
    expect(await sizeAt(before.url)).toEqual([100, 160]);

    await eventually('Image Updated, then Image Processed', WAIT, async () => {
      const mine = collector.events.filter((event) => event.detail.imageId === imageId);
      const updated = mine.find((event) => event.detailType === 'Image Updated');
      const processed = mine.filter((event) => event.detailType === 'Image Processed');
      return updated && processed.length === 2 ? { updated, processed } : undefined;
    }).then(({ updated }) => expect(updated.detail).toMatchObject({ changed: ['rotation'], rotation: 90 }));
  });

  it('answers the same turn again 200 UNCHANGED, and 0 turns it back', async () => {
    expect(await put(90)).toEqual({ status: 200, body: { imageId, rotation: 90, status: 'UNCHANGED' } });
    expect((await put(0)).status).toBe(202);
    const record = await turned(0);
    expect(record.analysis).toMatchObject({ metadata: { width: 320, height: 200 } });
    expect(record.rotation).toBe(0);
  });
});
