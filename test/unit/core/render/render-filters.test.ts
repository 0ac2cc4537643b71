import sharp from 'sharp';
import { type RenderContext, renderImage } from '../../../../lambdas/core/render/render';
import type { RenditionSpec, Watermark } from '../../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';
import { fixture } from '../../../fixtures';

const spec = (extra: Partial<RenditionSpec> = {}): RenditionSpec => ({
  ...RENDITION_DEFAULTS,
  watermarkOpacity: 1,
  ...extra,
});

/** The 1280x800 boats photo, rendered 160 px wide as lossless PNG so that only the filter changes pixels. */
const PHOTO = { width: 1280, height: 800 };
const context = (extra: Partial<RenderContext> = {}): RenderContext => ({
  format: 'png',
  image: PHOTO,
  maxInputPixels: 100_000_000,
  ...extra,
});

async function render(
  extra: Partial<RenditionSpec>,
  ctx: Partial<RenderContext> = {},
  input = fixture('photos/boats.jpg'),
) {
  const out = await renderImage(input, spec({ w: 160, ...extra }), context(ctx));
  const { data, info } = await sharp(out.data)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { out, data, info };
}

/** Mean and standard deviation of all samples, and the mean per channel. */
function stats(data: Buffer, channels = 3) {
  const sums = new Array(channels).fill(0);
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    sum += v;
    squares += v * v;
    sums[i % channels] += v;
  }
  const n = data.length;
  const mean = sum / n;
  return { mean, stdev: Math.sqrt(squares / n - mean * mean), channels: sums.map((s) => s / (n / channels)) };
}

/** Mean absolute difference between horizontally adjacent samples: high for crisp detail, low for blur. */
function detail(data: Buffer, width: number, channels = 3): number {
  let total = 0;
  let count = 0;
  for (let i = channels; i < data.length; i++) {
    if (Math.floor(i / channels) % width === 0) continue;
    total += Math.abs((data[i] as number) - (data[i - channels] as number));
    count++;
  }
  return total / count;
}

/** Mean colourfulness: how far each pixel's channels are from their own mean. */
function chroma(data: Buffer): number {
  let total = 0;
  for (let i = 0; i < data.length; i += 3) {
    const [r, g, b] = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
    const m = (r + g + b) / 3;
    total += Math.abs(r - m) + Math.abs(g - m) + Math.abs(b - m);
  }
  return total / (data.length / 3);
}

describe('renderImage filters', () => {
  let plain: Awaited<ReturnType<typeof render>>;
  beforeAll(async () => {
    plain = await render({});
  });

  it('grayscale makes the three channels equal', async () => {
    const { data } = await render({ grayscale: true });
    // Counted, not an expect per pixel (a quarter million of them took seconds).
    let unequal = 0;
    for (let i = 0; i < data.length; i += 3) {
      if (data[i + 1] !== data[i] || data[i + 2] !== data[i]) unequal += 1;
    }
    expect(unequal).toBe(0);
    expect(chroma(plain.data)).toBeGreaterThan(10);
  });

  it('brightness above 1 raises the mean, below 1 lowers it', async () => {
    expect(stats((await render({ brightness: 1.5 })).data).mean).toBeGreaterThan(stats(plain.data).mean + 15);
    expect(stats((await render({ brightness: 0.5 })).data).mean).toBeLessThan(stats(plain.data).mean - 15);
  });

  it('saturation 0 removes colour, 2 adds it', async () => {
    expect(chroma((await render({ saturation: 0 })).data)).toBeLessThan(3);
    expect(chroma((await render({ saturation: 2 })).data)).toBeGreaterThan(chroma(plain.data) * 1.3);
  });

  it('hue 180 swaps the dominant channels', async () => {
    // The boats are orange-red and the sky blue: a half turn makes red and blue trade places in the means.
    const before = stats(plain.data).channels;
    const after = stats((await render({ hue: 180 })).data).channels;
    expect(Math.sign((after[0] as number) - (after[2] as number))).toBe(
      -Math.sign((before[0] as number) - (before[2] as number)),
    );
  });

  it('contrast above 1 spreads values, below 1 gathers them', async () => {
    expect(stats((await render({ contrast: 1.8 })).data).stdev).toBeGreaterThan(stats(plain.data).stdev * 1.3);
    expect(stats((await render({ contrast: 0.4 })).data).stdev).toBeLessThan(stats(plain.data).stdev * 0.6);
  });

  it('normalize stretches a dull picture to the full range', async () => {
    const dull = await sharp(fixture('photos/boats.jpg')).linear(0.3, 90).jpeg().toBuffer();
    const before = await render({}, {}, dull);
    const after = await render({ normalize: true }, {}, dull);
    expect(stats(after.data).stdev).toBeGreaterThan(stats(before.data).stdev * 2);
  });

  it('applies contrast after normalize, so normalize does not undo it', async () => {
    const normalized = stats((await render({ normalize: true })).data).stdev;
    const flattened = stats((await render({ normalize: true, contrast: 0.5 })).data).stdev;
    expect(flattened).toBeLessThan(normalized * 0.6);
  });

  it('blur softens and sharpen crisps', async () => {
    expect(detail((await render({ blur: 3 })).data, 160)).toBeLessThan(detail(plain.data, 160) * 0.5);
    expect(detail((await render({ sharpen: 2 })).data, 160)).toBeGreaterThan(detail(plain.data, 160) * 1.1);
  });

  it('median removes salt-and-pepper noise', async () => {
    // White specks on a mid-grey field: a median of 3 removes every isolated one.
    const noisy = Buffer.alloc(160 * 100 * 3, 128);
    for (let i = 0; i < 300; i++) noisy.fill(255, ((i * 7919) % (160 * 100)) * 3, ((i * 7919) % (160 * 100)) * 3 + 3);
    const input = await sharp(noisy, { raw: { width: 160, height: 100, channels: 3 } })
      .png()
      .toBuffer();
    const { data } = await render({ median: 3 }, { image: { width: 160, height: 100 } }, input);
    expect(Math.max(...data)).toBeLessThan(140);
  });

  it('applies contrast about the middle of a 16-bit source too', async () => {
    const forest = { width: 640, height: 400 };
    const eight = await render({ contrast: 0.5 }, { image: forest }, fixture('formats/forest.png'));
    const sixteen = await render({ contrast: 0.5 }, { image: forest }, fixture('formats/16bit.png'));
    expect(Math.abs(stats(sixteen.data).mean - stats(eight.data).mean)).toBeLessThan(3);
  });

  it('keeps a kernel from erasing the alpha channel', async () => {
    const out = await renderImage(
      fixture('formats/alpha.png'),
      spec({ kernel: 'contour' }),
      context({ image: { width: 200, height: 200 } }),
    );
    const { channels } = await sharp(out.data).stats();
    expect(channels.length === 3 || (channels[3]?.mean ?? 0) > 250).toBe(true);
  });

  it.each([
    ['edge leaves a mostly black picture', 'edge', (mean: number) => mean < 60],
    ['contour leaves a mostly white picture', 'contour', (mean: number) => mean > 190],
    ['emboss leaves a mostly mid-grey picture', 'emboss', (mean: number) => mean > 100 && mean < 160],
  ] as const)('kernel: %s', async (_, kernel, expected) => {
    const { mean } = stats((await render({ kernel })).data);
    expect(expected(mean)).toBe(true);
  });
});

