import sharp from 'sharp';
import { decodeRaster } from '../../../lambdas/core/analysis/raster';
import { pictureStats } from '../../../lambdas/vision/picture-stats';
import { fixture } from '../../fixtures';
import { noisePng } from '../../support/noise';

async function noise(colourspace: 'b-w' | 'srgb') {
  return pictureStats(await decodeRaster(await noisePng(colourspace)));
}

describe('pictureStats', () => {
  it('finds no structure in noise: neighbouring pixels do not agree', async () => {
    for (const stats of [await noise('b-w'), await noise('srgb')]) {
      expect(stats.contrast).toBeGreaterThan(10);
      expect(stats.coherence).toBeLessThan(0.1);
    }
  });

  it('finds structure and no colour in a black-and-white photograph', async () => {
    const stats = pictureStats(await decodeRaster(fixture('photos/pier.jpg')));
    expect(stats.chroma).toBe(0);
    expect(stats.colouredShare).toBe(0);
    expect(stats.coherence).toBeGreaterThan(0.8);
  });

  it('finds textured leaf green in the forest, and little in the autumn leaf', async () => {
    const forest = pictureStats(await decodeRaster(fixture('photos/forest.jpg')));
    expect(forest.texturedGreenShare).toBeGreaterThan(0.12);
    expect(forest.darkShare).toBeGreaterThan(0.8);
    const leaf = pictureStats(await decodeRaster(fixture('photos/leaf.jpg')));
    expect(leaf.texturedGreenShare).toBeLessThan(0.01);
  });

  it('measures texture relative to the picture: a small picture’s soft shading is not texture', async () => {
    // Four soft green waves across 32 px: a blurred lawn behind a small avatar's subject, steep per pixel only
    // because the picture is small.
    const side = 32;
    const pixels = Buffer.alloc(side * side * 3);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        pixels.set([60, Math.round(140 + 40 * Math.sin((x * Math.PI) / 4)), 50], (y * side + x) * 3);
    const lawn = await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toBuffer();
    const stats = pictureStats(await decodeRaster(lawn));
    expect(stats.greenShare).toBe(1);
    expect(stats.texturedGreenShare).toBeLessThan(0.2);
  });

  it('finds neither contrast nor structure in a flat fill', async () => {
    const flat = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const stats = pictureStats(await decodeRaster(flat));
    expect(stats).toMatchObject({ luma: 128, contrast: 0, coherence: 0, chroma: 0 });
  });

  it('counts the white ground of a cut-out as pale, and a saturated light colour as not', async () => {
    const width = 100;
    const pixels = Buffer.alloc(width * width * 3, 255);
    for (let y = 30; y < 70; y++) for (let x = 30; x < 70; x++) pixels.set([40, 30, 20], (y * width + x) * 3);
    const cutOut = await sharp(pixels, { raw: { width, height: width, channels: 3 } })
      .png()
      .toBuffer();
    const stats = pictureStats(await decodeRaster(cutOut));
    expect(stats.paleShare).toBeCloseTo(0.84, 1);
    expect(stats.borderPaleShare).toBe(1);
    const yellow = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#f0e040' } })
      .png()
      .toBuffer();
    expect(pictureStats(await decodeRaster(yellow)).paleShare).toBe(0);
  });

  it('leaves near-black pixels out of the colour measures, so coloured stars on black are colour', async () => {
    const width = 100;
    const pixels = Buffer.alloc(width * width * 3);
    for (let i = 0; i < width * width; i += 17) pixels.set([220, 60, 60], i * 3);
    const sky = await sharp(pixels, { raw: { width, height: width, channels: 3 } })
      .png()
      .toBuffer();
    const stats = pictureStats(await decodeRaster(sky));
    expect(stats.colouredShare).toBe(1);
  });
});
