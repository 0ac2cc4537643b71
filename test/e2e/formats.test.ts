import { execFile } from 'node:child_process';
import { join } from 'node:path';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { EXIT } from '../../lambdas/cli/record';
import type { PublicImage } from '../../lambdas/store/image-view';
import { CAMERA_KINDS, fixture, fixturePath, REFUSED_CAMERA_KINDS } from '../fixtures';
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

/**
 * A file of each kind issue 82 brings, for `image-intel analyze`'s parity with the pipeline: every RAW kind with a
 * fixture, JPEG XL, 10- and 12-bit HEIC, the refused 10-bit AVIF, Display P3, Ultra HDR, both motion photos.
 */
const KINDS = [...FILES, ...CAMERA_KINDS, ...REFUSED_CAMERA_KINDS];
const BIN = join(__dirname, '../../bin/image-intel.js');

beforeAll(async () => {
  runner = await profileRunner('offline-faces');
  api = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  const ids = await Promise.all(
    KINDS.map(async (file) => [file, await api.upload(fixture(file), { filename: file.split('/')[1] })] as const),
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

describe('image-intel analyze on every kind of file a camera makes', () => {
  /** What the CLI prints of each file, by fixture path: one run over them all, as a user would run it. */
  const printed = new Map<string, { status: string; analysis?: Record<string, unknown>; rejection?: unknown }>();
  beforeAll(async () => {
    // Two of them are refused, so it exits 1 (some rejected or failed), having printed every record.
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'analyze', '--inference', 'none', '--gps', '--concurrency', '1', ...KINDS.map(fixturePath)],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, out) => resolve({ code: error ? Number(error.code) : 0, stdout: out }),
      );
    });
    expect(code).toBe(EXIT.someRejectedOrFailed);
    stdout
      .trim()
      .split('\n')
      .forEach((line, i) => {
        printed.set(KINDS[i] as string, JSON.parse(line));
      });
  });

  /** A record's analysis without what differs run by run (how long it took). */
  const comparable = (analysis: unknown) => {
    const { durationMs: _durationMs, ...rest } = analysis as Record<string, unknown>;
    return rest;
  };

  it.each(KINDS)('prints for %s the analysis the pipeline stores', (file) => {
    const stored = records.get(file) as PublicImage;
    const cli = printed.get(file);
    expect(cli?.status).toBe(stored.status);
    expect(comparable(cli?.analysis)).toEqual(comparable(stored.analysis));
    if (stored.status === 'REJECTED') expect(cli?.rejection).toEqual(stored.rejection);
  });

  it('ends each kind as the formats doc says: processed, or refused with its reason', () => {
    const outcomes = Object.fromEntries(KINDS.map((file) => [file, records.get(file)?.status]));
    expect(outcomes).toEqual({
      ...Object.fromEntries(KINDS.map((file) => [file, 'PROCESSED'])),
      'raw/no-preview.dng': 'REJECTED',
      'formats/leaf-10bit.avif': 'REJECTED',
    });
    expect(records.get('raw/no-preview.dng')?.rejection?.code).toBe('RAW_NO_PREVIEW');
    expect(records.get('formats/leaf-10bit.avif')?.rejection?.code).toBe('UNSUPPORTED_FORMAT');
  });

  it("keeps each RAW's camera metadata from the RAW itself", () => {
    for (const file of KINDS.filter((name) => name.startsWith('raw/') && name !== 'raw/no-preview.dng')) {
      const { analysis } = records.get(file) as PublicImage;
      expect([file, analysis]).toEqual([
        file,
        expect.objectContaining({
          metadata: expect.objectContaining({
            raw: expect.objectContaining({ kind: file.split('.').pop() }),
            exif: expect.objectContaining({
              make: expect.any(String),
              model: expect.any(String),
              takenAt: expect.any(String),
            }),
          }),
        }),
      ]);
    }
  });
});
