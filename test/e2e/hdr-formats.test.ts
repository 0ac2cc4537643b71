import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { loadTarget, usersOf } from './target';

/*
 * JPEG XL, high bit depth, Display P3 and Ultra HDR through the runner (docs/formats.md): each upload ends with its
 * documented outcome, its record says what the file is, and a rendition of it decodes.
 */

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 4);

const alice = new ImageApiClient(target.apiUrl, { apiKey: target.apiKey, bearerToken: usersOf(target).alice.token });

/** Bytes no other test (or earlier run) uploaded: the fixture with a few random bytes appended after its end. */
const unique = (name: string) => Buffer.concat([fixture(name), randomBytes(16)]);

async function processedUpload(name: string) {
  const imageId = await alice.upload(unique(name), { filename: name.split('/').pop() });
  const image = await alice.waitForFinal(imageId, WAIT);
  return { imageId, image };
}

/** A JPEG rendition of the image, fetched as a browser would, and what a decoder reads of it. */
async function jpegRendition(imageId: string, width: number) {
  const { url } = await alice.rendition(imageId, { w: width, format: 'jpeg' });
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/jpeg');
  const body = Buffer.from(await response.arrayBuffer());
  const { format, width: w, height: h } = await sharp(body).metadata();
  return { body, decoded: { format, width: w, height: h } };
}

describe('JPEG XL, high bit depth, Display P3 and HDR uploads', () => {
  it('processes a JPEG XL: its record, and a JPEG rendition that decodes', async () => {
    const { imageId, image } = await processedUpload('formats/cups.jxl');
    expect(image).toMatchObject({
      status: 'PROCESSED',
      analysis: { metadata: { format: 'jxl', width: 640, height: 400, bitDepth: 8 } },
    });
    expect((await jpegRendition(imageId, 320)).decoded).toEqual({ format: 'jpeg', width: 320, height: 200 });
  });

  it('processes a 10-bit HEIC as 8-bit pictures, recording its bit depth', async () => {
    const { imageId, image } = await processedUpload('formats/leaf-10bit.heic');
    expect(image).toMatchObject({ status: 'PROCESSED', analysis: { metadata: { format: 'heic', bitDepth: 10 } } });
    expect((await jpegRendition(imageId, 320)).decoded).toEqual({ format: 'jpeg', width: 320, height: 200 });
  });

  it('refuses a 10-bit AVIF with its documented outcome', async () => {
    const imageId = await alice.upload(unique('formats/leaf-10bit.avif'), { filename: 'leaf-10bit.avif' });
    const image = await alice.waitForFinal(imageId, WAIT);
    expect(image).toMatchObject({
      status: 'REJECTED',
      analysis: { rejection: { code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('10-bit AVIF') } },
    });
  });

  it('serves a Display P3 photo converted to sRGB, and names its profile', async () => {
    const { imageId, image } = await processedUpload('formats/boats-p3.jpg');
    expect(image).toMatchObject({ status: 'PROCESSED', analysis: { metadata: { colorProfile: 'sP3C' } } });
    const { body } = await jpegRendition(imageId, 640);
    const [expected, served] = await Promise.all(
      [fixture('formats/boats-p3.jpg'), body].map(async (bytes) => [
        ...(await sharp(bytes)
          .extract({ left: 16, top: 16, width: 1, height: 1 })
          .toColourspace('srgb')
          .raw()
          .toBuffer()),
      ]),
    );
    // A JPEG's own rounding apart, the patch is P3 converted to sRGB, not P3's numbers read as sRGB (230, 60, 40).
    for (const [i, value] of (served as number[]).entries())
      expect(Math.abs(value - (expected?.[i] as number))).toBeLessThanOrEqual(6);
  });

  it('records an Ultra HDR JPEG gain map, keeps it in the original and analyses the SDR picture', async () => {
    const bytes = unique('formats/pier-ultrahdr.jpg');
    const imageId = await alice.upload(bytes, { filename: 'pier-ultrahdr.jpg' });
    const image = await alice.waitForFinal(imageId, WAIT);
    expect(image).toMatchObject({
      status: 'PROCESSED',
      analysis: {
        metadata: {
          width: 640,
          height: 400,
          hdr: { kind: 'ultra-hdr', gainMap: { width: 160, height: 100 }, headroom: 2.3 },
        },
      },
    });
    const original = Buffer.from(await (await fetch(image.urls?.original as string)).arrayBuffer());
    expect(original.equals(bytes)).toBe(true);
    expect((await jpegRendition(imageId, 320)).decoded).toEqual({ format: 'jpeg', width: 320, height: 200 });
  });
});
