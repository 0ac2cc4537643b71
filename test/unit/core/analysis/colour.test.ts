import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import type { ProcessedRecord } from '../../../../lambdas/core/record';

async function processed(bytes: Buffer): Promise<ProcessedRecord> {
  const { record } = await analyzeImage(bytes);
  if (record.status !== 'PROCESSED') throw new Error(JSON.stringify(record));
  return record;
}

const flat = (background: string, width = 64, height = 64) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

describe('colour facts', () => {
  it('reports a flat image as one colour covering everything', async () => {
    const record = await processed(await flat('#ff0000'));
    expect(record.palette).toEqual([{ hex: '#ff0000', rgb: { r: 255, g: 0, b: 0 }, proportion: 1 }]);
    expect(record.dominantColor).toEqual({ hex: '#ff0000', r: 255, g: 0, b: 0 });
  });

  it('orders the palette by share, largest first, with shares that add up to 1', async () => {
    const image = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#0000ff' } })
      .composite([{ input: await flat('#ffff00', 100, 25), top: 0, left: 0 }])
      .png()
      .toBuffer();
    const { palette } = await processed(image);
    expect(palette.map((entry) => entry.hex)).toEqual(['#0000ff', '#ffff00']);
    expect(palette[0]?.proportion).toBeCloseTo(0.75, 1);
    expect(palette.reduce((sum, entry) => sum + entry.proportion, 0)).toBeCloseTo(1, 3);
  });

  it('gives at most six colours for a photo', async () => {
    const gradient = await sharp({
      create: {
        width: 256,
        height: 256,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    const { palette } = await processed(gradient);
    expect(palette.length).toBeGreaterThan(1);
    expect(palette.length).toBeLessThanOrEqual(6);
  });

  it.each([
    ['#101010', 'dark'],
    ['#808080', 'normal'],
    ['#f0f0f0', 'bright'],
  ])('classes %s as %s', async (background, expected) => {
    const { brightness } = await processed(await flat(background));
    expect(brightness.class).toBe(expected);
  });

  it('ignores transparent pixels when it picks colours', async () => {
    const image = await sharp({
      create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([{ input: await flat('#00ff00', 16, 16), top: 24, left: 24 }])
      .png()
      .toBuffer();
    const { palette, brightness } = await processed(image);
    expect(palette[0]?.hex).toBe('#00ff00');
    expect(brightness.value).toBeGreaterThan(140);
  });
});
