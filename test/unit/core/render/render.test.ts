import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import {
  outputSize,
  planSource,
  type RenderContext,
  RenderTimeoutError,
  RenditionError,
  renderImage,
  type StoredImage,
  shownRegion,
} from '../../../../lambdas/core/render/render';
import type { OutputFormat, RenditionSpec } from '../../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';
import { fixture } from '../../../fixtures';

const spec = (extra: Partial<RenditionSpec> = {}): RenditionSpec => ({
  ...RENDITION_DEFAULTS,
  watermarkOpacity: 1,
  ...extra,
});

const MAX_PIXELS = 100_000_000;
const context = (image: RenderContext['image'], format: OutputFormat = 'png'): RenderContext => ({
  format,
  image,
  maxInputPixels: MAX_PIXELS,
});

type Rgb = [number, number, number];
const RED: Rgb = [255, 0, 0];
const GREEN: Rgb = [0, 255, 0];
const BLUE: Rgb = [0, 0, 255];
const YELLOW: Rgb = [255, 255, 0];

/** An image in four flat colours: red top-left, green top-right, blue bottom-left, yellow bottom-right. */
async function quadrants(width: number, height: number, format: 'jpeg' | 'png' | 'webp', orientation?: number) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < height / 2 ? (x < width / 2 ? RED : GREEN) : x < width / 2 ? BLUE : YELLOW;
      data.set(colour, (y * width + x) * 3);
    }
  }
  let image = sharp(data, { raw: { width, height, channels: 3 } });
  if (orientation) image = image.withMetadata({ orientation });
  return format === 'jpeg' ? image.jpeg({ quality: 95 }).toBuffer() : image[format]({ lossless: true }).toBuffer();
}

/** Decoded RGB pixels of an encoded image and a reader for one pixel. */
async function pixels(encoded: Buffer) {
  const { data, info } = await sharp(encoded)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Rgb => {
    const i = (Math.floor(y) * info.width + Math.floor(x)) * info.channels;
    return [data[i] as number, data[i + 1] as number, data[i + 2] as number];
  };
  return { data, info, at };
}

const near = (actual: Rgb, expected: Rgb, tolerance = 40) =>
  actual.every((value, i) => Math.abs(value - (expected[i] as number)) <= tolerance);

describe('outputSize', () => {
  const image = { width: 4000, height: 3000 };

  it.each([
    ['cover', { w: 400, h: 400 }, [400, 400]],
    ['contain', { w: 400, h: 400 }, [400, 400]],
    ['fill', { w: 400, h: 100 }, [400, 100]],
    ['inside', { w: 400, h: 400 }, [400, 300]],
    ['outside', { w: 400, h: 400 }, [533, 400]],
    ['cover', { w: 400 }, [400, 300]],
    ['inside', { h: 300 }, [400, 300]],
    ['cover', {}, [4000, 3000]],
  ] as const)('fit %s with %j gives %j', (fit, size, expected) => {
    expect(outputSize(spec({ fit, ...size }), image)).toEqual({ width: expected[0], height: expected[1] });
  });

  it('multiplies by dpr', () => {
    expect(outputSize(spec({ w: 300, h: 200, dpr: 2 }), image)).toEqual({ width: 600, height: 400 });
    expect(outputSize(spec({ w: 101, fit: 'inside', dpr: 1.5 }), image)).toEqual({ width: 152, height: 114 });
  });

  it('works on the crop region, not the whole image', () => {
    expect(outputSize(spec({ crop: { x: 10, y: 20, w: 1000, h: 500 }, w: 200, fit: 'inside' }), image)).toEqual({
      width: 200,
      height: 100,
    });
  });

  it('swaps the region for rotate 90 and 270, so w and h are the output’s', () => {
    expect(outputSize(spec({ rotate: 90, w: 300 }), image)).toEqual({ width: 300, height: 400 });
    expect(outputSize(spec({ rotate: 270 }), image)).toEqual({ width: 3000, height: 4000 });
    expect(outputSize(spec({ rotate: 180, w: 400 }), image)).toEqual({ width: 400, height: 300 });
  });

  it('never enlarges past the region without enlarge, keeping the requested aspect ratio', () => {
    const small = { width: 150, height: 100 };
    expect(outputSize(spec({ w: 200, h: 200 }), small)).toEqual({ width: 100, height: 100 });
    expect(outputSize(spec({ w: 300, h: 150, fit: 'contain' }), small)).toEqual({ width: 200, height: 100 });
    expect(outputSize(spec({ w: 300, h: 300, fit: 'fill' }), small)).toEqual({ width: 100, height: 100 });
    expect(outputSize(spec({ w: 600, h: 600, fit: 'inside' }), small)).toEqual({ width: 150, height: 100 });
    expect(outputSize(spec({ w: 1000 }), small)).toEqual({ width: 150, height: 100 });
  });

  it('enlarges when asked', () => {
    const small = { width: 150, height: 100 };
    expect(outputSize(spec({ w: 200, h: 200, enlarge: true }), small)).toEqual({ width: 200, height: 200 });
    expect(outputSize(spec({ w: 600, enlarge: true }), small)).toEqual({ width: 600, height: 400 });
  });

  it('refuses a crop with a negative corner or no area', () => {
    expect(() => outputSize(spec({ crop: { x: -1, y: 0, w: 10, h: 10 } }), image)).toThrow(
      'crop 10x10 at (-1, 0): x and y must be at least 0, w and h at least 1',
    );
    expect(() => outputSize(spec({ crop: { x: 0, y: 0, w: 0, h: 10 } }), image)).toThrow(RenditionError);
  });

  it('refuses a crop that leaves the image, naming the crop and the image size', () => {
    const call = () => outputSize(spec({ crop: { x: 3500, y: 0, w: 600, h: 100 } }), image);
    expect(call).toThrow(RenditionError);
    expect(call).toThrow('crop 600x100 at (3500, 0) reaches (4100, 100), outside the 4000x3000 image');
  });
});

