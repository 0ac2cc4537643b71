import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Raster } from '../../lambdas/core/analysis/raster';
import { fixture } from '../fixtures';

/** A fixture decoded by the core into the oriented RGB raster the vision models run on. */
export async function rasterOf(file: string): Promise<Raster> {
  const { raster } = await analyzeImage(fixture(file), { keepRaster: true, thumbnailSizes: [1024] });
  if (!raster) throw new Error(`no raster for ${file}`);
  return raster;
}
