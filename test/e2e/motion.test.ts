import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import type { Motion } from '../../lambdas/core/record';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Motion photos and Live Photos on the local runner (issue 82 item 4, docs/formats.md#motion-photos-and-live-photos):
 * a Google and a Samsung motion photo end PROCESSED with `motion` recorded (the MP4's offset, length and duration),
 * one whose XMP claims a video that is not there ends PROCESSED without; a Live Photo's still and MOV, uploaded in
 * either order, are one item whose record names the MOV, and the MOV is in no list. The thumbnails of each still
 * decode. A user of its own on the shared jwt runner; another user's MOV of the same name never pairs.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
let alice: ImageApiClient;
let bob: ImageApiClient;

const motionOf = async (client: ImageApiClient, imageId: string): Promise<Motion | undefined> => {
  const image = (await client.get(imageId)) as { analysis?: { metadata?: { motion?: Motion } } } | undefined;
  return image?.analysis?.metadata?.motion;
};

/** Wait until `check` passes: a Live Photo pairs once both files are in, after the second one's event. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** A MOV is no image: its upload's record is gone once the processor kept it (nothing to wait on but that). */
async function gone(client: ImageApiClient, imageId: string): Promise<boolean> {
  return eventually(
    async () => (await client.get(imageId)) === undefined,
    (isGone) => isGone,
  );
}

beforeAll(async () => {
  runner = await profileRunner('jwt');
  alice = new ImageApiClient(runner.ready.apiUrl, {
    bearerToken: await runner.token({ user: fileUser('motion-alice') }),
  });
  bob = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('motion-bob') }) });
}, WAIT);

describe('motion photos', () => {
  it.each([
    ['a Google motion photo', 'motion/google-motion.jpg', 21757],
    ['a Samsung motion photo', 'motion/samsung-motion.jpg', 20950],
  ])('%s ends PROCESSED with its MP4 recorded, and its thumbnail decodes', async (_name, file, offset) => {
    const bytes = fixture(file);
    const id = await alice.upload(bytes, { filename: file.split('/').pop() });
    const image = await alice.waitForFinal(id, WAIT);
    expect(image.status).toBe('PROCESSED');
    expect(await motionOf(alice, id)).toEqual({
      kind: 'motion-photo',
      format: 'mp4',
      bytes: 2565,
      durationSeconds: 1,
      offset,
    });
    // The original keeps the video where the record says: an MP4 begins at `offset`.
    expect(bytes.toString('latin1', offset + 4, offset + 8)).toBe('ftyp');
    // The still's thumbnail is the still's, whole: 512 px wide as the 640x400 still, and it decodes.
    const thumbnail = await fetch(image.urls?.thumbnails?.['512'] as string);
    expect(thumbnail.status).toBe(200);
    const decoded = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect([decoded.format, decoded.width, decoded.height]).toEqual(['webp', 512, 320]);
    // The original is kept as uploaded: the video is in it, where the record says.
    const original = await fetch(image.urls?.original as string);
    expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('a photo whose XMP claims a video that is not there ends PROCESSED, without motion', async () => {
    const id = await alice.upload(fixture('motion/claims-missing-video.jpg'), { filename: 'claims.jpg' });
    expect((await alice.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
    expect(await motionOf(alice, id)).toBeUndefined();
  });
});

describe('Live Photos', () => {
  const still = fixture('motion/IMG_0001.JPG');
  const mov = fixture('motion/IMG_0001.MOV');
  const upload = (client: ImageApiClient, name: string, kind: 'still' | 'video') =>
    kind === 'still'
      ? client.upload(still, { filename: `${name}.JPG`, contentType: 'image/jpeg' })
      : client.upload(mov, { filename: `${name}.MOV`, contentType: 'video/quicktime' });

  it.each([
    ['the MOV first', 'IMG_0101', ['video', 'still'] as const],
    ['the still first', 'IMG_0102', ['still', 'video'] as const],
  ])('pairs a still and its MOV uploaded with %s: one item, the record naming the MOV', async (_o, name, order) => {
    const ids: Record<string, string> = {};
    for (const kind of order) {
      ids[kind] = await upload(alice, name, kind);
      if (kind === 'still') expect((await alice.waitForFinal(ids[kind] as string, WAIT)).status).toBe('PROCESSED');
      else expect(await gone(alice, ids[kind] as string)).toBe(true);
    }
    const motion = await eventually(
      () => motionOf(alice, ids.still as string),
      (found) => found !== undefined,
    );
    expect(motion).toEqual({
      kind: 'live-photo',
      format: 'mov',
      bytes: mov.length,
      durationSeconds: 1,
      key: expect.stringMatching(new RegExp(`${ids.video}\\.mov$`)),
      imageId: ids.video,
    });
    // The stills of both pairs are one shot (the same EXIF and pixels): stacked as a burst, so the list is read with
    // the frames behind a primary too. The MOV is in no list, expanded or not.
    const page = await alice.list({ limit: '100', stacked: 'expand' } as never);
    const listed = (page.items as { imageId: string }[]).map((item) => item.imageId);
    expect(listed).toContain(ids.still);
    expect(listed).not.toContain(ids.video);
  });

  it("never pairs another owner's MOV of the same name", async () => {
    const stillId = await upload(alice, 'IMG_0103', 'still');
    expect((await alice.waitForFinal(stillId, WAIT)).status).toBe('PROCESSED');
    const videoId = await upload(bob, 'IMG_0103', 'video');
    expect(await gone(bob, videoId)).toBe(true);
    expect(await motionOf(alice, stillId)).toBeUndefined();
  });

  it('refuses a MOV over its own size limit at upload', async () => {
    await expect(
      alice.call('POST', '/uploads', { contentType: 'video/quicktime', size: 51 * 1024 * 1024, filename: 'big.MOV' }),
    ).rejects.toThrow(/size.*at most 52428800 bytes/);
  });
});
