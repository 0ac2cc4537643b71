import sharp from 'sharp';
import { decodeRaster } from '../../../lambdas/core/analysis/raster';
import { CHIP_SIZE, faceChip, fitSimilarity } from '../../../lambdas/vision/face-chip';
import { detectFaceKeypoints } from '../../../lambdas/vision/faces';
import { fixture } from '../../fixtures';

describe('fitSimilarity', () => {
  it('recovers a rotation, scale and shift from the points it moved', () => {
    const angle = 0.3;
    const scale = 2.5;
    const [a, b] = [scale * Math.cos(angle), scale * Math.sin(angle)];
    const from = [
      { x: 10, y: 20 },
      { x: 60, y: 22 },
      { x: 35, y: 50 },
      { x: 36, y: 70 },
    ];
    const to = from.map(({ x, y }) => ({ x: a * x - b * y + 7, y: b * x + a * y - 3 }));
    const fitted = fitSimilarity(from, to);
    expect(fitted.a).toBeCloseTo(a, 9);
    expect(fitted.b).toBeCloseTo(b, 9);
    expect(fitted.tx).toBeCloseTo(7, 9);
    expect(fitted.ty).toBeCloseTo(-3, 9);
  });

  it('refuses points that all coincide', () => {
    const same = [
      { x: 1, y: 1 },
      { x: 1, y: 1 },
    ];
    expect(() => fitSimilarity(same, same)).toThrow('coincide');
  });
});

/** A photo's one face as its chip. */
async function chipOf(bytes: Buffer): Promise<Uint8Array> {
  const raster = await decodeRaster(bytes, 1024);
  const [face] = await detectFaceKeypoints(raster);
  if (!face) throw new Error('no face');
  return faceChip(raster, face.keypoints);
}

/** The eyes BlazeFace finds in a chip, in chip pixels (the chip set on black, as BlazeFace wants some room). */
async function eyesIn(chip: Uint8Array) {
  const data = await sharp(Buffer.from(chip), { raw: { width: CHIP_SIZE, height: CHIP_SIZE, channels: 3 } })
    .extend({ top: CHIP_SIZE, bottom: CHIP_SIZE, left: CHIP_SIZE, right: CHIP_SIZE, background: '#000' })
    .raw()
    .toBuffer();
  const side = CHIP_SIZE * 3;
  const [face] = await detectFaceKeypoints({ data, width: side, height: side, channels: 3 }, { minConfidence: 0.5 });
  if (!face) throw new Error('no face in the chip');
  const at = ({ x, y }: { x: number; y: number }) => ({ x: x * side - CHIP_SIZE, y: y * side - CHIP_SIZE });
  return { right: at(face.keypoints.rightEye), left: at(face.keypoints.leftEye) };
}

/** Mean absolute difference of two chips' bytes (0-255). */
const difference = (a: Uint8Array, b: Uint8Array) =>
  a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] as number)), 0) / a.length;

describe('faceChip', () => {
  const astronaut = fixture('vision/person-astronaut.jpg');

  it.each([0, 20])(
    'cuts a 150 x 150 RGB chip with the eyes level where dlib puts them (photo rotated %i degrees)',
    async (degrees) => {
      const chip = await chipOf(await sharp(astronaut).rotate(degrees, { background: '#000' }).png().toBuffer());
      expect(chip).toHaveLength(CHIP_SIZE * CHIP_SIZE * 3);
      const { right, left } = await eyesIn(chip);
      expect(Math.abs(right.y - left.y)).toBeLessThan(3);
      // dlib's template: eyes at (47.5, 46.6) and (100.5, 46.6).
      for (const [eye, x] of [
        [right, 47.5],
        [left, 100.5],
      ] as const) {
        expect(Math.abs(eye.x - x)).toBeLessThan(4);
        expect(Math.abs(eye.y - 46.6)).toBeLessThan(4);
      }
    },
  );

  it("makes a rotated photo's chip close to the original's, and another person's far from it", async () => {
    const original = await chipOf(astronaut);
    const rotated = await chipOf(await sharp(astronaut).rotate(-20, { background: '#000' }).png().toBuffer());
    const other = await chipOf(fixture('vision/person-hopper.jpg'));
    expect(difference(original, rotated)).toBeLessThan(25);
    expect(difference(original, other)).toBeGreaterThan(45);
  });
});
