import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { loadTarget, usersOf } from './target';

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 8);

const users = usersOf(target);
const alice = new ImageApiClient(target.apiUrl, { apiKey: target.apiKey, bearerToken: users.alice.token });

/** Bytes no other test uploaded: the fixture with random bytes after its end, which no RAW reader looks at. */
const unique = (name: string) => Buffer.concat([fixture(name), randomBytes(16)]);

/** Each camera RAW fixture (test/fixtures/raw, made by make-raw.ts), its kind and camera, and its picture upright. */
const RAWS = [
  ['forest.dng', 'dng', 'Canon', 'Canon EOS R5', [1024, 640]],
  ['boats-turned.nef', 'nef', 'NIKON CORPORATION', 'NIKON Z 6_2', [640, 1024]],
  ['cups.cr2', 'cr2', 'Canon', 'Canon EOS 5D Mark IV', [1024, 640]],
  ['kite.arw', 'arw', 'SONY', 'ILCE-7M4', [1024, 640]],
  ['leaf.raf', 'raf', 'FUJIFILM', 'X-T5', [1024, 640]],
  ['pier.cr3', 'cr3', 'Canon', 'Canon EOS R6m2', [1024, 640]],
] as const;

describe('camera RAW uploads through the runner', () => {
  it.each(RAWS)(
    '%s is PROCESSED from its preview, with its camera, and a rendition decodes',
    async (name, kind, make, model, size) => {
      const [width, height] = size;
      const imageId = await alice.upload(unique(`raw/${name}`), { filename: name });
      const image = await alice.waitForFinal(imageId, WAIT);
      expect(image).toMatchObject({
        status: 'PROCESSED',
        analysis: {
          metadata: {
            format: kind,
            width,
            height,
            exif: {
              make,
              model,
              takenAt: '2024-05-17T09:30:12',
              lens: expect.any(String),
              exposure: { seconds: 0.004, fNumber: 5.6, iso: 400, focalLengthMm: 50 },
            },
            raw: { kind, preview: { width: 1024, height: 640 } },
          },
        },
      });
      const { url } = await alice.rendition(imageId, { w: 300, format: 'jpeg' });
      const response = await fetch(url, { headers: { accept: 'image/jpeg' } });
      expect(response.status).toBe(200);
      const decoded = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect([decoded.format, decoded.width, decoded.height]).toEqual([
        'jpeg',
        300,
        Math.round((300 * height) / width),
      ]);
    },
  );

  it('records a RAW without a preview as REJECTED, RAW_NO_PREVIEW, once', async () => {
    const imageId = await alice.upload(unique('raw/no-preview.dng'), { filename: 'no-preview.dng' });
    const image = await alice.waitForFinal(imageId, WAIT);
    expect(image).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'RAW_NO_PREVIEW', message: 'DNG: it embeds no JPEG preview' },
      attempts: 1,
    });
  });
});
