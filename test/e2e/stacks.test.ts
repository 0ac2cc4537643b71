import sharp from 'sharp';
import { ApiError, ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Stacks on the local runner (issue 81 item 3, docs/api.md#stacks): three frames of a burst (one camera, EXIF
 * DateTimeOriginal with SubSecTimeOriginal 0.3 s apart, near-duplicates) uploaded together show as one item with
 * `stack.count` 3 in `GET /images` and the timeline, and `stacked=expand` shows three; a stack made by hand and
 * deleted; a search that matches only a frame behind the primary shows the primary once; an archived primary hands
 * its place to the next frame; a frame moved to the trash leaves its stack. A user of its own on the shared jwt
 * runner.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
let alice: ImageApiClient;
let bob: ImageApiClient;
const burst: string[] = [];
const loose: string[] = [];

/** A frame of a burst: one scene (a gradient with a bar), the bar moved a little, with the camera's EXIF. */
async function frame(index: number, ms: number, model = 'EOS R5'): Promise<Buffer> {
  const width = 96;
  const height = 64;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bar = x >= 30 + index && x < 44 + index;
      const at = (y * width + x) * 3;
      pixels[at] = bar ? 240 : (x * 2) % 256;
      pixels[at + 1] = bar ? 220 : (y * 3) % 256;
      pixels[at + 2] = 90;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Canon', Model: model },
      IFD2: { DateTimeOriginal: '2026:05:01 10:00:00', SubSecTimeOriginal: String(ms).padStart(3, '0') },
    })
    .toBuffer();
}

/** A plain photo with no camera: stacked with nothing. */
const plain = (colour: string) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

interface Listed {
  imageId: string;
  stack?: { id: string; count?: number };
}
const page = async (query: Record<string, string> = {}) =>
  (await alice.list({ limit: '100', ...query } as never)).items as Listed[];

beforeAll(async () => {
  runner = await profileRunner('jwt');
  alice = new ImageApiClient(runner.ready.apiUrl, {
    bearerToken: await runner.token({ user: fileUser('stacks-alice') }),
  });
  bob = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('stacks-bob') }) });
  // The burst's three frames arrive together, so parallel processors stack them.
  const frames = await Promise.all([frame(0, 100), frame(1, 400), frame(2, 700)]);
  burst.push(...(await Promise.all(frames.map((bytes, i) => alice.upload(bytes, { filename: `IMG_00${i}.JPG` })))));
  loose.push(await alice.upload(await plain('#224466'), { filename: 'one.jpg' }));
  loose.push(await alice.upload(await plain('#664422'), { filename: 'two.jpg' }));
  for (const id of [...burst, ...loose]) expect((await alice.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
}, WAIT * 2);