describe('planSource', () => {
  /** A 12 MP original with the three stored WebP copies. */
  const stored: StoredImage = {
    width: 4000,
    height: 3000,
    thumbnails: [
      { size: 1024, width: 1024, height: 768 },
      { size: 128, width: 128, height: 96 },
      { size: 512, width: 512, height: 384 },
    ],
  };
  /** An 800x600 original: its 1024 copy is no smaller than it. */
  const small: StoredImage = {
    width: 800,
    height: 600,
    thumbnails: [
      { size: 128, width: 128, height: 96 },
      { size: 512, width: 512, height: 384 },
      { size: 1024, width: 800, height: 600 },
    ],
  };

  it.each([
    ['an 80 px wide inside (the 128 copy has 1.6x)', stored, { w: 80, fit: 'inside' }, 128],
    ['an 86 px wide inside (128 would have 1.49x: 512 is preferred)', stored, { w: 86, fit: 'inside' }, 512],
    ['a 128 px wide inside', stored, { w: 128, fit: 'inside' }, 512],
    ['a 341 px wide inside (512 has 1.5x)', stored, { w: 341, fit: 'inside' }, 512],
    ['a 342 px wide inside', stored, { w: 342, fit: 'inside' }, 1024],
    ['a 1024 px wide inside, exactly the largest copy', stored, { w: 1024, fit: 'inside' }, 1024],
    ['a 400 px cover square (the cut 3000 px wide needs 400)', stored, { w: 400, h: 400 }, 1024],
    ['a 256 px cover square (512 has 384 px under the cut)', stored, { w: 256, h: 256 }, 512],
    ['a 300x300 contain (content 300x225)', stored, { w: 300, h: 300, fit: 'contain' }, 512],
    ['a 300x300 outside (content 400x300)', stored, { w: 300, h: 300, fit: 'outside' }, 1024],
    ['a 1024x100 fill', stored, { w: 1024, h: 100, fit: 'fill' }, 1024],
    ['a 100 px wide at dpr 2', stored, { w: 100, dpr: 2, fit: 'inside' }, 512],
    ['a 240 px wide turned a quarter (along the original’s height, 384 in 512)', stored, { w: 240, rotate: 90 }, 512],
    ['a 500 px wide on the small original (its 1024 copy is the original’s size)', small, { w: 500 }, 512],
  ] as const)('%s comes from the %s copy', (_, image, extra, size) => {
    expect(planSource(spec(extra), image)).toEqual({
      source: 'thumbnail',
      copy: image.thumbnails.find((copy) => copy.size === size),
    });
  });

  it.each([
    ['a 1025 px wide inside', stored, { w: 1025, fit: 'inside' }],
    ['a 400 px wide at dpr 3', stored, { w: 400, dpr: 3 }],
    ['a crop 400 px wide shown at 200', stored, { crop: { x: 0, y: 0, w: 400, h: 300 }, w: 200 }],
    ['no size at all', stored, {}],
    ['an enlargement', stored, { w: 8000, enlarge: true }],
    ['a 700 px wide on the small original (its 1024 copy is the original’s size)', small, { w: 700 }],
    [
      'an 800x600 cover turned a quarter (800 px along the original’s height; the copy has 768)',
      stored,
      { w: 800, h: 600, rotate: 90 },
    ],
  ] as const)('%s comes from the original', (_, image, extra) => {
    expect(planSource(spec(extra), image)).toEqual({ source: 'original' });
  });

  it('uses a crop large enough for the copy', () => {
    // A 2048 px wide crop holds 524 px of the 1024 copy: enough for 500.
    const plan = planSource(spec({ crop: { x: 1000, y: 1000, w: 2048, h: 1536 }, w: 500 }), stored);
    expect(plan).toEqual({ source: 'thumbnail', copy: { size: 1024, width: 1024, height: 768 } });
  });

  it('plans a size the renderer then produces from that copy', async () => {
    const original = { width: 1200, height: 800 };
    const copy = await quadrants(300, 200, 'webp');
    const wanted = spec({ w: 150, h: 150 });
    expect(planSource(wanted, { ...original, thumbnails: [{ size: 300, width: 300, height: 200 }] })).toEqual({
      source: 'thumbnail',
      copy: { size: 300, width: 300, height: 200 },
    });
    const out = await renderImage(copy, wanted, context(original));
    expect([out.width, out.height]).toEqual([150, 150]);
  });
});

