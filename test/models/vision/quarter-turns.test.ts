import sharp from 'sharp';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import type { Raster } from '../../../lambdas/core/analysis/raster';
import type { ProcessedRecord } from '../../../lambdas/core/record';
import { VisionSchema } from '../../../lambdas/core/vision-schema';
import { analyzeOffline, type OfflineOptions, TURNED } from '../../../lambdas/vision/offline';
import { boxBeforeTurn } from '../../../lambdas/vision/quarter-turns';
import { fixture } from '../../fixtures';

async function offline(bytes: Buffer, options: OfflineOptions) {
  const { record, raster, orientationTagged } = await analyzeImage(bytes, { keepRaster: true });
  const vision = await analyzeOffline(raster as Raster, record as ProcessedRecord, {
    orientationKnown: orientationTagged,
    ...options,
  });
  expect(VisionSchema.parse(vision)).toEqual(vision);
  return vision;
}

const lookedTurned = (vision: { inference: { models: Record<string, string> } }) =>
  Object.values(vision.inference.models).some((version) => version.includes(TURNED));

/** The scanned page stored sideways: turned 90 degrees clockwise, no metadata, so no EXIF orientation. */
const page = fixture('vision/text-page.png');
const sidewaysPage = () => sharp(page).rotate(90).png().toBuffer();

describe('the look at a picture turned', () => {
  it('reads a page stored sideways, says it looks turned, and draws its lines where they are on the stored page', async () => {
    const upright = await offline(page, { quarterTurns: 'never' });
    const vision = await offline(await sidewaysPage(), { quarterTurns: 'weak' });
    expect(vision.turn).toBe(270);
    expect(vision.text.fullText).toContain('Region-based segmentation');
    expect(vision.text.fullText).toContain('histogram of grey values');
    // The upright page is the stored one turned 270: its title's box, taken back onto the stored page.
    const title = (v: typeof vision) => v.text.lines.find((l) => l.text.startsWith('Region-based'))?.box;
    const expected = boxBeforeTurn(title(upright) as NonNullable<ReturnType<typeof title>>, 270);
    const found = title(vision);
    for (const side of ['left', 'top', 'width', 'height'] as const)
      expect(Math.abs((found?.[side] ?? -1) - expected[side])).toBeLessThan(0.02);
    // On the stored page the line runs down it: taller than wide.
    expect((found?.height ?? 0) / (found?.width ?? 1)).toBeGreaterThan(2);
  });

  it('leaves a page stored sideways as it reads when its up is known (an EXIF orientation)', async () => {
    const vision = await offline(await sidewaysPage(), { quarterTurns: 'weak', orientationKnown: true });
    expect(lookedTurned(vision)).toBe(false);
    expect(vision.turn).toBeUndefined();
    expect(vision.text.fullText).not.toContain('Region-based segmentation');
  });

  it('takes a photo whose file names an orientation as known, with no option given', async () => {
    // Stored sideways with EXIF orientation 1 ("as stored"): the camera said which way is up, so no second look.
    const tagged = await sharp(await sidewaysPage())
      .withMetadata({ orientation: 1 })
      .jpeg({ quality: 95 })
      .toBuffer();
    const vision = await offline(tagged, { quarterTurns: 'always' });
    expect(lookedTurned(vision)).toBe(false);
    expect(vision.turn).toBeUndefined();
  });

  it('never looks twice at an upright photo with a face and a person found, and changes nothing', async () => {
    const astronaut = fixture('vision/person-astronaut.jpg');
    const once = await offline(astronaut, { quarterTurns: 'never' });
    const weak = await offline(astronaut, { quarterTurns: 'weak' });
    expect(lookedTurned(weak)).toBe(false);
    expect({ ...weak, inference: undefined }).toEqual({ ...once, inference: undefined });
  });
});
