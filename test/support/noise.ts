import sharp from 'sharp';

/** 640x480 Gaussian noise (mean 128, sigma 60) as a PNG, turned grey (`b-w`) or left in colour (`srgb`). */
export async function noisePng(colourspace: 'b-w' | 'srgb'): Promise<Buffer> {
  const noise = { type: 'gaussian' as const, mean: 128, sigma: 60 };
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#000', noise } })
    .toColourspace(colourspace)
    .png()
    .toBuffer();
}