/** Wait until `check` passes: the stack step runs after each photo's event. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('stacks', () => {
  it('reads the milliseconds of the date taken from SubSecTimeOriginal', async () => {
    const view = (await alice.get(burst[1] as string)) as unknown as {
      analysis: { metadata: { exif: { make: string; takenAt: string; takenAtMs: number } } };
    };
    expect(view.analysis.metadata.exif).toMatchObject({
      make: 'Canon',
      takenAt: '2026-05-01T10:00:00',
      takenAtMs: 400,
    });
  });

  it('shows a burst of three frames as one item with its count, and every frame with stacked=expand', async () => {
    const items = await eventually(
      () => page(),
      (listed) => listed.filter((item) => burst.includes(item.imageId)).length === 1,
    );
    const shown = items.filter((item) => burst.includes(item.imageId));
    expect(shown).toHaveLength(1);
    expect(shown[0]?.stack?.count).toBe(3);
    // The earliest frame is the primary.
    expect(shown[0]?.imageId).toBe(burst[0]);
    expect(items.map((item) => item.imageId)).toEqual(expect.arrayContaining(loose));

    const expanded = await page({ stacked: 'expand' });
    expect(expanded.filter((item) => burst.includes(item.imageId))).toHaveLength(3);
    const timeline = await page({ sort: 'taken' });
    expect(timeline.filter((item) => burst.includes(item.imageId))).toHaveLength(1);
    expect(
      (await page({ sort: 'taken', stacked: 'expand' })).filter((item) => burst.includes(item.imageId)),
    ).toHaveLength(3);

    const stackId = shown[0]?.stack?.id as string;
    const stack = (await alice.call('GET', `/stacks/${stackId}`)) as {
      kind: string;
      primary: string;
      count: number;
      frames: { imageId: string; thumbnails: Record<string, string> }[];
    };
    expect(stack).toMatchObject({ kind: 'burst', primary: burst[0], count: 3 });
    expect(stack.frames.map((one) => one.imageId)).toEqual(burst);
    expect(Object.keys(stack.frames[0]?.thumbnails ?? {}).length).toBeGreaterThan(0);
    // Another owner's stack is no stack of theirs.
    await expect(bob.call('GET', `/stacks/${stackId}`)).rejects.toMatchObject({ status: 404 });
  });

  it('makes a stack by hand, refuses a photo already in one, and unstacks it', async () => {
    const [first, second] = loose as [string, string];
    const made = (await alice.call('POST', '/stacks', { imageIds: [first, second], primary: second })) as {
      stackId: string;
      primary: string;
      count: number;
    };
    expect(made).toMatchObject({ primary: second, count: 2 });
    const listed = await page();
    expect(listed.map((item) => item.imageId)).not.toContain(first);
    expect(listed.find((item) => item.imageId === second)?.stack).toEqual({ id: made.stackId, count: 2 });

    const again = alice.call('POST', '/stacks', { imageIds: [first, burst[0]] });
    await expect(again).rejects.toBeInstanceOf(ApiError);
    await expect(again).rejects.toMatchObject({ status: 409, message: expect.stringContaining('already in stack') });

    const changed = (await alice.call('PUT', `/stacks/${made.stackId}/primary`, { imageId: first })) as {
      primary: string;
    };
    expect(changed.primary).toBe(first);
    expect((await page()).map((item) => item.imageId)).not.toContain(second);

    await alice.call('DELETE', `/stacks/${made.stackId}`);
    const after = await page();
    expect(after.map((item) => item.imageId)).toEqual(expect.arrayContaining([first, second]));
    expect(after.find((item) => item.imageId === first)?.stack).toBeUndefined();
    await expect(alice.call('GET', `/stacks/${made.stackId}`)).rejects.toMatchObject({ status: 404 });
  });

  it('finds a stack by a frame behind its primary and shows the primary once, with its count', async () => {
    const [primary, , last] = burst as [string, string, string];
    const stackId = (await page()).find((item) => item.imageId === primary)?.stack?.id as string;
    // `002` begins a word of the last frame's filename alone (IMG_002.JPG).
    const byLast = (await page({ q: '002' })) as (Listed & { matchedFrame?: string })[];
    expect(byLast.map((item) => [item.imageId, item.stack, item.matchedFrame])).toEqual([
      [primary, { id: stackId, count: 3 }, last],
    ]);
    // Every frame matches `img`: the stack is shown once, its primary's own match.
    const byAll = (await page({ q: 'img' })) as (Listed & { matchedFrame?: string })[];
    expect(byAll.filter((item) => burst.includes(item.imageId))).toEqual([
      expect.objectContaining({ imageId: primary, stack: { id: stackId, count: 3 } }),
    ]);
    expect(byAll.find((item) => item.imageId === primary)?.matchedFrame).toBeUndefined();
    const expanded = await page({ q: 'img', stacked: 'expand' });
    expect(
      expanded
        .filter((item) => burst.includes(item.imageId))
        .map((item) => item.imageId)
        .sort(),
    ).toEqual([...burst].sort());
  });

  it('keeps a stack in the timeline when its primary is archived: the next frame leads it', async () => {
    const [primary, next] = burst as [string, string, string];
    const stackId = (await page()).find((item) => item.imageId === primary)?.stack?.id as string;
    await alice.call('PUT', `/images/${primary}/archived`, { archived: true });
    const listed = await page();
    expect(listed.filter((item) => burst.includes(item.imageId))).toEqual([
      expect.objectContaining({ imageId: next, stack: { id: stackId, count: 3 } }),
    ]);
    expect((await page({ sort: 'taken' })).filter((item) => burst.includes(item.imageId))).toHaveLength(1);
    // The archived photo is in the archive, still a frame of its stack.
    const archive = await page({ archived: 'true' });
    expect(archive.find((item) => item.imageId === primary)?.stack).toEqual({ id: stackId });
    await expect(alice.call('GET', `/stacks/${stackId}`)).resolves.toMatchObject({ primary: next, count: 3 });
    // Back from the archive, it is a frame behind the primary that took its place, until it leads again.
    await alice.call('PUT', `/images/${primary}/archived`, { archived: false });
    expect((await page()).filter((item) => burst.includes(item.imageId)).map((item) => item.imageId)).toEqual([next]);
    await alice.call('PUT', `/stacks/${stackId}/primary`, { imageId: primary });
    expect((await page()).filter((item) => burst.includes(item.imageId)).map((item) => item.imageId)).toEqual([
      primary,
    ]);
  });

  it('takes a trashed frame out of its stack, and the next frame becomes the primary', async () => {
    const [primary, next] = burst as [string, string, string];
    const stackId = (await page()).find((item) => item.imageId === primary)?.stack?.id as string;
    await alice.delete(primary);
    const stack = (await alice.call('GET', `/stacks/${stackId}`)) as { primary: string; count: number };
    expect(stack).toMatchObject({ primary: next, count: 2 });
    const listed = await page();
    expect(listed.filter((item) => burst.includes(item.imageId))).toEqual([
      expect.objectContaining({ imageId: next, stack: { id: stackId, count: 2 } }),
    ]);
    // Restored, it is listed on its own: its stack went on without it.
    await alice.restore(primary);
    const restored = (await page()).find((item) => item.imageId === primary);
    expect(restored).toBeDefined();
    expect(restored?.stack).toBeUndefined();
  });
});
