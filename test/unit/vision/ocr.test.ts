import { analyzeImage, type Raster } from '../../../lambdas/core';
import { recognizeText } from '../../../lambdas/vision/ocr';
import { fixture } from '../../fixtures';
import { rasterOf } from '../../support/raster';

describe('recognizeText (PP-OCRv4 detection + recognition)', () => {
  it('reads the scanned page line by line, top to bottom', async () => {
    const lines = await recognizeText(await rasterOf('vision/text-page.png'));
    expect(lines.map((l) => l.text)).toEqual([
      'Region-based segmentation',
      'Let us first determine markers of the coins and the',
      expect.stringMatching(/^background\. ?These markers are pixels that we can label$/),
      'unambiguously as either object or background. Here,',
      'the markers are found at the two extreme parts of the',
      'histogram of grey values:',
      expect.stringContaining('np.zeros_like(coins)'),
    ]);
    for (const line of lines) expect(line.confidence).toBeGreaterThan(0.8);
  });

  it('boxes each line inside the image, later lines lower', async () => {
    const lines = await recognizeText(await rasterOf('vision/text-page.png'));
    const tops = lines.map((l) => l.box.top);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
    for (const { box } of lines) {
      expect(box.left + box.width).toBeLessThanOrEqual(1);
      expect(box.top + box.height).toBeLessThanOrEqual(1);
      expect(box.width).toBeGreaterThan(box.height);
    }
    // The title spans about the left 70 % of the top of the page.
    expect(lines[0]?.box.top).toBeLessThan(0.15);
    expect(lines[0]?.box.width).toBeGreaterThan(0.5);
  });

  it.each(['photos/boats.jpg', 'photos/forest.jpg', 'vision/cat-chelsea.jpg'])('finds no text in %s', async (file) => {
    expect(await recognizeText(await rasterOf(file))).toEqual([]);
  });

  it('reads a page turned by EXIF the right way up, because the core orients first', async () => {
    const sharp = (await import('sharp')).default;
    const stored = await sharp(fixture('vision/text-page.png'))
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    const { raster } = await analyzeImage(stored, { keepRaster: true, thumbnailSizes: [1024] });
    const lines = await recognizeText(raster as Raster);
    expect(lines[0]?.text).toBe('Region-based segmentation');
  });
});
