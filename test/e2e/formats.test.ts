import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import type { PublicImage } from '../../lambdas/store/image-view';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * The pictures a camera makes that Rekognition's sides do not take (issue 82), through the runner with the offline
 * models: a 12,000 x 1,500 panorama and a 60 x 60 picture each end PROCESSED with their vision, the tiny one looked
 * at scaled to 80 x 80 (lambdas/vision/vision-limits.ts), and each serves a rendition.
 */
jest.setTimeout(300_000);

let runner: SharedRunner;
let api: ImageApiClient;
const records = new Map<string, PublicImage>();

const FILES = ['formats/panorama.jpg', 'formats/tiny.jpg'];

beforeAll(async () => {
  runner = await profileRunner('offline-faces');
  api = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  const ids = await Promise.all(
    FILES.map(async (file) => [file, await api.upload(fixture(file), { filename: file.split('/')[1] })] as const),
  );
  for (const [file, id] of ids) records.set(file, (await api.waitForFinal(id, 180_000)) as unknown as PublicImage);
});

describe('pictures outside the sides the models take, end to end', () => {
  it('processes the 12,000 x 1,500 panorama whole, and the models look at its thumbnail', async () => {
    const panorama = records.get('formats/panorama.jpg') as PublicImage;
    expect(panorama.status).toBe('PROCESSED');
    expect(panorama.analysis).toMatchObject({ metadata: { width: 12_000, height: 1_500, format: 'jpeg' } });
    expect(panorama.visionError).toBeUndefined();
    expect(panorama.vision?.inference.provider).toBe('onnx');
    // Its 1024 x 128 thumbnail is in the range: looked at as it is.
    expect(panorama.vision?.scaled).toBeUndefined();
  });

  it('processes the 60 x 60 picture, its vision looked at 80 x 80 and saying so', async () => {
    const tiny = records.get('formats/tiny.jpg') as PublicImage;
    expect(tiny.status).toBe('PROCESSED');
    expect(tiny.analysis).toMatchObject({ metadata: { width: 60, height: 60 } });
    expect(tiny.visionError).toBeUndefined();
    expect(tiny.vision?.scaled).toEqual({ from: { width: 60, height: 60 }, to: { width: 80, height: 80 } });
  });

  it.each([
    ['formats/panorama.jpg', { width: 400, height: 300 }],
    // A rendition never enlarges: the card's 4:3 cut of it, at its own pixels.
    ['formats/tiny.jpg', { width: 60, height: 45 }],
  ])('serves %s a 400 x 300 card that decodes, %o', async (file, size) => {
    const { imageId } = records.get(file) as PublicImage;
    const { url } = await api.rendition(imageId, { w: 400, h: 300, format: 'webp' });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const { format, width, height } = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect({ format, width, height }).toEqual({ format: 'webp', ...size });
  });
});