describe('renderImage geometry', () => {
  let jpeg: Buffer;
  beforeAll(async () => {
    jpeg = await quadrants(1200, 800, 'jpeg');
  });
  const original = { width: 1200, height: 800 };

  it.each([
    ['cover', { w: 300, h: 300 }],
    ['contain', { w: 300, h: 300 }],
    ['fill', { w: 300, h: 100 }],
    ['inside', { w: 300, h: 300 }],
    ['outside', { w: 300, h: 300 }],
  ] as const)('fit %s gives the size outputSize says', async (fit, size) => {
    const wanted = spec({ fit, ...size });
    const out = await renderImage(jpeg, wanted, context(original));
    const meta = await sharp(out.data).metadata();
    expect([out.width, out.height]).toEqual([meta.width, meta.height]);
    expect({ width: out.width, height: out.height }).toEqual(outputSize(wanted, original));
  });

  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
    ['avif', 'image/avif'],
  ] as const)('encodes %s', async (format, contentType) => {
    const out = await renderImage(jpeg, spec({ w: 120 }), context(original, format));
    expect(out.format).toBe(format);
    expect(out.contentType).toBe(contentType);
    expect((await sharp(out.data).metadata()).format).toBe(format === 'avif' ? 'heif' : format);
  });

  it('multiplies the size by dpr', async () => {
    const out = await renderImage(jpeg, spec({ w: 100, h: 50, dpr: 2 }), context(original));
    expect([out.width, out.height]).toEqual([200, 100]);
  });

  it.each([
    ['below a third: resized, then cut', 100],
    ['above a third: cut, then resized', 500],
  ])('crops in original pixels, %s', async (_, width) => {
    // The top-left quadrant's inner part is all red, whatever the scale.
    const crop = { x: 50, y: 50, w: 500, h: 300 };
    const out = await renderImage(jpeg, spec({ crop, w: width }), context(original));
    const { at, info } = await pixels(out.data);
    expect([info.width, info.height]).toEqual([width, Math.round((width * 3) / 5)]);
    for (const [x, y] of [
      [1, 1],
      [info.width - 2, info.height - 2],
      [info.width / 2, info.height / 2],
    ] as const) {
      expect(near(at(x, y), RED)).toBe(true);
    }
  });

  it('crops across quadrants at the right place', async () => {
    // Centred on the middle: each output quadrant shows its colour.
    const crop = { x: 300, y: 200, w: 600, h: 400 };
    for (const w of [60, 400]) {
      const { at, info } = await pixels((await renderImage(jpeg, spec({ crop, w }), context(original))).data);
      const q = (fx: number, fy: number) => at(info.width * fx, info.height * fy);
      expect(
        [q(0.25, 0.25), q(0.75, 0.25), q(0.25, 0.75), q(0.75, 0.75)].map((c, i) =>
          near(c, [RED, GREEN, BLUE, YELLOW][i] as Rgb),
        ),
      ).toEqual([true, true, true, true]);
    }
  });

  it.each([
    ['rotate 90 turns clockwise', { rotate: 90 }, [BLUE, RED, YELLOW, GREEN]],
    ['rotate 180', { rotate: 180 }, [YELLOW, BLUE, GREEN, RED]],
    ['rotate 270', { rotate: 270 }, [GREEN, YELLOW, RED, BLUE]],
    ['flip mirrors top to bottom', { flip: true }, [BLUE, YELLOW, RED, GREEN]],
    ['flop mirrors left to right', { flop: true }, [GREEN, RED, YELLOW, BLUE]],
    ['flip then rotate 90', { flip: true, rotate: 90 }, [RED, BLUE, GREEN, YELLOW]],
  ] as const)('%s', async (_, turn, expected) => {
    const { at, info } = await pixels((await renderImage(jpeg, spec({ w: 200, ...turn }), context(original))).data);
    const q = (fx: number, fy: number) => at(info.width * fx, info.height * fy);
    const seen = [q(0.25, 0.25), q(0.75, 0.25), q(0.25, 0.75), q(0.75, 0.75)];
    expect(seen.map((c, i) => near(c, expected[i] as Rgb))).toEqual([true, true, true, true]);
  });

  it('keeps a crop in original pixels when rotating', async () => {
    // The red quadrant, turned: still all red, portrait.
    const out = await renderImage(
      jpeg,
      spec({ crop: { x: 0, y: 0, w: 600, h: 400 }, rotate: 90, w: 100 }),
      context(original),
    );
    const { at, info } = await pixels(out.data);
    expect([info.width, info.height]).toEqual([100, 150]);
    expect(near(at(50, 75), RED)).toBe(true);
  });

  it.each([
    ['west', RED],
    ['east', GREEN],
  ] as const)('cuts a cover at gravity %s', async (gravity, colour) => {
    // A square from the top half (crop): west shows red, east green.
    const crop = { x: 0, y: 0, w: 1200, h: 400 };
    const { at } = await pixels(
      (await renderImage(jpeg, spec({ crop, w: 50, h: 50, gravity }), context(original))).data,
    );
    expect(near(at(10, 10), colour)).toBe(true);
    expect(near(at(40, 40), colour)).toBe(true);
  });

  it('reads gravity in the output’s orientation', async () => {
    // Turned a quarter, the original's left (red, blue) is the output's top: north shows them.
    const out = await renderImage(jpeg, spec({ rotate: 90, w: 100, h: 50, gravity: 'north' }), context(original));
    const { at } = await pixels(out.data);
    expect(near(at(25, 25), BLUE)).toBe(true);
    expect(near(at(75, 25), RED)).toBe(true);
  });

  it.each([
    ['upright', 0],
    ['turned a quarter', 90],
  ] as const)('falls back to the attention strategy for smart gravity with no box, %s', async (_, rotate) => {
    const photo = fixture('photos/boats.jpg');
    const out = await renderImage(
      photo,
      spec({ w: 120, h: 90, gravity: 'smart', rotate }),
      context({ width: 1280, height: 800 }),
    );
    expect([out.width, out.height]).toEqual([120, 90]);
  });

  it('pads contain at the gravity, white for JPEG', async () => {
    const out = await renderImage(
      jpeg,
      spec({ w: 300, h: 300, fit: 'contain', gravity: 'north' }),
      context(original, 'jpeg'),
    );
    const { at } = await pixels(out.data);
    expect(near(at(150, 290), [255, 255, 255], 10)).toBe(true);
    expect(near(at(10, 10), RED)).toBe(true);
  });

  it('pads contain with transparency in formats that have it', async () => {
    const out = await renderImage(jpeg, spec({ w: 300, h: 300, fit: 'contain' }), context(original, 'png'));
    const { data, info } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0);
  });

  it.each([
    ['below a third', 60],
    ['above a third', 400],
  ])('orients by EXIF before cropping, %s', async (_, w) => {
    // Stored landscape with orientation 6 (turn clockwise): the oriented picture is 800x1200, blue top-left.
    const rotated = await quadrants(1200, 800, 'jpeg', 6);
    const portrait = { width: 800, height: 1200 };
    const out = await renderImage(rotated, spec({ crop: { x: 0, y: 0, w: 400, h: 600 }, w }), context(portrait));
    const { at, info } = await pixels(out.data);
    expect([info.width, info.height]).toEqual([w, w * 1.5]);
    expect(near(at(w / 2, w * 0.75), BLUE)).toBe(true);
  });

  it('maps a crop in original pixels onto a smaller stored copy', async () => {
    const copy = await quadrants(300, 200, 'webp');
    const out = await renderImage(copy, spec({ crop: { x: 600, y: 400, w: 600, h: 400 }, w: 60 }), context(original));
    const { at } = await pixels(out.data);
    expect(near(at(30, 20), YELLOW)).toBe(true);
  });

  it('orients the EXIF-rotated fixture', async () => {
    const input = fixture('formats/rotated-exif6.jpg');
    const meta = await sharp(input).metadata();
    const oriented = { width: meta.height as number, height: meta.width as number };
    const out = await renderImage(input, spec({ w: 100, fit: 'inside' }), context(oriented));
    expect(out.width / out.height).toBeCloseTo(oriented.width / oriented.height, 1);
  });

  it('renders a HEIC original through the HEIC decoder', async () => {
    const out = await renderImage(
      fixture('formats/forest.heic'),
      spec({ w: 160 }),
      context({ width: 640, height: 400 }, 'webp'),
    );
    expect([out.width, out.height]).toEqual([160, 100]);
    // libheif decodes to RGBA; an opaque HEIC must not come out with an alpha channel.
    expect((await sharp(out.data).metadata()).hasAlpha).toBe(false);
  });

  it('renders the first frame of an animated GIF', async () => {
    const input = fixture('formats/animated.gif');
    const meta = await sharp(input).metadata();
    const image = { width: meta.width as number, height: (meta.pageHeight ?? meta.height) as number };
    const out = await renderImage(input, spec({ w: 40, fit: 'inside' }), context(image));
    expect((await sharp(out.data).metadata()).pages ?? 1).toBe(1);
    expect(out.width).toBe(Math.min(40, image.width));
  });

  it('keeps no EXIF, GPS or ICC profile and outputs sRGB', async () => {
    const input = fixture('formats/exif-gps.jpg');
    const meta = await sharp(input).metadata();
    const out = await renderImage(
      input,
      spec({ w: 64 }),
      context({ width: meta.width as number, height: meta.height as number }, 'jpeg'),
    );
    const outMeta = await sharp(out.data).metadata();
    expect(outMeta.exif).toBeUndefined();
    expect(outMeta.icc).toBeUndefined();
    expect(outMeta.space).toBe('srgb');
  });

  it('converts CMYK to sRGB', async () => {
    const input = fixture('formats/cmyk.jpg');
    const meta = await sharp(input).metadata();
    const out = await renderImage(
      input,
      spec({ w: 64 }),
      context({ width: meta.width as number, height: meta.height as number }, 'jpeg'),
    );
    expect((await sharp(out.data).metadata()).space).toBe('srgb');
  });
});

