import sharp from 'sharp';
import { censor, censorSigma } from '../../../../lambdas/core/render/censor';
import { fixture } from '../../../fixtures';
import { laplacianVariance } from '../../../support/sharpness';

describe('censor', () => {
  it('scales with the picture: 1/40 of its longest side, at least 8 px', () => {
    expect(censorSigma(1024, 768)).toBe(26);
    expect(censorSigma(200, 120)).toBe(8);
  });

  // Measured (sharp 0.34, these photos at 1024 px): unblurred 20 (kite, mostly sky) to 2,262 (boats); blurred 0.8 to
  // 2.1, which is what rounding to 8 bits leaves of a smooth picture.
  it.each(['boats', 'cups', 'forest', 'kite', 'leaf', 'pier'])(
    'leaves photos/%s.jpg, as a 1024 px thumbnail, no more detail than 8-bit rounding makes',
    async (name) => {
      const thumbnail = await sharp(fixture(`photos/${name}.jpg`))
        .rotate()
        .resize(1024, 1024, { fit: 'inside' })
        .png()
        .toBuffer();
      const { width = 0, height = 0 } = await sharp(thumbnail).metadata();
      const blurred = await censor(sharp(thumbnail), width, height).png().toBuffer();
      expect(await laplacianVariance(thumbnail)).toBeGreaterThan(15);
      expect(await laplacianVariance(blurred)).toBeLessThan(3);
    },
  );
});