describe('renderImage watermark', () => {
  /** A flat mid-grey source: anything the watermark draws stands out. */
  let grey: Buffer;
  /** A 100x100 opaque black logo. */
  let logo: Watermark;
  beforeAll(async () => {
    grey = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    logo = {
      kind: 'image',
      data: await sharp({ create: { width: 100, height: 100, channels: 3, background: '#000000' } })
        .png()
        .toBuffer(),
    };
  });
  const image = { width: 400, height: 400 };

  /** Bounding box of the pixels that differ from mid-grey. */
  async function marked(extra: Partial<RenditionSpec>, watermark: Watermark, format: RenderContext['format'] = 'png') {
    const out = await renderImage(
      grey,
      spec({ w: 200, h: 200, watermark: 'w', ...extra }),
      context({ image, watermark, format }),
    );
    const { data, info } = await sharp(out.data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let [x0, y0, x1, y1, darkest] = [info.width, info.height, -1, -1, 255];
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        const v = data[(y * info.width + x) * info.channels] as number;
        darkest = Math.min(darkest, v);
        if (Math.abs(v - 128) > 12)
          [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
    }
    return { x0, y0, x1, y1, darkest };
  }

  it.each([
    ['southeast', (b: { x0: number; y0: number }) => b.x0 > 100 && b.y0 > 100],
    ['northwest', (b: { x1: number; y1: number }) => b.x1 < 100 && b.y1 < 100],
    ['north', (b: { x0: number; x1: number; y1: number }) => b.y1 < 100 && b.x0 > 50 && b.x1 < 150],
  ] as const)('draws an image watermark at %s, at most a quarter of each side', async (watermarkGravity, where) => {
    const box = await marked({ watermarkGravity }, logo);
    expect(where(box as never)).toBe(true);
    expect(box.x1 - box.x0 + 1).toBeLessThanOrEqual(50);
    expect(box.y1 - box.y0 + 1).toBeLessThanOrEqual(50);
    expect(box.x1 - box.x0 + 1).toBeGreaterThanOrEqual(45);
  });

  it('applies the opacity', async () => {
    expect((await marked({ watermarkOpacity: 1 }, logo)).darkest).toBeLessThan(10);
    const half = (await marked({ watermarkOpacity: 0.5 }, logo)).darkest;
    expect(half).toBeGreaterThan(54);
    expect(half).toBeLessThan(74);
  });

  it('draws a text watermark at its gravity', async () => {
    const box = await marked({ watermarkGravity: 'southwest' }, { kind: 'text', text: '© image-intel <&>' });
    expect(box.x1).toBeGreaterThan(box.x0);
    expect(box.x0).toBeLessThan(20);
    expect(box.y0).toBeGreaterThan(150);
  });

  it('draws another text as other pixels', async () => {
    const pixelsOf = async (text: string) => {
      const out = await renderImage(
        grey,
        spec({ w: 200, h: 200, watermark: 'w' }),
        context({ image, watermark: { kind: 'text', text } }),
      );
      return (await sharp(out.data).raw().toBuffer()).toString('hex');
    };
    expect(await pixelsOf('© 2025')).not.toEqual(await pixelsOf('© 2035'));
  });

  it('keeps its colour on a grayscale picture', async () => {
    const red: Watermark = {
      kind: 'image',
      data: await sharp({ create: { width: 100, height: 100, channels: 3, background: '#ff0000' } })
        .png()
        .toBuffer(),
    };
    const out = await renderImage(
      grey,
      spec({ w: 200, h: 200, grayscale: true, watermark: 'w' }),
      context({ image, watermark: red }),
    );
    const { data, info } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    const corner = (190 * info.width + 190) * info.channels;
    expect([data[corner], data[corner + 1], data[corner + 2]]).toEqual([255, 0, 0]);
  });

  it('is not touched by the filters', async () => {
    // Contrast 0 turns the picture flat grey; the logo drawn after it stays black.
    const box = await marked({ contrast: 0, normalize: true }, logo, 'jpeg');
    expect(box.darkest).toBeLessThan(20);
  });
});