describe('shownRegion', () => {
  it('is the crop narrowed by gravity, in original pixels', () => {
    const image = { width: 1200, height: 800 };
    expect(shownRegion(spec({ w: 100, h: 100, gravity: 'east' }), { image })).toEqual({ x: 400, y: 0, w: 800, h: 800 });
    expect(shownRegion(spec({ w: 100, h: 100, crop: { x: 0, y: 0, w: 600, h: 300 } }), { image })).toEqual({
      x: 150,
      y: 0,
      w: 300,
      h: 300,
    });
    expect(shownRegion(spec({ w: 100, fit: 'inside' }), { image })).toEqual({ x: 0, y: 0, w: 1200, h: 800 });
  });

  it('is undefined when smart gravity has no box, as sharp’s attention decides', () => {
    expect(
      shownRegion(spec({ w: 100, h: 100, gravity: 'smart' }), { image: { width: 1200, height: 800 } }),
    ).toBeUndefined();
  });
});

describe('renderImage refuses', () => {
  const image = { width: 640, height: 400 };

  it('a crop outside the image, with a clear message', async () => {
    const input = fixture('formats/forest.png');
    await expect(renderImage(input, spec({ crop: { x: 600, y: 0, w: 100, h: 100 } }), context(image))).rejects.toThrow(
      'crop 100x100 at (600, 0) reaches (700, 100), outside the 640x400 image',
    );
  });

  it('a watermark on an animated image', async () => {
    const input = fixture('formats/animated.gif');
    const wanted = spec({ w: 40, watermark: 'logo' });
    const watermark = { kind: 'text', text: 'x' } as const;
    const error = await renderImage(input, wanted, { ...context(image), watermark }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenditionError);
    expect((error as RenditionError).code).toBe('ANIMATED_WATERMARK');
    expect((error as RenditionError).message).toMatch(/^watermark: the image is animated/);
  });

  it('a watermark when the record says animated, even from a still copy', async () => {
    const input = await quadrants(64, 40, 'webp');
    const call = renderImage(input, spec({ w: 32, watermark: 'logo' }), {
      ...context({ width: 64, height: 40, animated: true }),
      watermark: { kind: 'text', text: 'x' },
    });
    await expect(call).rejects.toMatchObject({ code: 'ANIMATED_WATERMARK' });
  });

  it.each([
    ['the PNG bomb (20000x20000)', 'bad/bomb-20000.png', /400\.0 MP, over the 100\.0 MP limit/],
    ['a header claiming 100000x100000', 'bad/huge-dimensions.png', /over the 100\.0 MP limit/],
    ['text named .jpg', 'bad/text.jpg', /not an image/],
    ['an empty file', 'bad/empty.jpg', /not an image/],
  ])('%s, quickly, before decoding', async (_, file, message) => {
    const started = performance.now();
    const error = await renderImage(fixture(file), spec({ w: 100 }), context(image)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenditionError);
    expect((error as RenditionError).code).toBe('SOURCE_REJECTED');
    expect((error as Error).message).toMatch(message);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a truncated JPEG with an error, not half a picture', async () => {
    await expect(renderImage(fixture('bad/truncated.jpg'), spec({ w: 100 }), context(image))).rejects.toThrow();
  });
});

