import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * A legitimate user turning renditions against the bill (issue 28's review, on the shared `jwt` runner, as a user of
 * this file's own; its render budget is the deployment's default): a spec that would burn the render function's whole timeout is refused when its URL is asked for, from a photo
 * and from a 100 MP 16-bit PNG alike, and a flood of requests for one URL costs one render.
 */
jest.setTimeout(300_000);

let runner: SharedRunner;
let alice: ImageApiClient;

/** The review's spec: every costly parameter at its most, on a 4096 px AVIF at q 99. */
const COSTLY = {
  w: 4096,
  h: 4096,
  fit: 'fill',
  enlarge: true,
  blur: 100,
  median: 9,
  sharpen: 10,
  normalize: true,
  kernel: 'edge',
  format: 'avif',
  q: 99,
};

beforeAll(async () => {
  runner = await profileRunner('jwt');
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
});

/** Uploads the bytes (made unique, so no duplicate answer) as alice and waits until PROCESSED. */
async function processed(bytes: Buffer, filename: string): Promise<string> {
  const imageId = await alice.upload(bytes, { filename });
  const image = await alice.waitForFinal(imageId, 120_000);
  expect(image.status).toBe('PROCESSED');
  return imageId;
}

/** What `POST /images/{id}/renditions` refused with, or fails the test if it signed. */
async function refusal(imageId: string, spec: Record<string, unknown>) {
  const error = await alice.rendition(imageId, spec).then(
    () => undefined,
    (thrown: unknown) => thrown as { status: number; message: string },
  );
  if (!error) throw new Error(`${JSON.stringify(spec)} was signed`);
  return error;
}

describe('render work is bounded when the URL is signed', () => {
  it("refuses the review's spec on a 1280 × 800 photo with a 400 naming the budget and what to lower", async () => {
    const pier = await processed(Buffer.concat([fixture('photos/pier.jpg'), randomBytes(16)]), 'pier.jpg');
    const error = await refusal(pier, COSTLY);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /: 400 this rendition takes about [\d,]+ ms of render work, over the 8,000 this deployment allows \(renditionBudgetMs\): /,
    );
    expect(error.message).toMatch(
      /AVIF encode at q 99, 16\.8 MP: [\d,]+ ms \(lower q, w, h or dpr, or another format\)/,
    );
    // The same image, asked for within the budget, is signed and served.
    const { url } = await alice.rendition(pier, { w: 800, format: 'webp' });
    expect((await fetch(url)).status).toBe(200);
  });

  it('refuses it on a 10000 × 10000 16-bit PNG, and serves a small rendition of it from a stored copy', async () => {
    const flat = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#3a6ea5' } })
      .toColourspace('rgb16')
      .png({ compressionLevel: 9 })
      .toBuffer();
    const imageId = await processed(flat, 'huge.png');
    expect((await alice.get(imageId))?.analysis).toMatchObject({ metadata: { width: 10_000, bitDepth: 16 } });
    const error = await refusal(imageId, COSTLY);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/renditionBudgetMs/);
    const { url } = await alice.rendition(imageId, { w: 400, format: 'webp' });
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('a flood of requests for one URL', () => {
  it('costs one render: every request answered 200 with the same bytes, one of them rendered', async () => {
    const kite = await processed(Buffer.concat([fixture('photos/kite.jpg'), randomBytes(16)]), 'kite.jpg');
    const { url } = await alice.rendition(kite, { w: 1200, format: 'avif', q: 80, sharpen: 2 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const response = await fetch(url);
        const bytes = Buffer.from(await response.arrayBuffer());
        return { status: response.status, source: response.headers.get('x-rendition-source'), bytes };
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    expect(answers.filter((answer) => answer.source === 'rendered')).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.bytes.toString('base64'))).size).toBe(1);
  });
});
