import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { type DitServices, ditProcess, type FaceBox } from './dit';
import { makeLogo } from './requests';

const fixtures = path.join(__dirname, '..', '..', 'test', 'fixtures');
// 1280x800
const photo = readFileSync(path.join(fixtures, 'photos', 'boats.jpg'));

/** The AWS calls faked, counting what the pipeline asks for. */
function services(faces: FaceBox[] = []) {
  const calls = { getObject: [] as string[], detectFaces: 0 };
  const fake: DitServices = {
    getObject: async (bucket, key) => {
      calls.getObject.push(`${bucket}/${key}`);
      return makeLogo();
    },
    detectFaces: async () => {
      calls.detectFaces += 1;
      return faces;
    },
  };
  return { fake, calls };
}

describe('the reference pipeline as re-implemented for the renditions bench', () => {
  it('resizes and converts as its default request asks', async () => {
    const { fake } = services();
    const request = { edits: { resize: { width: 400, height: 225, fit: 'cover' } }, outputFormat: 'webp' as const };
    const out = await sharp(await ditProcess(photo, request, fake)).metadata();
    expect([out.format, out.width, out.height]).toEqual(['webp', 400, 225]);
  });

  it('reads the overlay from S3 on every request and keeps the resized size', async () => {
    const { fake, calls } = services();
    const overlayWith = { bucket: 'assets', key: 'logo.png', alpha: '50', wRatio: '20', hRatio: 'none' };
    const request = {
      edits: {
        resize: { width: 1024, height: 1024, fit: 'inside' },
        toFormat: 'jpeg',
        overlayWith: { ...overlayWith, options: { left: '-16', top: '-16' } },
      },
      outputFormat: 'jpeg' as const,
    };
    const plain = await ditProcess(photo, { edits: { resize: { width: 1024, height: 1024, fit: 'inside' } } }, fake);
    const marked = await ditProcess(photo, request, fake);
    expect(calls.getObject).toEqual(['assets/logo.png']);
    const out = await sharp(marked).metadata();
    expect([out.format, out.width, out.height]).toEqual(['jpeg', 1024, 640]);
    // The logo (20 % of 1024 = 204x68 px) sits 16 px from the bottom-right corner: that box changed, the top-left
    // corner did not.
    const change = async (left: number, top: number, width: number, height: number) => {
      const box = async (image: Buffer) => sharp(image).extract({ left, top, width, height }).raw().toBuffer();
      const [a, b] = await Promise.all([box(marked), box(plain)]);
      return a.reduce((total, value, i) => total + Math.abs(value - (b[i] as number)), 0) / a.length;
    };
    expect(await change(1024 - 16 - 204, 640 - 16 - 68, 204, 68)).toBeGreaterThan(10);
    expect(await change(0, 0, 204, 68)).toBeLessThan(2);
  });

  it('asks Rekognition once per smart crop and keeps the whole frame when it finds no face', async () => {
    const { fake, calls } = services();
    const edits = { resize: { width: 200, height: 200 }, toFormat: 'webp', smartCrop: {} };
    const out = await sharp(await ditProcess(photo, { edits, outputFormat: 'webp' }, fake)).metadata();
    expect(calls.detectFaces).toBe(1);
    expect([out.format, out.width, out.height]).toEqual(['webp', 200, 200]);
  });

  it('cuts the face box out of the resized image when Rekognition finds one', async () => {
    const { fake } = services([{ Left: 0.25, Top: 0.25, Width: 0.5, Height: 0.5 }]);
    const edits = { resize: { width: 200, height: 200 }, toFormat: 'webp', smartCrop: {} };
    const out = await sharp(await ditProcess(photo, { edits, outputFormat: 'webp' }, fake)).metadata();
    expect([out.width, out.height]).toEqual([100, 100]);
  });

  it('cannot decode HEIC: the prebuilt libvips has no HEVC decoder', async () => {
    const heic = readFileSync(path.join(fixtures, 'formats', 'forest.heic'));
    const request = { edits: { resize: { width: 400 } }, outputFormat: 'jpeg' as const };
    await expect(ditProcess(heic, request, services().fake)).rejects.toThrow(
      /compression format has not been built in/,
    );
  });
});