describe('renderImage within its time', () => {
  // Random bytes, not libvips' gaussian noise (seconds to make at this size): what costs the render is the size.
  const noise = async (side: number) =>
    sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();

  it('has libvips stop a pipeline that runs out of time, with a RenderTimeoutError carrying its words', async () => {
    const side = 3000;
    // median and blur share one pass (several CPU-seconds of it): the pipeline starts at once and is stopped.
    // WebP: libvips checks its stop signal as the encoder takes rows (PNG's encoder does not: see render-clock.ts).
    const error = await renderImage(await noise(side), spec({ median: 9, blur: 100 }), {
      ...context({ width: side, height: side }, 'webp'),
      timeLimitMs: 1000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderTimeoutError);
    expect((error as Error).message).toMatch(/^the render ran out of its 1\.0 s \(timeout: \d+% complete\)$/);
  });

  it('holds a later pass to the same time: stopped in it, or refused before it starts', async () => {
    const side = 2500;
    // normalize then median: two passes, the costly median in the second, from raw pixels. On a busy machine the
    // first pass may use up the time, and the second is then not started at all.
    const error = await renderImage(await noise(side), spec({ normalize: true, median: 9, blur: 60 }), {
      ...context({ width: side, height: side }),
      timeLimitMs: 1000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderTimeoutError);
    expect((error as Error).message).toMatch(/^the render ran out of its 1\.0 s( \(timeout: \d+% complete\))?$/);
  });

  it('gives up before starting a pipeline when no time is left', async () => {
    const error = await renderImage(fixture('formats/forest.png'), spec({ w: 100 }), {
      ...context({ width: 640, height: 400 }),
      timeLimitMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderTimeoutError);
    expect((error as Error).message).toBe('the render ran out of its 0.0 s');
  });
});
