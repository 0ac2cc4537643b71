import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Raster } from '../../lambdas/core/analysis/raster';
import { fixture } from '../fixtures';

/** A fixture decoded by the core into the oriented RGB raster the vision models run on. */
export async function rasterOf(file: string): Promise<Raster> {
  const { raster } = await analyzeImage(fixture(file), { keepRaster: true, thumbnailSizes: [1024] });
  if (!raster) throw new Error(`no raster for ${file}`);
  return raster;
}

/** A 40 x 20 PNG, its left half red and its right half blue: a quarter turn clockwise puts red on top. */
export async function halves(): Promise<Buffer> {
  const half = (r: number, b: number) => ({
    create: { width: 20, height: 20, channels: 3 as const, background: { r, g: 0, b } },
  });
  const blue = await sharp(half(0, 255)).png().toBuffer();
  return sharp(half(255, 0))
    .extend({ right: 20, background: '#0000ff' })
    .composite([{ input: blue, left: 20, top: 0 }])
    .png()
    .toBuffer();
}
